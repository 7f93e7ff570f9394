/**
 * Spectator lag: from an event in a session (a station visit or a capture, timestamped when the
 * session bot hears of it) to a spectator seeing that artist's leaderboard entry change. Bots share the
 * machine clock, so times are epoch milliseconds (performance.timeOrigin + performance.now()).
 *
 * We do not know which coliseum leaderboard counts what, so every (event stream, leaderboard) pair is scored
 * with two estimators and the pair that explains the most events is reported:
 * - count: leaderboard scores count events one by one. For a probe's first sighting of an entity with
 *   score S0 at t0, the k-th event on that entity after t0 is visible at the first sighting whose
 *   score reaches S0 + k. Exact when the leaderboard adds 1 per event; events never reached are "unseen".
 * - change: the first sighting after the event at which the entity's score changed. A lower bound:
 *   the change seen may stem from an earlier event whose update was still in flight.
 * The pair chosen is the one whose score rise matches the number of events (fit ≈ 1). An entry that
 * leaves the displayed rows (top N) is reported with a NaN score; sightings are split there so a
 * re-entry is not counted as lag. Only a few spectators per worker ("probes") record sightings; all
 * receive the same broadcasts.
 */
import { newHistogram, recordMs, summarize, type Histogram, type LatencySummary } from './stats.js';

/** A session-side event on an artist. */
export interface LagEvent {
  stream: 'visit' | 'capture';
  entityId: string;
  t: number;
}

/** One probe seeing an entry's score change (or appear) on a leaderboard. */
export interface Sighting {
  probe: string;
  leaderboard: string;
  entityId: string;
  score: number;
  t: number;
}

export interface LagPairResult {
  stream: LagEvent['stream'];
  leaderboard: string;
  events: number;
  /** Events on entities this leaderboard ever showed, after the probe's baseline. */
  eligible: number;
  /** Score rise seen ÷ eligible events: ≈ 1 when the leaderboard adds one per event. */
  fit: number | null;
  count: LatencySummary & { unseen: number };
  change: LatencySummary;
}

export interface SpectatorLagResult {
  /** The pair whose score rise is closest to its number of events (null: no sightings). */
  best: LagPairResult | null;
  /** False when even the best pair's fit is outside 0.8–1.25: the count estimate is then unreliable. */
  bestCountsEvents: boolean;
  pairs: LagPairResult[];
  probes: number;
  sightings: number;
}

/** First index in ascending `arr` whose key is > `t`. */
function upperBound<T>(arr: readonly T[], t: number, key: (x: T) => number): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (key(arr[mid]) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Lag in ms per event for one probe's sightings of one entity on one leaderboard (ascending by time). */
export function countEstimator(
  eventTimes: readonly number[],
  sightings: readonly Pick<Sighting, 'score' | 't'>[],
): { lags: number[]; unseen: number; eligible: number } {
  if (!sightings.length) return { lags: [], unseen: 0, eligible: 0 };
  const { score: s0, t: t0 } = sightings[0];
  const after = eventTimes.slice(upperBound(eventTimes, t0, (x) => x));
  const lags: number[] = [];
  let j = 1;
  for (let k = 1; k <= after.length; k++) {
    while (j < sightings.length && (sightings[j].score - s0 < k || sightings[j].t < after[k - 1])) j++;
    if (j >= sightings.length) return { lags, unseen: after.length - k + 1, eligible: after.length };
    lags.push(sightings[j].t - after[k - 1]);
  }
  return { lags, unseen: 0, eligible: after.length };
}

/** Lag in ms per event: first sighting strictly after the event (sightings are changes by construction). */
export function changeEstimator(eventTimes: readonly number[], sightings: readonly Pick<Sighting, 't'>[]): number[] {
  if (!sightings.length) return [];
  const t0 = sightings[0].t;
  const lags: number[] = [];
  for (const t of eventTimes) {
    if (t <= t0) continue;
    const i = upperBound(sightings, t, (s) => s.t);
    if (i < sightings.length) lags.push(sightings[i].t - t);
  }
  return lags;
}

function group<T>(items: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    const list = out.get(k);
    if (list) list.push(it);
    else out.set(k, [it]);
  }
  return out;
}

/**
 * Splits one probe's sightings of one entity into visible stretches: a sighting with a NaN score
 * marks the entry leaving the displayed rows (e.g. falling out of the top N). Each stretch gets its
 * own baseline and only the events inside it, so a re-entry does not count as lag.
 */
export function visibleStretches<T extends Pick<Sighting, 'score' | 't'>>(series: readonly T[]): Array<{ sightings: T[]; end: number }> {
  const out: Array<{ sightings: T[]; end: number }> = [];
  let current: T[] = [];
  for (const s of series) {
    if (Number.isNaN(s.score)) {
      if (current.length) out.push({ sightings: current, end: s.t });
      current = [];
    } else current.push(s);
  }
  if (current.length) out.push({ sightings: current, end: Infinity });
  return out;
}

