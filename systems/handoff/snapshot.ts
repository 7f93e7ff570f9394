/**
 * A session room's live state that is not already durable, as a small versioned record another process
 * restores from: where the dial is heading, the station and camera on screen, the session's tallies, the
 * path it walked, and the last input sequence it applied. Stars, badges and the session row are durable
 * already (Postgres), so they are not in it. Pure: the room builds it, an adapter stores the bytes.
 */
import { z } from 'zod';

/** Bumped when a field changes meaning; a reader refuses other versions (the session then restores from its row). */
export const SNAPSHOT_VERSION = 1;

/**
 * Why the snapshot was written. `handoff`: the holding process was draining and stopped taking inputs first,
 * so nothing after it was applied; `live`: written while the session ran (a lock, a capture, a badge), so
 * inputs applied after it are lost with a crash unless the client resends them.
 */
export type SnapshotReason = 'handoff' | 'live';

const finite = z.number().finite();
const counts = z.number().int().min(0);

export const sessionSnapshotSchema = z.object({
  v: z.literal(SNAPSHOT_VERSION),
  sessionId: z.string().min(1).max(64),
  userId: z.string().min(1).max(64),
  /** The holder's resume count: a credential issued by an older holder is stale. */
  generation: counts,
  /** The room that wrote it (a live one is told to yield when the session is resumed elsewhere). */
  roomId: z.string().max(64),
  reason: z.enum(['handoff', 'live']),
  writtenAt: finite,
  appliedSeq: counts,
  dial: z.object({ target: finite, locked: z.boolean(), predicted: finite }),
  station: z.object({ artistId: z.string().max(200), frequency: finite }),
  camera: z.object({ position: z.tuple([finite, finite, finite]), fov: finite }),
  counters: z.object({
    interactions: counts,
    swipes: counts,
    orbsExplored: counts,
    captures: counts,
    sensorEngagements: counts,
    sensorSeconds: z.number().min(0),
  }),
  visitedPath: z.array(z.string().max(200)).max(200),
  /** A ride open on the session (rooms/session/ride.ts): it moves and comes back with it. */
  ride: z
    .object({
      id: z.string().max(32),
      code: z.string().max(16).nullable(),
      expiresAt: finite,
      who: z.enum(['friends', 'link']),
      holder: z.string().max(64),
      hostName: z.string().max(200).nullable(),
      riders: z
        .array(z.object({ userId: z.string().max(64), deviceId: z.string().max(64), name: z.string().max(200).nullable(), appliedSeq: counts }))
        .max(1000),
      kicked: z.array(z.string().max(64)).max(10_000),
    })
    .optional(),
});

export type SessionSnapshot = z.infer<typeof sessionSnapshotSchema>;
export type RideSnapshot = NonNullable<SessionSnapshot['ride']>;

/** The snapshot a stored value holds, or null when it is not one this version reads (old, foreign or damaged). */
export function readSnapshot(value: unknown): SessionSnapshot | null {
  const parsed = sessionSnapshotSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** What a resume credential proves, as the room checks it against the snapshot it found. */
export interface ResumeClaim {
  sessionId: string;
  userId: string;
  generation: number;
}

/** Why a resume cannot use a snapshot; null when it can. */
export type SnapshotMismatch = 'OTHER_USER' | 'OTHER_SESSION' | 'STALE';

/**
 * Whether `snapshot` may restore the session `claim` names: the same user and session, and a claim at least as
 * new as the snapshot's holder (a credential from before a later resume is stale: a newer holder has it).
 */
export function checkSnapshotClaim(snapshot: SessionSnapshot, claim: ResumeClaim): SnapshotMismatch | null {
  if (snapshot.userId !== claim.userId) return 'OTHER_USER';
  if (snapshot.sessionId !== claim.sessionId) return 'OTHER_SESSION';
  if (claim.generation < snapshot.generation) return 'STALE';
  return null;
}

/**
 * How long a drained client waits before joining again: spread over `spreadMs` (scaled by how many sessions
 * move at once) so a deploy does not arrive at the next process as one burst. `random` in [0, 1).
 */
export function moveDelayMs(sessionsMoving: number, perSessionMs: number, maxSpreadMs: number, random: number): number {
  const spread = Math.min(maxSpreadMs, Math.max(0, sessionsMoving) * perSessionMs);
  return Math.floor(spread * Math.min(Math.max(random, 0), 0.999999));
}
