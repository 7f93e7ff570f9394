/**
 * The constellation journal (seed 000 step 8): a user's stars with their artists' current data, the
 * connection lines, statistics, the camera framing, clusters and insights. Pure: the caller loads the
 * rows, runs k-means on the positions (features/journal) and passes the cluster assignment in.
 *
 * Deliberate departures from the seed's worked example (docs/PROTOCOL.md "Constellation journal"):
 * `suggestedZoom` follows the seed's own formula (spread × 1.2 = 216 for its stars), not its example
 * value 144; `timeSpan` is the real first → newest interval (5.3 minutes there, not "15 minutes").
 */
export interface Vec3 {
  x: number;
  y: number;
  z: number;
}

export interface JournalStarInput {
  artistId: string;
  name: string;
  genres: readonly string[];
  era: string;
  origin: string;
  frequency: number | null;
  thumbnail: string;
  position: Vec3;
  capturedAtMs: number;
}

export interface JournalConnectionInput {
  from: string;
  to: string;
  strength: number;
  type: 'discovery_path' | 'genre_similarity';
}

/** Decade of an era label ("2010s" → 2010, "2000s–present" → 2000, "1970s" → 1970), or null. */
export function decadeOf(era: string): number | null {
  const m = /(\d{4})s/.exec(era);
  return m ? Number(m[1]) : null;
}

/** Stars before 1990 are the classics (seed: Fela Kuti 1970s is "influential", size 1.2). */
const CLASSIC_BEFORE = 1990;
const isClassic = (era: string) => (decadeOf(era) ?? Infinity) < CLASSIC_BEFORE;

const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;

/** k for k-means over `n` stars: ⌈√(n/2)⌉ (the seed's 3 stars → 2 clusters), at most `max`, never above n. */
export function clusterCount(n: number, max = 8): number {
  if (n <= 1) return n;
  return Math.min(n, max, Math.ceil(Math.sqrt(n / 2)));
}

/** Bounding box, centre, camera 300 units in front of the centre, fov 45, zoom = largest spread × 1.2. */
export function cameraSetup(positions: readonly Vec3[]) {
  if (positions.length === 0) return { boundingBox: null, position: { x: 0, y: 0, z: 300 }, lookAt: { x: 0, y: 0, z: 0 }, fieldOfView: 45, suggestedZoom: 0 };
  const min = { x: Math.min(...positions.map((p) => p.x)), y: Math.min(...positions.map((p) => p.y)), z: Math.min(...positions.map((p) => p.z)) };
  const max = { x: Math.max(...positions.map((p) => p.x)), y: Math.max(...positions.map((p) => p.y)), z: Math.max(...positions.map((p) => p.z)) };
  const centre = { x: (min.x + max.x) / 2, y: (min.y + max.y) / 2, z: (min.z + max.z) / 2 };
  const spread = Math.max(max.x - min.x, max.y - min.y, max.z - min.z);
  return { boundingBox: { min, max }, position: { x: centre.x, y: centre.y, z: centre.z + 300 }, lookAt: centre, fieldOfView: 45, suggestedZoom: round(spread * 1.2) };
}

/** Counts with percentages (rounded), most frequent first, first-seen order on ties. */
export function distribution(values: readonly string[]): Array<{ value: string; count: number; percentage: number }> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].map(([value, count]) => ({ value, count, percentage: Math.round((count / values.length) * 100) })).sort((a, b) => b.count - a.count);
}

/** A cluster's name: era class ("Modern" / "Classic") and its most common first genre (first captured wins a tie). */
export function clusterName(members: readonly JournalStarInput[]): string {
  const genre = distribution(members.map((s) => s.genres[0] ?? 'Eclectic'))[0]?.value ?? 'Eclectic';
  const classic = members.filter((s) => isClassic(s.era)).length > members.length / 2;
  return `${classic ? 'Classic' : 'Modern'} ${genre}`;
}

/** Line style per type: discovery paths solid blue, genre links dashed purple; thickness from strength, in halves. */
export function connectionStyle(c: Pick<JournalConnectionInput, 'strength' | 'type'>) {
  const discovery = c.type === 'discovery_path';
  return { color: discovery ? '#4169E1' : '#9370DB', thickness: Math.round(c.strength * (discovery ? 3 : 2) * 2) / 2, style: discovery ? 'solid' : 'dashed' };
}

/** Minutes to one decimal, truncated as the seed does (159 s → "2.6 minutes"). */
const minutes = (ms: number) => `${Math.floor(ms / 6_000) / 10} minutes`;

