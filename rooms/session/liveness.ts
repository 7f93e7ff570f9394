/**
 * A live room's bounds and its device's validity: the room counted before the join touches the row
 * (LIVE_ROOMS_PER_USER), the session once known (LIVE_SESSIONS_PER_USER / _PER_DEVICE), the device registry
 * (closed on revocation), all undone on leave, the device re-checked on reconnection. A token's expiry does not end
 * a live session: it is checked at the join, then the session lives as long as its device stays valid.
 */
import { ServerError, type Client } from '@colyseus/core';
import type { Logger } from 'pino';
import type { AccessIdentity } from '../../systems/auth/identity.js';
import type { EventIdentity } from './ports.js';
import { DEVICE_REVOKED_CLOSE_CODE, DEVICE_REVOKED_REASON } from '../../features/auth/DeviceRevocations.js';
import type { LiveSessionClaim, LiveSessions } from '../../features/limits/LiveSessions.js';

/** Closed when their device is revoked anywhere (features/auth/DeviceRevocations.ts). */
export interface LiveDevicesPort {
  /** Returns its leave. */
  enter(deviceId: string, room: { close(code: number, reason: string): void }): () => void;
  /** A join racing the revocation. */
  revokedSince(identity: AccessIdentity & { generation?: number }): boolean;
  /** Exists, is the user's, and was not revoked since `identity` was issued. */
  stillValid(identity: AccessIdentity & { generation?: number }): Promise<boolean>;
}

/** Absent: unbounded sessions, no revocation closes (tests of other things). */
export interface LivenessPorts {
  /** On the backplane. */
  liveSessions?: Pick<LiveSessions, 'admit' | 'claim' | 'release'>;
  liveDevices?: LiveDevicesPort;
}

/** LIVE_SESSIONS_LIMIT. */
export const JOIN_LIVE_SESSIONS_LIMIT = 4429;
/** The backplane count does not answer; retry in a few seconds. */
const JOIN_LIMIT_UNAVAILABLE = 4503;

const REVOKED_MESSAGE = `${DEVICE_REVOKED_REASON}: this device was signed out (its refresh token was reused, or it was removed); sign in again with POST /api/auth/device and join a new session`;

interface LiveRoom {
  roomId: string;
  clients: Iterable<Client>;
  log: Logger;
}

/** Kept here so the room holds no field for it. */
const exits = new WeakMap<LiveRoom, () => void>();

/** 4429, or 4503 when the count cannot be read. */
async function claimed(room: LiveRoom, claim: () => Promise<LiveSessionClaim>): Promise<void> {
  const outcome = await claim().catch((err: Error) => {
    room.log.warn({ err: err.message }, 'join refused: the live-session count does not answer');
    throw new ServerError(JOIN_LIMIT_UNAVAILABLE, 'REDIS_UNAVAILABLE: the shared session count does not answer; retry in a few seconds');
  });
  if (outcome.ok) return;
  room.log.info({ code: outcome.code }, 'join refused: live sessions at their bound');
  throw new ServerError(JOIN_LIVE_SESSIONS_LIMIT, `${outcome.code}: ${outcome.message}`);
}

export async function admitLive(room: LiveRoom, ports: LivenessPorts, caller: AccessIdentity): Promise<void> {
  const { liveSessions } = ports;
  if (!liveSessions) return;
  await claimed(room, () => liveSessions.admit({ userId: caller.userId, holder: room.roomId }));
  exits.set(room, () => void liveSessions.release(room.roomId));
}

/** Throws the join's refusal: 4429; 4401 `DEVICE_REVOKED` when the device was revoked while this join ran. */
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

export function leaveLive(room: LiveRoom): void {
  exits.get(room)?.();
  exits.delete(room);
}

/**
 * Refused (4401 `DEVICE_REVOKED`) when the device was revoked or removed since the join. A database that does not
 * answer lets it back in (the revocation push still reaches live rooms).
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
