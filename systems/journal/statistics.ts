/** The journal's numbers, from the stars in capture order with the artist's current data. */
import type { Direction, JournalConnectionInput, JournalStarInput, JournalStatistics } from './types.js';

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

/** Whole percent, rounded (1 of 3 → 33). Stable: ties keep first-seen (capture) order. */
function distribution<N extends string>(stars: readonly JournalStarInput[], name: N, keyOf: (s: JournalStarInput) => string) {
  const counts = new Map<string, number>();
  for (const s of stars) counts.set(keyOf(s), (counts.get(keyOf(s)) ?? 0) + 1);
  const share = ([key, count]: [string, number]) => ({ [name]: key, count, percentage: Math.round((count / stars.length) * 100) });
  return [...counts].map(share).sort((a, b) => b.count - a.count) as Array<Record<N, string> & { count: number; percentage: number }>;
}

/** Dated members' decades, oldest first. */
export const decadesOf = (stars: readonly JournalStarInput[]): number[] =>
  stars
    .map((s) => decadeOf(s.artist.era))
    .filter((d): d is number => d !== null)
    .sort((a, b) => a - b);

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
  const decades = decadesOf(stars);
  return {
    mostCommonDirection: best,
    transitions: best ? counts.get(best)! : 0,
    deepestHistory: decades.length ? `${decades[0]}s` : null,
    decadesSpanned: decades.length ? (decades[decades.length - 1] - decades[0]) / 10 + 1 : 0,
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
    genreDistribution: distribution(stars, 'genre', genreOf),
    eraDistribution: distribution(stars, 'era', (s) => eraKey(s.artist.era)),
    regionDistribution: distribution(stars, 'region', (s) => regionOf(s.artist.origin)),
    discovery: discoveryOf(stars, connections),
    mostConnectedStar: mostConnected(stars, connections),
    journey: journeyOf(stars),
  };
}
