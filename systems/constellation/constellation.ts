/**
 * Star placement, connections and the fly-away for a capture. The first star sits at the origin; otherwise the
 * base is the latest path artist that is a star (else the last star), plus {@link RELATIONSHIP_OFFSETS}. An
 * offset that would crowd a star or extend a straight run turns about the vertical axis first (heading.ts), so
 * skies grow as clusters, not rows; a star still within 60 of another is jittered by a seeded random walk.
 */
import { type RelationshipType, isRelationshipType } from '../session/orbits.js';
import { AppError } from '../errors.js';
import { chooseHeading, dist } from './heading.js';
import type { Vec3 } from '../shapes.js';

export type Point3 = Readonly<Vec3>;

export interface Star {
  readonly artistId: string;
  readonly position: Point3;
  readonly genres: readonly string[];
}

export interface StarConnection {
  readonly from: string;
  readonly to: string;
  readonly strength: number;
  readonly type: 'discovery_path' | 'genre_similarity';
}

export interface PlaceStarInput {
  /** In capture order. */
  readonly existing: readonly Star[];
  /** Oldest first (may end with the captured artist). */
  readonly discoveryPath: readonly string[];
  readonly artistId: string;
  /** null/undefined/unknown → peer. */
  readonly relationshipFrom: (baseArtistId: string) => string | null | undefined;
  /** e.g. `mulberry32(seedFromIds(userId, artistId))`. */
  readonly rng: Rng;
}

export type Rng = () => number;

export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a over UTF-16 code units. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Replays of the same capture land on the same position. */
export function seedFromIds(userId: string, artistId: string): number {
  // The separator keeps ("ab","c") and ("a","bc") apart.
  return hashString(`${userId}\u0000${artistId}`);
}

/** Ancestor back and up, peer to the right, influenced forward and down (the ancestor's mirror). */
export const RELATIONSHIP_OFFSETS: Readonly<Record<RelationshipType, Point3>> = Object.freeze({
  ancestor: Object.freeze({ x: -80, y: 100, z: -30 }),
  influence: Object.freeze({ x: -80, y: 100, z: -30 }),
  peer: Object.freeze({ x: 100, y: 0, z: 0 }),
  collaborator: Object.freeze({ x: 100, y: 0, z: 0 }),
  contemporary: Object.freeze({ x: 100, y: 0, z: 0 }),
  influenced: Object.freeze({ x: 80, y: -100, z: 30 }),
});

const ORIGIN: Point3 = Object.freeze({ x: 0, y: 0, z: 0 });

export const MIN_STAR_DISTANCE = 60;
/** Integer per axis, in [−JITTER, +JITTER]. */
export const JITTER = 20;
export const MAX_JITTER_ATTEMPTS = 100;
export const DISCOVERY_PATH_STRENGTH = 0.95;
export const GENRE_SIMILARITY_THRESHOLD = 0.7;

export type ConstellationErrorCode = 'ALREADY_CAPTURED' | 'INVALID_POSITION';

export class ConstellationError extends AppError<ConstellationErrorCode> {}

/** The latest discovery-path artist (other than the captured one) that is a star, else the last star; null with none. */
export function findBaseStar(existing: readonly Star[], discoveryPath: readonly string[], artistId: string): Star | null {
  for (let i = discoveryPath.length - 1; i >= 0; i--) {
    const star = discoveryPath[i] === artistId ? undefined : existing.find((s) => s.artistId === discoveryPath[i]);
    if (star) return star;
  }
  return existing[existing.length - 1] ?? null;
}

/** Unknown or missing types count as peer. */
export function relationshipOffset(type: string | null | undefined): Point3 {
  return type != null && isRelationshipType(type) ? RELATIONSHIP_OFFSETS[type] : RELATIONSHIP_OFFSETS.peer;
}

/**
 * Burna Boy at (120, 80, −50) + ancestor → (40, 180, −80). Throws ALREADY_CAPTURED before placing. When the jitter
 * attempts run out, the star is accepted within 60 of another.
 */
export function placeStar(input: PlaceStarInput): { position: Point3 } {
  const { existing, artistId } = input;
  if (existing.some((s) => s.artistId === artistId))
    throw new ConstellationError('ALREADY_CAPTURED', `Artist ${artistId} is already in this constellation: skip placement.`);
  const base = findBaseStar(existing, input.discoveryPath, artistId);
  if (base === null) return { position: { ...ORIGIN } };
  assertPoint(base.position, base.artistId);
  const taken = existing.map((s) => s.position);
  const offset = chooseHeading(base.position, relationshipOffset(input.relationshipFrom(base.artistId)), taken, input.rng);
  const p = { x: base.position.x + offset.x, y: base.position.y + offset.y, z: base.position.z + offset.z };
  for (let attempts = 0; isCrowded(existing, p) && attempts < MAX_JITTER_ATTEMPTS; attempts++) {
    p.x += jitter(input.rng);
    p.y += jitter(input.rng);
    p.z += jitter(input.rng);
  }
  return { position: p };
}

export function distance(a: Point3, b: Point3): number {
  return dist(a.x - b.x, a.y - b.y, a.z - b.z);
}

/**
 * |A ∩ B| / max(|A|, |B|) on genres lower-cased, letters and digits only, one trailing plural "s" dropped, so
 * "Afrobeats" and "Afrobeat" are one family. 0 if either is empty.
 */
