/**
 * MediaID DNA. Bases: A interests, T genres, G content flags, C location + privacy, each as tokens
 * (`genre:afrobeats`). Every profile is four vectors of `dims` floats (cultural, behavioral, economic, spatial) by
 * feature hashing, so any vocabulary fits a small fixed vector and a token lands in the same place for users,
 * artists and events. Passport events add weighted tokens (signals.ts).
 *
 * Carbon decay: a vector is stored as of R; bringing it to R' multiplies it by 2^(−(R'−R)/H) and a signal of time t
 * enters at 2^(−(R'−t)/H), so batches may arrive in any order and give the same vector. Matching: cosine per
 * domain, the mean over the domains both sides have.
 */
import { z } from 'zod';
import { hashString } from '../constellation/constellation.js';

export const DNA_DOMAINS = ['cultural', 'behavioral', 'economic', 'spatial'] as const;
export type DnaDomain = (typeof DNA_DOMAINS)[number];

/** Plain arrays: they travel as JSON and as Postgres `real[]`. */
export type DomainVectors = Record<DnaDomain, number[]>;

export const perDomain = <T>(f: (d: DnaDomain) => T): Record<DnaDomain, T> => Object.fromEntries(DNA_DOMAINS.map((d) => [d, f(d)])) as Record<DnaDomain, T>;

export interface Signal {
  domain: DnaDomain;
  token: string;
  weight: number;
}

/** Validated and bounded at the edge (inputs.ts). */
export const mediaIdInputsSchema = z.object({
  interests: z.array(z.string()),
  genrePreferences: z.array(z.string()),
  contentFlags: z.record(z.string(), z.union([z.boolean(), z.string(), z.number()])),
  locationCode: z.string().nullable(),
  privacy: z.object({ shareLocation: z.boolean(), allowMatching: z.boolean() }),
});
export type MediaIdInputs = z.infer<typeof mediaIdInputsSchema>;

export const normToken = (value: string): string => value.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');

/** Plus the helix as a letter sequence, one letter per input. */
export function basesOf(inputs: MediaIdInputs) {
  const flags = Object.keys(inputs.contentFlags).sort();
  const sequence =
    'A'.repeat(inputs.interests.length) + 'T'.repeat(inputs.genrePreferences.length) + 'G'.repeat(flags.length) + (inputs.locationCode ? 'C' : '');
  return {
    A: [...inputs.interests],
    T: [...inputs.genrePreferences],
    G: { ...inputs.contentFlags },
    C: { location: inputs.locationCode, privacy: { ...inputs.privacy } },
    sequence,
  };
}

/** `NG-LA` → `loc:ng`, `loc:ng-la`: a region matches its country a little, itself fully. */
export function locationTokens(code: string): string[] {
  const parts = normToken(code).split('-').filter(Boolean);
  return parts.map((_, i) => `loc:${parts.slice(0, i + 1).join('-')}`);
}

/** Location only when the user shares it. */
export function baseSignals(inputs: MediaIdInputs): Signal[] {
  const out: Signal[] = [];
  for (const i of inputs.interests) out.push({ domain: 'cultural', token: `interest:${normToken(i)}`, weight: 1 });
  for (const g of inputs.genrePreferences) out.push({ domain: 'cultural', token: `genre:${normToken(g)}`, weight: 1 });
  for (const [k, v] of Object.entries(inputs.contentFlags))
    out.push({ domain: 'behavioral', token: `flag:${normToken(k)}=${normToken(String(v))}`, weight: 1 });
  if (inputs.locationCode && inputs.privacy.shareLocation)
    for (const t of locationTokens(inputs.locationCode)) out.push({ domain: 'spatial', token: t, weight: 1 });
  return out;
}

/** Dimension = hash mod dims; the sign from the top bit keeps collisions unbiased. */
export function hashSlot(token: string, dims: number): { index: number; sign: 1 | -1 } {
  const h = hashString(token);
  return { index: h % dims, sign: h & 0x80000000 ? -1 : 1 };
}

export const zeroVectors = (dims: number): DomainVectors => perDomain(() => new Array<number>(dims).fill(0));

