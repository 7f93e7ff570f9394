/**
 * A session room's live state that is not durable yet, as a small versioned record another process restores from.
 * Stars, badges and the session row are in Postgres already, so they are not in it.
 */
import { z } from 'zod';

/** Bumped when a field changes meaning; other versions are refused (the session then restores from its row). */
export const SNAPSHOT_VERSION = 1;

/**
 * `handoff`: the draining holder stopped taking inputs first, so nothing after it was applied; `live`: written
 * while running, so inputs after it are lost with a crash unless the client resends them.
 */
export type SnapshotReason = 'handoff' | 'live';

const finite = z.number().finite();
const counts = z.number().int().min(0);

export const sessionSnapshotSchema = z.object({
  v: z.literal(SNAPSHOT_VERSION),
  sessionId: z.string().min(1).max(64),
  userId: z.string().min(1).max(64),
  /** A credential issued by an older holder is stale. */
  generation: counts,
  /** A live room is told to yield when the session is resumed elsewhere. */
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
  /** An open ride moves and comes back with its session. */
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

/** null for an old, foreign or damaged value. */
export function readSnapshot(value: unknown): SessionSnapshot | null {
  const parsed = sessionSnapshotSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

export interface ResumeClaim {
  sessionId: string;
  userId: string;
  generation: number;
}

export type SnapshotMismatch = 'OTHER_USER' | 'OTHER_SESSION' | 'STALE';

/** Same user and session, and a claim at least as new as the snapshot's holder (an older credential is stale). */
export function checkSnapshotClaim(snapshot: SessionSnapshot, claim: ResumeClaim): SnapshotMismatch | null {
  if (snapshot.userId !== claim.userId) return 'OTHER_USER';
  if (snapshot.sessionId !== claim.sessionId) return 'OTHER_SESSION';
  if (claim.generation < snapshot.generation) return 'STALE';
  return null;
}

/** Spread over `spreadMs` (scaled by the sessions moving), so a deploy does not reach the next process as one burst. */
export function moveDelayMs(sessionsMoving: number, perSessionMs: number, maxSpreadMs: number, random: number): number {
  const spread = Math.min(maxSpreadMs, Math.max(0, sessionsMoving) * perSessionMs);
  return Math.floor(spread * Math.min(Math.max(random, 0), 0.999999));
}