/** Scores every (stream, leaderboard) pair over every probe and picks the one that counts the events. */
export function computeSpectatorLag(events: readonly LagEvent[], sightings: readonly Sighting[]): SpectatorLagResult {
  const byStream = group(events, (e) => e.stream);
  const timesByStreamEntity = new Map<string, number[]>();
  for (const [stream, list] of byStream) {
    for (const [entity, evs] of group(list, (e) => e.entityId))
      timesByStreamEntity.set(
        `${stream}\u0000${entity}`,
        evs.map((e) => e.t).sort((a, b) => a - b),
      );
  }
  const byLeaderboard = group(sightings, (s) => s.leaderboard);
  const pairs: LagPairResult[] = [];
  for (const [stream, list] of byStream) {
    for (const [leaderboard, leaderboardSightings] of byLeaderboard) {
      const countH: Histogram = newHistogram();
      const changeH: Histogram = newHistogram();
      let unseen = 0;
      let eligible = 0;
      let rise = 0;
      for (const series of group(leaderboardSightings, (s) => `${s.probe}\u0000${s.entityId}`).values()) {
        series.sort((a, b) => a.t - b.t);
        const times = timesByStreamEntity.get(`${stream}\u0000${series[0].entityId}`) ?? [];
        for (const stretch of visibleStretches(series)) {
          const inside = times.filter((t) => t < stretch.end);
          const c = countEstimator(inside, stretch.sightings);
          c.lags.forEach((l) => recordMs(countH, Math.max(0, l)));
          unseen += c.unseen;
          eligible += c.eligible;
          rise += stretch.sightings[stretch.sightings.length - 1].score - stretch.sightings[0].score;
          changeEstimator(inside, stretch.sightings).forEach((l) => recordMs(changeH, l));
        }
      }
      pairs.push({
        stream: stream as LagEvent['stream'],
        leaderboard,
        events: list.length,
        eligible,
        fit: eligible ? Math.round((rise / eligible) * 100) / 100 : null,
        count: { ...summarize(countH), unseen },
        change: summarize(changeH),
      });
    }
  }
  // The leaderboard that counts these events shows a score rise close to their number (fit ≈ 1; a trending or
  // weighted leaderboard does not): among fits within 0.8–1.25 the pair explaining the most events, else the fit closest to 1.
  const counts = (p: LagPairResult) => p.fit !== null && p.fit >= 0.8 && p.fit <= 1.25;
  const distance = (p: LagPairResult) => (p.fit && p.fit > 0 ? Math.abs(Math.log(p.fit)) : Infinity);
  const candidates = pairs.filter((p) => p.count.count > 0);
  const best = candidates.filter(counts).sort((a, b) => b.count.count - a.count.count)[0] ?? candidates.sort((a, b) => distance(a) - distance(b))[0] ?? null;
  return { best, bestCountsEvents: best ? counts(best) : false, pairs, probes: new Set(sightings.map((s) => s.probe)).size, sightings: sightings.length };
}

/**
 * Leaderboard entries in a decoded coliseum state, whatever its exact shape: every object with a numeric
 * `score` (or `value`/`count`) and an id (`entityId`/`artistId`/`id`, else its map key), grouped by
 * the path of the collection holding it (array indices dropped, map keys kept).
 */
export function extractLeaderboardEntries(state: unknown): Array<{ leaderboard: string; entityId: string; score: number }> {
  const out: Array<{ leaderboard: string; entityId: string; score: number }> = [];
  const walk = (node: unknown, path: string[], key: string | null, depth: number): void => {
    if (!node || typeof node !== 'object' || depth > 8) return;
    if (Array.isArray(node)) {
      node.forEach((child) => walk(child, path, null, depth + 1));
      return;
    }
    const obj = node as Record<string, unknown>;
    const score = [obj.score, obj.value, obj.count].find((v) => typeof v === 'number' && Number.isFinite(v)) as number | undefined;
    const id = [obj.entityId, obj.artistId, obj.id].find((v) => typeof v === 'string' && v.length > 0) as string | undefined;
    if (score !== undefined && (id ?? key)) {
      out.push({ leaderboard: path.join('.') || '(root)', entityId: (id ?? key)!, score });
      return;
    }
    for (const [k, child] of Object.entries(obj)) {
      if (child && typeof child === 'object') walk(child, [...path, k], k, depth + 1);
    }
  };
  walk(state, [], null, 0);
  // A map keyed by entity puts the entity id into the path: fold such entries back onto their collection.
  return out.map((e) => (e.leaderboard.endsWith(`.${e.entityId}`) ? { ...e, leaderboard: e.leaderboard.slice(0, -e.entityId.length - 1) } : e));
}