/** Statistics of step 8.4: totals, genres, eras, regions, journey stats, discovery depth, most-connected star. */
export function journalStatistics(stars: readonly JournalStarInput[], connections: readonly JournalConnectionInput[]) {
  const degree = new Map<string, number>();
  for (const c of connections) for (const id of [c.from, c.to]) degree.set(id, (degree.get(id) ?? 0) + 1);
  const mostConnected = [...stars].sort((a, b) => (degree.get(b.artistId) ?? 0) - (degree.get(a.artistId) ?? 0))[0];
  const decades = stars.map((s) => decadeOf(s.era)).filter((d): d is number => d !== null);
  const first = stars[0];
  const newest = stars[stars.length - 1];
  const spanMs = stars.length > 1 ? newest.capturedAtMs - first.capturedAtMs : 0;
  const deepest = decades.length ? Math.min(...decades) : null;
  return {
    totalStars: stars.length,
    genreDistribution: distribution(stars.map((s) => s.genres[0] ?? 'Eclectic')).map(({ value, ...r }) => ({ genre: value, ...r })),
    eraDistribution: distribution(stars.map((s) => s.era || 'unknown')).map(({ value, ...r }) => ({ era: value, ...r })),
    regionDistribution: distribution(stars.map((s) => s.origin || 'unknown')).map(({ value, ...r }) => ({ region: value, ...r })),
    journeyStats: {
      firstStar: first?.name ?? null,
      newestStar: newest?.name ?? null,
      firstCaptureAt: first ? new Date(first.capturedAtMs).toISOString() : null,
      latestCaptureAt: newest ? new Date(newest.capturedAtMs).toISOString() : null,
      timeSpan: minutes(spanMs),
      deepestHistory: deepest === null ? null : `${deepest}s`,
      avgCaptureInterval: stars.length > 1 ? minutes(spanMs / (stars.length - 1)) : null,
      decadesSpanned: decades.length ? (Math.max(...decades) - Math.min(...decades)) / 10 + 1 : 0,
    },
    discoveryDepth: connections.filter((c) => c.type === 'discovery_path').length,
    mostConnectedStar: mostConnected && (degree.get(mostConnected.artistId) ?? 0) > 0 ? { artistId: mostConnected.artistId, name: mostConnected.name, connections: degree.get(mostConnected.artistId) ?? 0 } : null,
  };
}

/** The shared root of related genres ("Afrobeats", "Afrofusion", "Afrobeat" → "Afrobeat"), if most stars share one. */
export function rootGenre(genres: readonly string[]): string | null {
  const roots = genres.map((g) => (/^afro/i.test(g) ? 'Afrobeat' : g.replace(/\s*(music|pop|fusion)$/i, '').trim()));
  const top = distribution(roots)[0];
  return top && top.count * 2 > genres.length ? top.value : null;
}

/** Insights of step 8.7 (text rules). */
export function journalInsights(stars: readonly JournalStarInput[], stats: ReturnType<typeof journalStatistics>): string[] {
  if (stars.length === 0) return ['Capture a station to place your first star'];
  const out: string[] = [];
  const root = rootGenre(stars.map((s) => s.genres[0] ?? ''));
  const hasClassic = stars.some((s) => isClassic(s.era));
  const hasModern = stars.some((s) => !isClassic(s.era));
  if (root && hasClassic && hasModern) out.push(`You're exploring the evolution of ${root}`);
  else if (root) out.push(`You're deep in ${root}`);
  if (root === 'Afrobeat' && hasClassic && hasModern) out.push('From the original Shrine to Lagos street corners');
  const n = stats.totalStars;
  const decades = stats.journeyStats.decadesSpanned;
  out.push(decades > 1 ? `${n} star${n === 1 ? '' : 's'} captured, spanning ${decades} decades` : `${n} star${n === 1 ? '' : 's'} captured`);
  return out;
}

export interface JournalInput {
  stars: readonly JournalStarInput[];
  connections: readonly JournalConnectionInput[];
  /** Cluster index per star (k-means over positions), same order as `stars`. */
  clusterOf: readonly number[];
  /** Glow colour per artist (the asset pipeline's orb glow), default gold. */
  glowOf?: (artistId: string) => string | undefined;
}

/** The journal (step 8's response, camelCase). Stars keep capture order; star ids are `star_<n>` in that order. */
export function buildJournal(input: JournalInput) {
  const starId = new Map(input.stars.map((s, i) => [s.artistId, `star_${String(i + 1).padStart(3, '0')}`]));
  const glow = (id: string) => input.glowOf?.(id) ?? '#FFD700';
  const stars = input.stars.map((s) => ({
    id: starId.get(s.artistId)!,
    artist: { id: s.artistId, name: s.name, thumbnail: s.thumbnail, genre: s.genres[0] ?? null, era: s.era, station: s.frequency },
    position: s.position,
    capturedAt: new Date(s.capturedAtMs).toISOString(),
    glowColor: glow(s.artistId),
    size: isClassic(s.era) ? 1.2 : 1.0,
  }));
  const positionOf = new Map(input.stars.map((s) => [s.artistId, s.position]));
  const connections = input.connections
    .filter((c) => starId.has(c.from) && starId.has(c.to))
    .map((c, i) => ({ id: `connection_${String(i + 1).padStart(3, '0')}`, fromStarId: starId.get(c.from)!, toStarId: starId.get(c.to)!, fromPosition: positionOf.get(c.from)!, toPosition: positionOf.get(c.to)!, strength: c.strength, type: c.type, ...connectionStyle(c) }));
  const statistics = journalStatistics(input.stars, input.connections);
  return { stars, connections, cameraSetup: cameraSetup(input.stars.map((s) => s.position)), clusters: clusters(input), statistics, insights: journalInsights(input.stars, statistics) };
}

function clusters(input: JournalInput) {
  const groups = new Map<number, JournalStarInput[]>();
  input.stars.forEach((s, i) => {
    const k = input.clusterOf[i] ?? 0;
    groups.set(k, [...(groups.get(k) ?? []), s]);
  });
  // In order of each cluster's first capture, so the output does not depend on k-means' numbering.
  return [...groups.values()]
    .sort((a, b) => a[0].capturedAtMs - b[0].capturedAtMs)
    .map((members) => ({
      name: clusterName(members),
      stars: members.map((s) => `star_${String(input.stars.indexOf(s) + 1).padStart(3, '0')}`),
      center: { x: round(mean(members.map((s) => s.position.x))), y: round(mean(members.map((s) => s.position.y))), z: round(mean(members.map((s) => s.position.z))) },
      color: input.glowOf?.(members[members.length - 1].artistId) ?? '#FFD700',
    }));
}

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

export type Journal = ReturnType<typeof buildJournal>;