export function genreSimilarity(a: readonly string[], b: readonly string[]): number {
  const setA = normaliseGenres(a);
  const setB = normaliseGenres(b);
  if (setA.size === 0 || setB.size === 0) return 0;
  let overlap = 0;
  for (const g of setA) if (setB.has(g)) overlap++;
  return overlap / Math.max(setA.size, setB.size);
}

/**
 * At most one line per existing star: a star on the session's discovery path → `discovery_path` (the path wins
 * over genre: the listener travelled that way), most recent first; another star with genre similarity above
 * {@link GENRE_SIMILARITY_THRESHOLD} → `genre_similarity`, in capture order.
 */
export function buildConnections(newStar: Pick<Star, 'artistId' | 'genres'>, existing: readonly Star[], discoveryPath: readonly string[]): StarConnection[] {
  const isStar = new Set(existing.map((s) => s.artistId));
  const out: StarConnection[] = [];
  const linked = new Set<string>([newStar.artistId]);
  for (let i = discoveryPath.length - 1; i >= 0; i--) {
    const id = discoveryPath[i];
    if (linked.has(id) || !isStar.has(id)) continue;
    linked.add(id);
    out.push({ from: id, to: newStar.artistId, strength: DISCOVERY_PATH_STRENGTH, type: 'discovery_path' });
  }
  for (const star of existing) {
    if (linked.has(star.artistId)) continue;
    const similarity = genreSimilarity(newStar.genres, star.genres);
    if (similarity > GENRE_SIMILARITY_THRESHOLD) out.push({ from: star.artistId, to: newStar.artistId, strength: similarity, type: 'genre_similarity' });
  }
  return out;
}

/** The line a lock adds between two stars; null when either is not a star or both are one. The store makes it idempotent. */
export function lockConnection(fromArtistId: string | null, toArtistId: string, starIds: ReadonlySet<string>): StarConnection | null {
  if (!fromArtistId || fromArtistId === toArtistId || !starIds.has(fromArtistId) || !starIds.has(toArtistId)) return null;
  return { from: fromArtistId, to: toArtistId, strength: DISCOVERY_PATH_STRENGTH, type: 'discovery_path' };
}

export const FLY_AWAY_DURATION_S = 1.2;
/** Points sampled, t = 0 … 1 inclusive. */
export const FLY_AWAY_SAMPLES = 20;
/** 6 points each, resampled to the path's length. */
export const SEED_SCALE_CURVE: readonly number[] = Object.freeze([1.0, 1.2, 0.8, 0.6, 0.4, 0.3]);
export const SEED_GLOW_CURVE: readonly number[] = Object.freeze([1.0, 1.5, 1.8, 1.5, 1.0, 0.8]);

/** A quadratic Bézier from the origin, its control 200 above the higher end at the midpoint; ends exactly on `end`. */
export function flyAwayAnimation(end: Point3) {
  const n = FLY_AWAY_SAMPLES;
  const control = { x: end.x / 2, y: Math.max(0, end.y) + 200, z: end.z / 2 };
  const path = Array.from({ length: n }, (_, i) => ({ t: i / (n - 1), pos: quadraticBezier(ORIGIN, control, end, i / (n - 1)) }));
  return { duration: FLY_AWAY_DURATION_S, path, scaleCurve: resampleCurve(SEED_SCALE_CURVE, n), glowCurve: resampleCurve(SEED_GLOW_CURVE, n) };
}

export function quadraticBezier(p0: Point3, c: Point3, p2: Point3, t: number): Point3 {
  const u = 1 - t;
  const a = u * u;
  const b = 2 * u * t;
  const d = t * t;
  return { x: a * p0.x + b * c.x + d * p2.x, y: a * p0.y + b * c.y + d * p2.y, z: a * p0.z + b * c.z + d * p2.z };
}

/** Linear interpolation, ends preserved. */
export function resampleCurve(curve: readonly number[], n: number): number[] {
  const m = curve.length;
  if (m === 0 || n <= 0) return [];
  if (m === 1 || n === 1) return new Array<number>(n).fill(curve[0]);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const p = (i * (m - 1)) / (n - 1);
    const k = Math.min(Math.floor(p), m - 2);
    out[i] = curve[k] + (curve[k + 1] - curve[k]) * (p - k);
  }
  return out;
}

const isCrowded = (existing: readonly Star[], p: Point3): boolean => existing.some((s) => distance(s.position, p) < MIN_STAR_DISTANCE);

/** An integer, so integer positions stay integers. */
function jitter(rng: Rng): number {
  return Math.floor(rng() * (2 * JITTER + 1)) - JITTER;
}

function normaliseGenres(genres: readonly string[]): Set<string> {
  const keys = genres.map((g) => g.toLowerCase().replace(/[^a-z0-9]/g, '')).filter((key) => key.length > 0);
  return new Set(keys.map((key) => (key.length > 1 && key.endsWith('s') ? key.slice(0, -1) : key)));
}

function assertPoint(p: Point3, artistId: string): void {
  if (![p.x, p.y, p.z].every(Number.isFinite))
    throw new ConstellationError('INVALID_POSITION', `Star ${artistId} has a non-finite position: repair the stored row.`);
}
