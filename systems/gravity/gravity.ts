/**
 * Listening transitions between consecutive tracks become a weighted, decaying similarity graph; `rankCandidates`
 * blends it with embedding similarity. The product names the signals, not the numbers: the weights, skip grace,
 * half-life and blend are chosen here, in one place.
 *
 * Decay without rewriting rows: a contribution at t is stored as c · 2^((t − EPOCH) / H); its weight now is the
 * stored sum · 2^(−(now − EPOCH) / H). Every edge decays by the same factor, additions commute (a replayed or late
 * batch adds the same), and ordering by stored weight is ordering by current weight.
 */
import type { EventType } from '../passport/events.js';

/** What each positive signal adds to the edge leading to the track (a skip subtracts its {@link skipPenalty}). */
export const GRAVITY_SIGNAL_WEIGHTS: Readonly<Partial<Record<EventType, number>>> = Object.freeze({
  'player.track_played': 1,
  // The radio's choice: the listener's own counts more.
  'player.radio_next': 0.5,
  // Stayed 10 s: the transition was welcome.
  'player.play_10s': 2,
  'player.track_completed': 2,
  'player.like': 3,
});

/** At 0 ms; shrinks linearly to 0 at {@link SKIP_GRACE_MS}. */
export const SKIP_MAX_PENALTY = 2;
/** After this long a skip costs nothing: the track had a fair hearing. */
export const SKIP_GRACE_MS = 30_000;
/** Reference time of stored weights. */
export const GRAVITY_EPOCH_MS = Date.UTC(2025, 0, 1);
export const DEFAULT_GRAVITY_WEIGHT = 0.3;

/** Negative or missing elapsed counts as an immediate skip. */
export function skipPenalty(elapsedMs: number | null | undefined): number {
  const elapsed = typeof elapsedMs === 'number' && Number.isFinite(elapsedMs) ? Math.max(0, elapsedMs) : 0;
  return SKIP_MAX_PENALTY * Math.max(0, 1 - elapsed / SKIP_GRACE_MS);
}

/** Before decay; negative for skips, 0 for other types. */
export function eventContribution(type: string, elapsedMs?: number | null): number {
  if (type === 'player.track_skipped') return 0 - skipPenalty(elapsedMs) || 0; // never -0
  return GRAVITY_SIGNAL_WEIGHTS[type as EventType] ?? 0;
}

export function currentWeight(stored: number, nowMs: number, halfLife: number): number {
  return stored * 2 ** (-(nowMs - GRAVITY_EPOCH_MS) / halfLife);
}

/** Each neighbour's weight over the strongest's, in [0, 1]; edges a skip pushed to ≤ 0 are no neighbours. Order kept. */
export function normalizedScores<T extends { trackId: string; weight: number }>(edges: readonly T[]): Array<T & { normalizedScore: number }> {
  const positive = edges.filter((e) => e.weight > 0 && Number.isFinite(e.weight));
  const top = positive.reduce((max, e) => Math.max(max, e.weight), 0);
  return positive.map((e) => ({ ...e, normalizedScore: top > 0 ? Math.min(1, e.weight / top) : 0 }));
}

export interface RankedCandidate {
  trackId: string;
  score: number;
  embeddingScore: number;
  gravityScore: number;
}

const clamp01 = (x: number): number => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);

/**
 * Drops the current track, the session history (no repeats) and duplicates; scores by (1 − g) · embedding +
 * g · the normalized score of current → candidate (0 without an edge). Best first; ties by embedding, then input order.
 */
export function rankCandidates(
  currentTrackId: string,
  candidateTrackIds: readonly string[],
  embeddingScores: Readonly<Record<string, number>>,
  sessionHistory: readonly string[],
  gravity: Readonly<Record<string, number>> = {},
  options: { gravityWeight?: number } = {},
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

/** Never an inherited one such as `constructor`. */
const own = (record: Readonly<Record<string, number>>, key: string): number => (Object.hasOwn(record, key) ? Number(record[key]) : 0);
