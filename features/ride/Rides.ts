/**
 * Where a ride is: its code and id mapped to its room on the backplane, so a rider finds it across the fleet. A code is
 * 50 random bits; misses are bounded per user (RIDE_LOOKUPS_PER_MINUTE), so guessing hits 429 long before a find.
 */
import { randomInt } from 'node:crypto';
import { AppError } from '../../systems/errors.js';
import type { BackplaneBlobs } from '../../persistence/backplane/Backplane.js';
import type { Limit } from '../limits/Limits.js';

const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const CODE_LENGTH = 10;
/** A ride id: 16 random bytes, base64url. */
export const RIDE_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;
/** How long the id → room entry lives without a write (a roster change or a restore rewrites it). */
const ENTRY_TTL_MS = 12 * 3_600_000;

export function newInviteCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

/** A code as a person may type it (lower case, dashes, spaces, O for 0, I/L for 1), or null when it cannot be one. */
export function readCode(text: string): string | null {
  const code = text.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return code.length === CODE_LENGTH && [...code].every((c) => CODE_ALPHABET.includes(c)) ? code : null;
}

export class Rides {
  constructor(
    private readonly blobs: BackplaneBlobs,
    /** Misses per user per minute. */
    private readonly lookups: Pick<Limit, 'check' | 'consume'>,
  ) {}

  /** The ride is (again) in room `roomId`; its open invite, if any, leads there until `expiresAt`. */
  async publish(ride: { id: string; code: string | null; expiresAt: number }, roomId: string, nowMs: number, moving = false): Promise<void> {
    const entry = Buffer.from(JSON.stringify({ rideId: ride.id, roomId, moving }));
    await this.blobs.set(ride.id, entry, nowMs, ENTRY_TTL_MS);
    if (ride.code && ride.expiresAt > nowMs) await this.blobs.set(`code:${ride.code}`, Buffer.from(ride.id), nowMs, ride.expiresAt - nowMs);
  }

  async revoke(code: string): Promise<void> {
    await this.blobs.delete(`code:${code}`);
  }

  async forget(ride: { id: string; code: string | null }): Promise<void> {
    await Promise.all([this.blobs.delete(ride.id), ride.code ? this.revoke(ride.code) : undefined]);
  }

  /** @throws AppError RATE_LIMITED past the user's misses, NOT_FOUND (unknown, expired or revoked), RIDE_MOVING (503: look again). */
  async find(key: string, userId: string, nowMs: number): Promise<{ rideId: string; roomId: string }> {
    await this.lookups.check(userId);
    const code = RIDE_ID_PATTERN.test(key) ? null : readCode(key);
    const rideId = code ? (await this.blobs.get(`code:${code}`, nowMs))?.toString() : RIDE_ID_PATTERN.test(key) ? key : undefined;
    const raw = rideId ? await this.blobs.get(rideId, nowMs) : undefined;
    if (!raw) {
      await this.lookups.consume(userId);
      throw new AppError('NOT_FOUND', 'no ride has this invite: it is mistyped, expired or revoked, or the ride ended; ask the host for a new one');
    }
    const entry = JSON.parse(raw.toString()) as { rideId: string; roomId: string; moving: boolean };
    if (entry.moving) throw rideMoving();
    return { rideId: entry.rideId, roomId: entry.roomId };
  }
}

/** A rider's next look while the host comes back (the Retry-After header rounds it up to a second for other clients). */
const RIDE_LOOK_AGAIN_MS = 400;

/** 503 while the ride's host moves or comes back after a crash; the message names the look-again a client waits. */
export const rideMoving = (): AppError =>
  new AppError('RIDE_MOVING', `the ride is moving to another server; look again shortly (retryAfterMs=${RIDE_LOOK_AGAIN_MS})`, undefined, 1);
