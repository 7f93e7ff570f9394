/**
 * How an audience matches a subject (artist, event, city, campaign): listeners analysed, average match and band,
 * the distribution, the top domain, and fan archetypes. Clusters are k-means on the listeners' unit domain vectors,
 * seeded farthest-first so the same audience gives the same clusters, named after what members said about
 * themselves (genres, else interests, else their best DNA domains); no two share a name.
 */
import { bandOf, DNA_DOMAINS, match, MATCH_BANDS, perDomain, unit, type DnaDomain, type DomainVectors, type MatchBand } from './dna.js';
import { percentOf, round } from '../numbers.js';

export interface Listener {
  vectors: DomainVectors;
  genres: readonly string[];
  interests: readonly string[];
}

/** The dot of two is the sum of their domain cosines. */
export function flatten(v: DomainVectors): number[] {
  return DNA_DOMAINS.flatMap((d) => unit(v[d]));
}

const dist2 = (a: readonly number[], b: readonly number[]): number => a.reduce((s, x, i) => s + (x - b[i]) ** 2, 0);

function nearestOf(p: readonly number[], centroids: readonly number[][]): number {
  let best = 0;
  let bestD = Infinity;
  for (let c = 0; c < centroids.length; c++) {
    const d = dist2(p, centroids[c]);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

/**
 * Farthest-first seeds, at most `iterations` Lloyd steps. Above `sample` points the centroids are fitted on every
 * (n / sample)-th point, then every point takes its nearest (10,000 listeners fit on 2,000: 5× less work, same groups).
 */
export function kmeans(points: readonly number[][], k: number, iterations = 20, sample = 2000): number[] {
  const n = points.length;
  if (n === 0) return [];
  if (n > sample) {
    const step = n / sample;
    const fitted = Array.from({ length: sample }, (_, i) => points[Math.floor(i * step)]);
    const centroids = centroidsOf(fitted, kmeans(fitted, k, iterations, sample));
    return points.map((p) => nearestOf(p, centroids));
  }
  let centroids: number[][] = [points[0].slice()];
  const nearest = points.map((p) => dist2(p, centroids[0]));
  while (centroids.length < Math.min(k, n)) {
    let far = 0;
    for (let i = 1; i < n; i++) if (nearest[i] > nearest[far]) far = i;
    if (nearest[far] === 0) break; // fewer distinct points than k
    centroids.push(points[far].slice());
    for (let i = 0; i < n; i++) nearest[i] = Math.min(nearest[i], dist2(points[i], points[far]));
  }
  const labels = new Array<number>(n).fill(0);
  for (let it = 0; it < iterations; it++) {
    let moved = false;
    for (let i = 0; i < n; i++) {
      const best = nearestOf(points[i], centroids);
      if (labels[i] !== best) moved = true;
      labels[i] = best;
    }
    if (!moved && it > 0) break;
    centroids = centroidsOf(points, labels, centroids);
  }
  return labels;
}

/** An empty cluster keeps its `prior` centroid (zeros without one). */
function centroidsOf(points: readonly number[][], labels: readonly number[], prior?: number[][]): number[][] {
  const k = prior?.length ?? Math.max(...labels) + 1;
  const dim = points[0].length;
  const sums = Array.from({ length: k }, () => new Array<number>(dim).fill(0));
  const counts = new Array<number>(k).fill(0);
  points.forEach((p, i) => {
    counts[labels[i]]++;
    for (let j = 0; j < dim; j++) sums[labels[i]][j] += p[j];
  });
  return sums.map((s, c) => (counts[c] ? s.map((x) => x / counts[c]) : (prior?.[c] ?? s)));
}

/** When members named no genre or interest: the best-matching domain. */
const DOMAIN_TRAIT: Record<DnaDomain, string> = { cultural: 'Culture-led', behavioral: 'Habit-led', economic: 'Spend-led', spatial: 'Place-led' };

const titled = (label: string): string => label.replace(/(^|[\s&/-])(\p{L})/gu, (_m, sep: string, ch: string) => sep + ch.toUpperCase());

/** Case-insensitive, most common first. */
function topLabels(members: readonly Listener[], pick: (l: Listener) => readonly string[]): string[] {
  const counts = new Map<string, { label: string; n: number }>();
  for (const m of members)
    for (const g of pick(m)) {
      const c = counts.get(g.toLowerCase()) ?? { label: g, n: 0 };
      c.n++;
      counts.set(g.toLowerCase(), c);
    }
  return [...counts.values()].sort((a, b) => b.n - a.n || a.label.localeCompare(b.label)).map((c) => titled(c.label));
}

function alignmentOf(match: number): string {
  return match >= 0.8 ? 'Closely aligned' : match >= 0.6 ? 'Well aligned' : match >= 0.4 ? 'Loosely aligned' : 'Distant';
}

/**
 * Most telling first: two top genres ("Afrobeats & Jazz fans"), other pairs, interests, leading DNA domains
 * ("Culture-led, place-led listeners"), then the match ("Loosely aligned, …"): two clusters led by the same domain
 * differ by their match before falling back to "(2)". `domainMatch`: null = no data.
 */
export function clusterNameCandidates(members: readonly Listener[], domainMatch: Record<DnaDomain, number | null>): string[] {
  const out: string[] = [];
  for (const pick of [(l: Listener) => l.genres, (l: Listener) => l.interests]) {
    const top = topLabels(members, pick).slice(0, 3);
    if (top.length >= 2) out.push(`${top[0]} & ${top[1]} fans`);
    if (top.length >= 3) out.push(`${top[0]} & ${top[2]} fans`, `${top[1]} & ${top[2]} fans`);
    if (top.length) out.push(`${top[0]} fans`);
  }
  const led = DNA_DOMAINS.filter((d) => domainMatch[d] !== null).sort((a, b) => (domainMatch[b] as number) - (domainMatch[a] as number));
  if (led.length) out.push(`${DOMAIN_TRAIT[led[0]]} listeners`);
  if (led.length > 1) out.push(`${DOMAIN_TRAIT[led[0]]}, ${DOMAIN_TRAIT[led[1]].toLowerCase()} listeners`);
  if (led.length) {
    const average = led.reduce((sum, d) => sum + (domainMatch[d] as number), 0) / led.length;
    out.push(`${alignmentOf(average)}, ${DOMAIN_TRAIT[led[0]].toLowerCase()} listeners`, `${alignmentOf(average)} listeners`);
  }
  return out;
}

/** Each takes its first candidate not taken by a larger cluster. */
export function distinctClusterNames(candidates: readonly string[][]): string[] {
  const used = new Set<string>();
  return candidates.map((c) => {
    const base = c[0] ?? 'Listeners without a DNA profile yet';
    let name = c.find((x) => !used.has(x)) ?? base;
    for (let n = 2; used.has(name); n++) name = `${base} (${n})`;
    used.add(name);
    return name;
  });
}

/** In [0, 1] (a negative cosine is no match, never "-0.00"), three decimals. */
export const matchScore = (x: number): number => Math.min(1, Math.max(0, round(x, 3))) || 0;

/** null where none of them has data. */
function domainMatchOf(matches: ReadonlyArray<ReturnType<typeof match>>): Record<DnaDomain, number | null> {
  return perDomain((d) => {
    const present = matches.map((m) => m.domains[d]).filter((x): x is number => x !== null);
    return present.length ? present.reduce((s, x) => s + x, 0) / present.length : null;
  });
}

/** At most k clusters, fewer for small audiences; shares are percent of the listeners analysed, one decimal. */
export function audienceInsights(listeners: readonly Listener[], subject: DomainVectors, k = 3) {
  const matches = listeners.map((l) => match(l.vectors, subject));
  const n = listeners.length;
  const avg = n ? matches.reduce((s, m) => s + m.score, 0) / n : 0;
  const distribution = Object.fromEntries(MATCH_BANDS.map((b) => [b, { count: 0, share: 0 }])) as Record<MatchBand, { count: number; share: number }>;
  for (const m of matches) distribution[bandOf(m.score)].count++;
  for (const b of MATCH_BANDS) distribution[b].share = percentOf(distribution[b].count, n) ?? 0;
  const everyone = domainMatchOf(matches);
  const domains = perDomain((d) => (everyone[d] === null ? null : matchScore(everyone[d])));
  let topDomain: { domain: DnaDomain; averageMatch: number } | null = null;
  for (const d of DNA_DOMAINS) {
    const v = domains[d];
    if (v !== null && (!topDomain || v > topDomain.averageMatch)) topDomain = { domain: d, averageMatch: v };
  }
  const flat = listeners.map((l) => flatten(l.vectors));
  const labels = kmeans(flat, Math.min(k, Math.max(1, Math.floor(n / 3))));
  const groups = new Map<number, number[]>();
  labels.forEach((c, i) => (groups.get(c) ?? groups.set(c, []).get(c)!).push(i));
  const sorted = [...groups.values()].sort((a, b) => b.length - a.length || a[0] - b[0]);
  const members = <T>(all: readonly T[], idx: readonly number[]) => idx.map((j) => all[j]);
  const names = distinctClusterNames(sorted.map((idx) => clusterNameCandidates(members(listeners, idx), domainMatchOf(members(matches, idx)))));
  const clusters = sorted.map((idx, i) => ({
    name: names[i],
    size: idx.length,
    share: percentOf(idx.length, n) ?? 0,
    averageMatch: matchScore(idx.reduce((s, j) => s + matches[j].score, 0) / idx.length),
  }));
  return { listenersAnalysed: n, averageMatch: matchScore(avg), band: n ? bandOf(avg) : null, distribution, domains, topDomain, clusters };
}
