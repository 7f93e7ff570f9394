/**
 * What binds a live session room to its user's bounds and its device's validity, outside the room's own
 * file: the room's claim before the join touches the session's row (refused past LIVE_ROOMS_PER_USER), the
 * session's claim once it is known (refused past LIVE_SESSIONS_PER_USER / _PER_DEVICE), the entry in the
 * device registry (closed when the device is revoked), all undone when the room's client leaves, and the
 * device's re-check when a dropped client reconnects. An access token's expiry does not end a live session:
 * the token is checked at the join; from then on the session lives as long as its device stays valid.
 */
import { ServerError, type Client } from '@colyseus/core';
import type { Logger } from 'pino';
import type { AccessIdentity } from '../../systems/auth/identity.js';
import type { EventIdentity } from './ports.js';
import { DEVICE_REVOKED_CLOSE_CODE, DEVICE_REVOKED_REASON } from '../../features/auth/DeviceRevocations.js';

/** Live rooms per user, then sessions per user and per device by session id, on the backplane (features/limits/LiveSessions.ts). */
export interface LiveSessionsPort {
  /** Before the join touches the session's row: counts room `holder` for its user, or refuses with a code and a message. */
  admit(key: { userId: string; holder: string }): Promise<{ ok: true } | { ok: false; code: string; message: string }>;
  /** Once the session is known: counts it for its user and device (once however many rooms hold it), or refuses. */
  claim(key: { userId: string; deviceId: string; sessionId: string; holder: string }): Promise<{ ok: true } | { ok: false; code: string; message: string }>;
  /** The room ended or its join failed: it stops counting, and its session too unless a newer room holds it. Never rejects. */
  release(holder: string): Promise<void>;
}

/** A live room as the device registry closes it. */
export interface LiveRoomHandle {
  close(code: number, reason: string): void;
}

/** This process's live rooms by device, closed when their device is revoked anywhere (features/auth/DeviceRevocations.ts). */
export interface LiveDevicesPort {
  /** Registers a room of `deviceId`; returns its leave. */
  enter(deviceId: string, room: LiveRoomHandle): () => void;
  /** Whether this process heard the device revoked after `identity`'s token was issued (a join racing the revocation). */
  revokedSince(identity: AccessIdentity & { generation?: number }): boolean;
  /** The device still exists, is the user's and was not revoked since `identity` (what the join was verified as) was issued. */
  stillValid(identity: AccessIdentity & { generation?: number }): Promise<boolean>;
}

/** Liveness's own ports; absent: unbounded sessions, no revocation closes (tests of other things). */
export interface LivenessPorts {
  /** Bounds live sessions per user and device. */
  liveSessions?: LiveSessionsPort;
  /** Closes the rooms of a revoked device and re-checks the device at reconnection. */
  liveDevices?: LiveDevicesPort;
}

/** Join refused: the user, the device or the session's rooms are at their bound (LIVE_SESSIONS_LIMIT). */
export const JOIN_LIVE_SESSIONS_LIMIT = 4429;
/** Join refused: the live-session count (backplane) does not answer; retry in a few seconds. */
const JOIN_LIMIT_UNAVAILABLE = 4503;

const REVOKED_MESSAGE = `${DEVICE_REVOKED_REASON}: this device was signed out (its refresh token was reused, or it was removed); sign in again with POST /api/auth/device and join a new session`;

interface LiveRoom {
  roomId: string;
  clients: Iterable<Client>;
  log: Logger;
}

/** What each live room undoes when its client leaves (kept here so the room holds no field for it). */
const exits = new WeakMap<LiveRoom, () => void>();

/** A claim's refusal as the join answers it: 4429, or 4503 when the count cannot be read. */
async function claimed(room: LiveRoom, claim: () => ReturnType<LiveSessionsPort['claim']>): Promise<void> {
  const outcome = await claim().catch((err: Error) => {
    room.log.warn({ err: err.message }, 'join refused: the live-session count does not answer');
    throw new ServerError(JOIN_LIMIT_UNAVAILABLE, 'REDIS_UNAVAILABLE: the shared session count does not answer; retry in a few seconds');
  });
  if (outcome.ok) return;
  room.log.info({ code: outcome.code }, 'join refused: live sessions at their bound');
  throw new ServerError(JOIN_LIVE_SESSIONS_LIMIT, `${outcome.code}: ${outcome.message}`);
}

/** Before the join reads or writes the session's row: counts the room for its user, or throws the join's refusal. */
export async function admitLive(room: LiveRoom, ports: LivenessPorts, caller: AccessIdentity): Promise<void> {
  const { liveSessions } = ports;
  if (!liveSessions) return;
  await claimed(room, () => liveSessions.admit({ userId: caller.userId, holder: room.roomId }));
  exits.set(room, () => void liveSessions.release(room.roomId));
}

/**
 * Once the session is known: counts it for its user and device and registers the room under its device, or
 * throws the join's refusal (4429; 4401 `DEVICE_REVOKED` when the device was revoked while this join ran).
 */
export async function enterLive(
  room: LiveRoom,
  ports: LivenessPorts,
  identity: EventIdentity,
  caller: AccessIdentity & { generation?: number },
): Promise<void> {
  const { liveSessions, liveDevices } = ports;
  if (liveSessions) await claimed(room, () => liveSessions.claim({ ...identity, holder: room.roomId }));
  const leaveDevice = liveDevices?.enter(identity.deviceId, { close: (code, reason) => closeClients(room, code, reason) });
  // Registered first, checked second: a revocation heard from now on closes the room, one heard before refuses it.
  if (liveDevices?.revokedSince(caller)) {
    leaveDevice?.();
    throw new ServerError(DEVICE_REVOKED_CLOSE_CODE, REVOKED_MESSAGE);
  }
  exits.set(room, () => {
    leaveDevice?.();
    void liveSessions?.release(room.roomId);
  });
}

/** The room's client left for good (or its join failed): the room and its session stop counting, and it leaves the device registry. */
export function leaveLive(room: LiveRoom): void {
  exits.get(room)?.();
  exits.delete(room);
}

/**
 * A dropped client came back with its reconnection token: refused (4401 `DEVICE_REVOKED`) when its
 * device was revoked or removed since the join. A database that does not answer lets it back in (the
 * revocation push still reaches live rooms); the session then ends only by a revocation heard later.
 */
export async function refuseRevokedReconnection(room: LiveRoom, ports: LivenessPorts, client: Client): Promise<void> {
  const caller = client.auth as (AccessIdentity & { generation?: number }) | undefined;
  if (!ports.liveDevices || !caller) return;
  const valid = await ports.liveDevices.stillValid(caller).catch((err: Error) => {
    room.log.warn({ err: err.message }, 'device not re-checked at reconnection (the database does not answer); let back in');
    return true;
  });
  if (valid) return;
  room.log.warn({ deviceId: caller.deviceId }, 'reconnection refused: the device was revoked');
  throw new ServerError(DEVICE_REVOKED_CLOSE_CODE, REVOKED_MESSAGE);
}

function closeClients(room: LiveRoom, code: number, reason: string): void {
  room.log.warn({ code, reason }, 'live session closed: its device was revoked');
  for (const client of [...room.clients]) client.leave(code, reason);
}