/** Mutates and returns `into`. */
export function addSignals(into: DomainVectors, signals: readonly Signal[], scale = 1): DomainVectors {
  for (const s of signals) {
    const v = into[s.domain];
    const { index, sign } = hashSlot(s.token, v.length);
    v[index] += sign * s.weight * scale;
  }
  return into;
}

export const halfLifeMs = (days: number): number => days * 86_400_000;

/** 2^(−age/H); 1 for a signal from the future (clock skew). */
export function decayFactor(ageMs: number, halfLifeMs: number): number {
  return ageMs <= 0 ? 1 : Math.pow(2, -ageMs / halfLifeMs);
}

/** The decayed sum as of `refMs`, and how many signals went in. */
export interface DynamicDna {
  vectors: DomainVectors;
  refMs: number;
  signals: number;
}

/** One passport event each. */
export interface TimedSignals {
  atMs: number;
  signals: Signal[];
}

/** The profile moves to the latest reference time; each event enters decayed by its age then. */
export function mirror(previous: DynamicDna | null, events: readonly TimedSignals[], dims: number, halfLife: number): DynamicDna {
  const prevRef = previous?.refMs ?? Number.NEGATIVE_INFINITY;
  const refMs = events.reduce((m, e) => Math.max(m, e.atMs), Number.isFinite(prevRef) ? prevRef : 0);
  const carried = previous ? decayFactor(refMs - previous.refMs, halfLife) : 0;
  const vectors = previous ? perDomain((d) => previous.vectors[d].map((x) => x * carried)) : zeroVectors(dims);
  for (const e of events) addSignals(vectors, e.signals, decayFactor(refMs - e.atMs, halfLife));
  return { vectors, refMs, signals: (previous?.signals ?? 0) + events.length };
}

export function norm(v: readonly number[]): number {
  let s = 0;
  for (const x of v) s += x * x;
  return Math.sqrt(s);
}

/** 0 when either side is all zeros. */
export function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

export const unit = (v: readonly number[]): number[] => {
  const n = norm(v);
  return n === 0 ? v.map(() => 0) : v.map((x) => x / n);
};

/** Cosine per domain (null where either side is empty) and their mean. */
export function match(a: DomainVectors, b: DomainVectors) {
  const domains = perDomain((d) => (norm(a[d]) > 0 && norm(b[d]) > 0 ? cosine(a[d], b[d]) : null));
  const present = DNA_DOMAINS.filter((d) => domains[d] !== null);
  const sum = present.reduce((s, d) => s + domains[d]!, 0);
  const topDomain = present.reduce<DnaDomain | null>((top, d) => (top === null || domains[d]! > domains[top]! ? d : top), null);
  return { score: present.length ? sum / present.length : 0, domains, topDomain };
}

/** The index uses it to count shared domains. */
export function domainMask(v: DomainVectors): number {
  return DNA_DOMAINS.reduce((m, d, i) => (norm(v[d]) > 0 ? m | (1 << i) : m), 0);
}

/** "0.74 (strong alignment)". */
export type MatchBand = 'strong' | 'good' | 'moderate' | 'weak';
export const MATCH_BANDS: readonly MatchBand[] = ['strong', 'good', 'moderate', 'weak'];
export function bandOf(score: number): MatchBand {
  return score >= 0.7 ? 'strong' : score >= 0.5 ? 'good' : score >= 0.3 ? 'moderate' : 'weak';
}

export interface DnaSettings {
  dims: number;
  halfLifeMs: number;
  baseWeight: number;
}

/**
 * Per domain, `baseWeight` × the bases' unit vector plus the dynamic vector decayed to now. The bases never decay
 * (the user's own statement); with baseWeight 5 behaviour outweighs them after ~5 recent signals, and they win
 * again once those decay.
 */
export function profileEmbedding(inputs: MediaIdInputs, dynamic: DynamicDna | null, nowMs: number, s: DnaSettings): DomainVectors {
  const base = addSignals(zeroVectors(s.dims), baseSignals(inputs));
  const factor = dynamic ? decayFactor(nowMs - dynamic.refMs, s.halfLifeMs) : 0;
  return perDomain((d) => unit(base[d]).map((x, i) => s.baseWeight * x + (dynamic ? dynamic.vectors[d][i] * factor : 0)));
}
