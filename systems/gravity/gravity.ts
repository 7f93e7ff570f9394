/**
 * Gravity layer (seed 001): listening transitions between consecutive tracks of a session become a
 * weighted, decaying similarity graph; `rankCandidates` blends it with embedding similarity.
 *
 * Seed 001 names the signals (play_start, play_10s, like, radio_next, skip with `elapsed_ms`), the
 * neighbour read with a `normalized_score` in [0, 1] and the ranker's contract (no repeats from the
 * session history, best first). It gives no numbers: the weights, the skip grace period, the half-life
 * and the blend below are this module's choices, in one place, unit-tested (test/unit/gravity/gravity.test.ts).
 *
 * Decay without rewriting rows: a contribution made at time t is stored as c · 2^((t − EPOCH) / H). The
 * weight at time `now` is the stored sum · 2^(−(now − EPOCH) / H), so every edge decays by the same
 * factor, additions commute (a replayed or late batch adds the same amount whenever it runs), and
 * ordering edges by stored weight is ordering them by current weight.
 */

/** A passport `player.*` event type the gravity layer reads. */
export type GravityPassportType =
  'player.track_played' | 'player.play_10s' | 'player.like' | 'player.radio_next' | 'player.track_completed' | 'player.track_skipped';

/** What each positive signal adds to the edge leading to the track it is about. */
export const GRAVITY_SIGNAL_WEIGHTS: Readonly<Record<Exclude<GravityPassportType, 'player.track_skipped'>, number>> = Object.freeze({
  // A transition happened (play_start).
  'player.track_played': 1,
  // The radio chose it: a transition, but the listener's own choice counts more.
  'player.radio_next': 0.5,
  // The listener stayed 10 s: the transition was welcome.
  'player.play_10s': 2,
  // Played to the end (clients that report it).
  'player.track_completed': 2,
  // The strongest explicit signal.
  'player.like': 3,
});

/** Penalty of a skip at 0 ms; it shrinks linearly to 0 at {@link SKIP_GRACE_MS}. */
export const SKIP_MAX_PENALTY = 2;
/** A skip after this long costs nothing: the listener gave the track a fair hearing. */
export const SKIP_GRACE_MS = 30_000;
/** Fixed reference time of stored weights (2025-01-01T00:00:00Z). */
export const GRAVITY_EPOCH_MS = Date.UTC(2025, 0, 1);
/** Share of gravity in `rankCandidates`' blend; the rest is embedding similarity. */
export const DEFAULT_GRAVITY_WEIGHT = 0.3;

const DAY_MS = 86_400_000;

/**
 * Seed 001 skip penalty: a skip at `elapsedMs` subtracts SKIP_MAX_PENALTY · (1 − elapsed / SKIP_GRACE_MS),
 * never below 0 (a late skip costs nothing). Negative or missing elapsed counts as an immediate skip.
 */
export function skipPenalty(elapsedMs: number | null | undefined): number {
  const elapsed = typeof elapsedMs === 'number' && Number.isFinite(elapsedMs) ? Math.max(0, elapsedMs) : 0;
  return SKIP_MAX_PENALTY * Math.max(0, 1 - elapsed / SKIP_GRACE_MS);
}

/** What one event adds to its edge, before decay (negative for skips); 0 for other types. */
export function eventContribution(type: string, elapsedMs?: number | null): number {
  if (type === 'player.track_skipped') return 0 - skipPenalty(elapsedMs) || 0; // never -0
  return (GRAVITY_SIGNAL_WEIGHTS as Record<string, number>)[type] ?? 0;
}

/** Half-life in ms from days (validated by config). */
export const halfLifeMs = (days: number): number => days * DAY_MS;

/** Factor a contribution made at `atMs` is stored with (see the module comment). */
export function storedScale(atMs: number, halfLife: number): number {
  return 2 ** ((atMs - GRAVITY_EPOCH_MS) / halfLife);
}

/** A stored weight as it stands at `nowMs`. */
export function currentWeight(stored: number, nowMs: number, halfLife: number): number {
  return stored * 2 ** (-(nowMs - GRAVITY_EPOCH_MS) / halfLife);
}

/** An outgoing edge as stored. */
export interface GravityEdge {
  trackId: string;
  weight: number;
}

/**
 * Seed 001 `normalized_score`: each neighbour's weight over the strongest neighbour's, in [0, 1]
 * (the strongest scores 1). Edges a skip pushed to ≤ 0 are no neighbours. Input order is kept.
 */
export function normalizedScores<T extends GravityEdge>(edges: readonly T[]): Array<T & { normalizedScore: number }> {
  const positive = edges.filter((e) => e.weight > 0 && Number.isFinite(e.weight));
  const top = positive.reduce((max, e) => Math.max(max, e.weight), 0);
  return positive.map((e) => ({ ...e, normalizedScore: top > 0 ? Math.min(1, e.weight / top) : 0 }));
}

/** One ranked candidate (seed 001: `ranked[0]["track_id"]` is the pick). */
export interface RankedCandidate {
  trackId: string;
  /** (1 − g) · embedding + g · gravity. */
  score: number;
  embeddingScore: number;
  gravityScore: number;
}

export interface RankOptions {
  /** Share of gravity in the blend, 0..1. Default {@link DEFAULT_GRAVITY_WEIGHT}. */
  gravityWeight?: number;
}

const clamp01 = (x: number): number => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);

/**
 * Seed 001 `rank_candidates(current_track_id, candidate_track_ids, embeddings_scores, session_history)`.
 * Drops the current track, anything in the session history (no repeats) and duplicate candidates;
 * scores the rest by (1 − g) · embedding + g · gravity, where gravity is the `normalized_score` of the
 * edge current → candidate (0 without one) and a missing embedding score counts as 0. Best first; ties
 * by embedding score, then input order.
 * @param gravity normalized scores of the current track's neighbours ({@link normalizedScores}).
 */
export function rankCandidates(
  currentTrackId: string,
  candidateTrackIds: readonly string[],
  embeddingScores: Readonly<Record<string, number>>,
  sessionHistory: readonly string[],
  gravity: Readonly<Record<string, number>> = {},
  options: RankOptions = {},
): RankedCandidate[] {
  const g = clamp01(options.gravityWeight ?? DEFAULT_GRAVITY_WEIGHT);
  const excluded = new Set([currentTrackId, ...sessionHistory]);
  const seen = new Set<string>();
  const ranked: Array<RankedCandidate & { order: number }> = [];
  candidateTrackIds.forEach((trackId, order) => {
    if (excluded.has(trackId) || seen.has(trackId)) return;
    seen.add(trackId);
    const embeddingScore = clamp01(own(embeddingScores, trackId));
    const gravityScore = clamp01(own(gravity, trackId));
    ranked.push({ trackId, score: (1 - g) * embeddingScore + g * gravityScore, embeddingScore, gravityScore, order });
  });
  ranked.sort((a, b) => b.score - a.score || b.embeddingScore - a.embeddingScore || a.order - b.order);
  return ranked.map(({ order: _order, ...rest }) => rest);
}

/** A record's own numeric value (never an inherited one such as `constructor`). */
function own(record: Readonly<Record<string, number>>, key: string): number {
  return Object.prototype.hasOwnProperty.call(record, key) ? Number(record[key]) : 0;
}
