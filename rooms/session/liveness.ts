/**
 * What binds a live session room to its user's bounds and its device's validity, outside the room's own
 * file: the live-session claim at the join (refused past LIVE_SESSIONS_PER_USER / _PER_DEVICE), the entry
 * in the device registry (closed when the device is revoked), both undone when the session leaves, and the
 * device's re-check when a dropped client reconnects. An access token's expiry does not end a live session:
 * the token is checked at the join; from then on the session lives as long as its device stays valid.
 */
import { ServerError, type Client } from '@colyseus/core';
import type { Logger } from 'pino';
import type { AccessIdentity } from '../../systems/auth/identity.js';
import type { EventIdentity, SessionRoomServices } from './ports.js';
import { DEVICE_REVOKED_CLOSE_CODE, DEVICE_REVOKED_REASON } from '../../features/auth/DeviceRevocations.js';

/** Join refused: the user or the device already holds its live sessions (LIVE_SESSIONS_LIMIT). */
export const JOIN_LIVE_SESSIONS_LIMIT = 4429;
/** Join refused: the live-session count (backplane) does not answer; retry in a few seconds. */
const JOIN_LIMIT_UNAVAILABLE = 4503;

interface LiveRoom {
  roomId: string;
  clients: Iterable<Client>;
  log: Logger;
}

/** What each live room undoes when its session leaves (kept here so the room holds no field for it). */
const exits = new WeakMap<LiveRoom, () => void>();

/**
 * Counts the session for its user and device, and registers the room under its device. Throws a
 * ServerError the join answers with: 4429 `LIVE_SESSIONS_LIMIT`, or 4503 when the count cannot be read.
 */
export async function enterLive(room: LiveRoom, services: Pick<SessionRoomServices, 'liveSessions' | 'liveDevices'>, identity: EventIdentity): Promise<void> {
  const { liveSessions, liveDevices } = services;
  if (liveSessions) {
    const claim = await liveSessions.claim({ ...identity, holder: room.roomId }).catch((err: Error) => {
      room.log.warn({ err: err.message }, 'join refused: the live-session count does not answer');
      throw new ServerError(JOIN_LIMIT_UNAVAILABLE, 'REDIS_UNAVAILABLE: the shared session count does not answer; retry in a few seconds');
    });
    if (!claim.ok) {
      room.log.info({ code: claim.code }, 'join refused: live sessions at their bound');
      throw new ServerError(JOIN_LIVE_SESSIONS_LIMIT, `${claim.code}: ${claim.message}`);
    }
  }
  const leaveDevice = liveDevices?.enter(identity.deviceId, { close: (code, reason) => closeClients(room, code, reason) });
  exits.set(room, () => {
    leaveDevice?.();
    void liveSessions?.release(identity.sessionId, room.roomId);
  });
}

/** The session left for good: it stops counting and leaves the device registry. */
export function leaveLive(room: LiveRoom): void {
  exits.get(room)?.();
  exits.delete(room);
}

/**
 * A dropped client came back with its reconnection token: refused (close 4401 `DEVICE_REVOKED`) when its
 * device was revoked or removed since the join. A database that does not answer lets it back in (the
 * revocation push still reaches live rooms); the session then ends only by a revocation heard later.
 */
export async function refuseRevokedReconnection(room: LiveRoom, services: Pick<SessionRoomServices, 'liveDevices'>, client: Client): Promise<void> {
  const caller = client.auth as (AccessIdentity & { generation?: number }) | undefined;
  if (!services.liveDevices || !caller) return;
  const valid = await services.liveDevices.stillValid(caller).catch((err: Error) => {
    room.log.warn({ err: err.message }, 'device not re-checked at reconnection (the database does not answer); let back in');
    return true;
  });
  if (valid) return;
  room.log.warn({ deviceId: caller.deviceId }, 'reconnection refused: the device was revoked');
  throw new ServerError(DEVICE_REVOKED_CLOSE_CODE, `${DEVICE_REVOKED_REASON}: this device was signed out (its refresh token was reused, or it was removed); sign in again with POST /api/auth/device and join a new session`);
}

function closeClients(room: LiveRoom, code: number, reason: string): void {
  room.log.warn({ code, reason }, 'live session closed: its device was revoked');
  for (const client of [...room.clients]) client.leave(code, reason);
}
