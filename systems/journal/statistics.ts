/** The journal's numbers, from the stars in capture order with the artist's current data. */
import type { Direction, JournalConnectionInput, JournalStarInput, JournalStatistics } from './types.js';

export interface Share<K extends string> {
  key: K;
  count: number;
  /** Whole percent, rounded (1 of 3 → 33). */
  percentage: number;
}

export function decadeOf(era: string): number | null {
  const m = /(\d{3})0s/.exec(era);
  return m ? Number(m[1]) * 10 : null;
}

/** Its decade, or the label itself when it has none. */
export function eraKey(era: string): string {
  const decade = decadeOf(era);
  return decade === null ? era || 'Unknown' : `${decade}s`;
}

/** "Lagos, Nigeria" → "Nigeria". */
export function regionOf(origin: string): string {
  const parts = origin
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return parts.length ? parts[parts.length - 1] : 'Unknown';
}

export const genreOf = (star: JournalStarInput): string => star.artist.genres[0] ?? 'Unknown';

/** Stable: ties keep first-seen (capture) order. */
export function distribution<K extends string>(keys: readonly K[]): Array<Share<K>> {
  const counts = new Map<K, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  const total = keys.length;
  return [...counts.entries()]
    .map(([key, count]) => ({ key, count, percentage: total ? Math.round((count / total) * 100) : 0 }))
    .sort((a, b) => b.count - a.count);
}

/** Toward older music is "Modern → Classic". */
function directionOf(from: number | null, to: number | null): Direction | null {
  if (from === null || to === null) return null;
  return to < from ? 'Modern → Classic' : to > from ? 'Classic → Modern' : 'Same era';
}

const DIRECTION_ORDER: Direction[] = ['Modern → Classic', 'Classic → Modern', 'Same era'];

function discoveryOf(stars: readonly JournalStarInput[], connections: readonly JournalConnectionInput[]): JournalStatistics['discovery'] {
  const decadeByArtist = new Map(stars.map((s) => [s.artist.id, decadeOf(s.artist.era)]));
  const counts = new Map<Direction, number>();
  for (const c of connections) {
    const d = directionOf(decadeByArtist.get(c.from) ?? null, decadeByArtist.get(c.to) ?? null);
    if (d) counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  let best: Direction | null = null;
  for (const d of DIRECTION_ORDER) if ((counts.get(d) ?? 0) > (best ? counts.get(best)! : 0)) best = d;
  const decades = stars.map((s) => decadeOf(s.artist.era)).filter((d): d is number => d !== null);
  const oldest = decades.length ? Math.min(...decades) : null;
  const newest = decades.length ? Math.max(...decades) : null;
  return {
    mostCommonDirection: best,
    transitions: best ? counts.get(best)! : 0,
    deepestHistory: oldest === null ? null : `${oldest}s`,
    decadesSpanned: oldest === null || newest === null ? 0 : (newest - oldest) / 10 + 1,
  };
}

/**
 * The star linked to the most other stars: a pair linked by a path and a genre, or both ways, is one neighbour, as
 * the sky draws it one line. Ties go to the earlier capture.
 */
function mostConnected(stars: readonly JournalStarInput[], connections: readonly JournalConnectionInput[]): JournalStatistics['mostConnectedStar'] {
  const near = new Map<string, Set<string>>();
  const link = (a: string, b: string) => near.set(a, (near.get(a) ?? new Set<string>()).add(b));
  for (const c of connections) {
    link(c.from, c.to);
    link(c.to, c.from);
  }
  const degree = (s: JournalStarInput) => near.get(s.artist.id)?.size ?? 0;
  let best: JournalStarInput | null = null;
  for (const s of stars) if (degree(s) > (best ? degree(best) : 0)) best = s;
  return best ? { starId: best.id, artistName: best.artist.name, connections: degree(best) } : null;
}

const minutes = (ms: number): number => Math.floor(ms / 6000) / 10;

function journeyOf(stars: readonly JournalStarInput[]): JournalStatistics['journey'] {
  const first = stars[0];
  const last = stars[stars.length - 1];
  const span = first && last ? Date.parse(last.capturedAt) - Date.parse(first.capturedAt) : 0;
  return {
    firstStar: first?.artist.name ?? null,
    newestStar: last?.artist.name ?? null,
    firstCapturedAt: first?.capturedAt ?? null,
    latestCapturedAt: last?.capturedAt ?? null,
    timeSpanMinutes: minutes(span),
    avgCaptureIntervalMinutes: stars.length > 1 ? minutes(span / (stars.length - 1)) : 0,
  };
}

/** Stars oldest first; connections by artist id. */
export function journalStatistics(stars: readonly JournalStarInput[], connections: readonly JournalConnectionInput[]): JournalStatistics {
  return {
    totalStars: stars.length,
    totalConnections: connections.length,
    genreDistribution: distribution(stars.map(genreOf)).map(({ key, ...rest }) => ({ genre: key, ...rest })),
    eraDistribution: distribution(stars.map((s) => eraKey(s.artist.era))).map(({ key, ...rest }) => ({ era: key, ...rest })),
    regionDistribution: distribution(stars.map((s) => regionOf(s.artist.origin))).map(({ key, ...rest }) => ({ region: key, ...rest })),
    discovery: discoveryOf(stars, connections),
    mostConnectedStar: mostConnected(stars, connections),
    journey: journeyOf(stars),
  };
}
