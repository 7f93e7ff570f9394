/**
 * Influence graph builder rules (seed 000 step 11.b–g), pure: merging what several relationship sources
 * say, typing and scoring each matched artist, the orb threshold, the 11.e layout and the descriptions.
 * persistence/influence and features/influence do the reading and writing around it.
 */
import { influenceScore, orbColour, orbSize } from '../catalog/catalogRules.js';
import { genreSimilarity } from '../constellation/constellation.js';
import { RELATIONSHIP_TYPES, isRelationshipType, layoutOrbs, type OrbitRing, type RelationshipType } from '../session/orbits.js';

/** Step 11.d: "IF score > 0.5: create relationship" (strictly above). */
export const ORB_SCORE_THRESHOLD = 0.5;
/** Orbs kept per artist by default (the strongest): more crowd the scene and cost patch bytes (BENCHMARKS.md). */
export const DEFAULT_MAX_ORBS = 8;
/** Dial distance used for an artist without a station (as the demo catalog does: far). */
export const OFF_DIAL_DISTANCE_MHZ = 10;
/** Step 11.d: same era and closer than this on the dial is a peer, else a contemporary. */
export const PEER_MAX_DISTANCE_MHZ = 5;

/** One related artist as one source reports it (step 11.a). */
export interface SourceRelation {
  name: string;
  /** 0..1: MusicBrainz "influenced by" 1.0, Spotify related 0.7, Last.fm its `match`. */
  confidence: number;
  /** A curated type the source states outright (it wins over the era rule). */
  type?: string;
  /** A curated description (it wins over the templates). */
  description?: string;
}

/** Step 11.b result for one name. */
export interface MergedRelation {
  name: string;
  /** Mean confidence over the sources that named it. */
  confidence: number;
  sourceCount: number;
  type?: RelationshipType;
  description?: string;
}

/** Lower-cased, accents and punctuation folded: "Fela Kuti" and "fela  kuti" meet. */
export function nameKey(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

const clamp01 = (x: number): number => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);

/**
 * Step 11.b: group every source's relations by name, add up confidences, count sources, then divide
 * (the mean). A name listed twice by one source counts once (its highest confidence): source_count
 * means "how many sources agree", which is what the score's `source_count / 3` term rewards.
 */
export function mergeRelations(perSource: ReadonlyArray<readonly SourceRelation[]>): MergedRelation[] {
  const grouped = new Map<string, { name: string; sum: number; count: number; type?: RelationshipType; description?: string }>();
  for (const relations of perSource) {
    const best = new Map<string, SourceRelation>();
    for (const rel of relations) {
      const key = nameKey(rel.name);
      if (!key) continue;
      const prior = best.get(key);
      if (!prior || clamp01(rel.confidence) > clamp01(prior.confidence)) best.set(key, rel);
    }
    for (const [key, rel] of best) {
      const entry = grouped.get(key) ?? { name: rel.name, sum: 0, count: 0 };
      entry.sum += clamp01(rel.confidence);
      entry.count += 1;
      if (rel.type && isRelationshipType(rel.type)) entry.type ??= rel.type;
      if (rel.description) entry.description ??= rel.description;
      grouped.set(key, entry);
    }
  }
  return [...grouped.values()].map(({ name, sum, count, type, description }) => ({ name, confidence: sum / count, sourceCount: count, type, description }));
}

/** What the builder knows of an artist (a row of `artists`). */
export interface InfluenceArtist {
  id: string;
  name: string;
  genres: readonly string[];
  /** Decade the career began in (1950 for "1950s–present"); null when unknown. */
  eraDecade: number | null;
  frequency: number | null;
}

/** The decade of an era label like "1950s–present" or "2010s", else null. */
export function eraDecadeOf(label: string): number | null {
  const match = /(\d{4})s?/.exec(label);
  return match ? Math.floor(Number(match[1]) / 10) * 10 : null;
}

/** Dial distance in MHz; an artist off the dial counts as {@link OFF_DIAL_DISTANCE_MHZ}. */
export function dialDistance(a: Pick<InfluenceArtist, 'frequency'>, b: Pick<InfluenceArtist, 'frequency'>): number {
  return a.frequency !== null && b.frequency !== null ? Math.abs(a.frequency - b.frequency) : OFF_DIAL_DISTANCE_MHZ;
}

/**
 * Step 11.d relationship type: an earlier era is an ancestor; the same era a peer when closer than
 * 5 MHz on the dial, else a contemporary; a later era was influenced. An unknown era is a contemporary.
 */
export function relationshipBetween(artist: InfluenceArtist, target: InfluenceArtist): RelationshipType {
  if (artist.eraDecade === null || target.eraDecade === null) return 'contemporary';
  if (target.eraDecade < artist.eraDecade) return 'ancestor';
  if (target.eraDecade > artist.eraDecade) return 'influenced';
  return dialDistance(artist, target) < PEER_MAX_DISTANCE_MHZ ? 'peer' : 'contemporary';
}

/** A merged relation matched to an artist of the catalog (step 11.c). */
export interface MatchedRelation extends MergedRelation {
  target: InfluenceArtist;
}

/** One scored candidate before the threshold. */
export interface ScoredInfluence {
  target: InfluenceArtist;
  type: RelationshipType;
  score: number;
  confidence: number;
  sourceCount: number;
  genreSimilarity: number;
  distance: number;
  description?: string;
}

/** Step 11.d: type and score one matched relation (score clamped by {@link influenceScore}). */
export function scoreInfluence(artist: InfluenceArtist, rel: MatchedRelation): ScoredInfluence {
  const similarity = genreSimilarity(artist.genres, rel.target.genres);
  const distance = dialDistance(artist, rel.target);
  return {
    target: rel.target,
    type: rel.type ?? relationshipBetween(artist, rel.target),
    score: influenceScore(rel.confidence, similarity, distance, rel.sourceCount),
    confidence: rel.confidence,
    sourceCount: rel.sourceCount,
    genreSimilarity: similarity,
    distance,
    description: rel.description,
  };
}

/** Step 11.d threshold: an orb only for a score strictly above 0.5. */
export const makesOrb = (score: number): boolean => score > ORB_SCORE_THRESHOLD;

/** One orb to store (step 11.f), laid out by step 11.e. */
export interface PlannedOrb {
  targetArtistId: string;
  relationshipType: RelationshipType;
  ring: OrbitRing;
  score: number;
  orbitRadius: number;
  orbitSpeed: number;
  startAngle: number;
  inclination: number;
  /** 50 + score · 30 px. */
  size: number;
  glowColor: string;
  description: string;
}

const RING_ORDER: readonly RelationshipType[] = RELATIONSHIP_TYPES;

/**
 * Steps 11.d–g for one artist: score every match, keep those above the threshold (the strongest first
 * per target; at most `maxOrbs`, the strongest), lay them out ring by ring with the strongest nearest (index 0 of its ring), size, colour
 * and describe them. Deterministic: the same inputs give the same orbs.
 */
export function planOrbs(
  artist: InfluenceArtist,
  matches: readonly MatchedRelation[],
  maxOrbs = DEFAULT_MAX_ORBS,
): { orbs: PlannedOrb[]; scored: ScoredInfluence[] } {
  const byTarget = new Map<string, ScoredInfluence>();
  for (const m of matches) {
    if (m.target.id === artist.id) continue;
    const s = scoreInfluence(artist, m);
    const prior = byTarget.get(s.target.id);
    if (!prior || s.score > prior.score) byTarget.set(s.target.id, s);
  }
  const scored = [...byTarget.values()].sort((a, b) => b.score - a.score || a.target.id.localeCompare(b.target.id));
  const kept = scored
    .filter((s) => makesOrb(s.score))
    .slice(0, maxOrbs)
    .sort((a, b) => RING_ORDER.indexOf(a.type) - RING_ORDER.indexOf(b.type) || b.score - a.score || a.target.id.localeCompare(b.target.id));
  const layout = layoutOrbs(kept.map((s) => ({ id: s.target.id, relationshipType: s.type })));
  const orbs = kept.map((s, i): PlannedOrb => ({
    targetArtistId: s.target.id,
    relationshipType: s.type,
    ring: layout[i].ring,
    // Six decimals: a 0.5004 kept by the threshold must not be stored as 0.5.
    score: Math.round(s.score * 1e6) / 1e6,
    orbitRadius: layout[i].orbitRadius,
    orbitSpeed: layout[i].orbitSpeed,
    startAngle: layout[i].startAngle,
    inclination: layout[i].inclination,
    size: orbSize(s.score),
    glowColor: orbColour(s.type),
    description: s.description ?? describeInfluence(artist, s.target, s.type),
  }));
  return { orbs, scored };
}

/** Step 11.g templates (ancestor and peer as the seed writes them; the other types in the same voice). */
const TEMPLATES: Record<RelationshipType, readonly string[]> = {
  ancestor: [
    '{target} pioneered the sound that {source} modernized',
    "{source} draws from {target}'s revolutionary approach",
    'The lineage from {target} to {source} is unmistakable',
  ],
  peer: ['{source} and {target} rose together in the {era}', 'Contemporaries pushing {genre} forward', 'Mutual influence between two {genre} innovators'],
  contemporary: ['{source} and {target} share the {era}, worlds apart on the dial', 'Two {genre} voices of the same era'],
  influenced: ["{target} carries {source}'s sound forward", '{target} grew up on {source}'],
  influence: ['{target} shaped how {source} sings and writes'],
  collaborator: ['{source} and {target} made records together'],
};

/** Step 11.g: a template picked by a stable hash of the pair (the seed's random_choice, reproducible). */
export function describeInfluence(
  source: Pick<InfluenceArtist, 'id' | 'name' | 'genres' | 'eraDecade'>,
  target: Pick<InfluenceArtist, 'id' | 'name'>,
  type: RelationshipType,
): string {
  const templates = TEMPLATES[type];
  const template = templates[stableHash(`${source.id}>${target.id}`) % templates.length];
  const era = source.eraDecade === null ? 'same era' : `${source.eraDecade}s`;
  return template
    .replaceAll('{source}', source.name)
    .replaceAll('{target}', target.name)
    .replaceAll('{era}', era)
    .replaceAll('{genre}', source.genres[0] ?? 'music');
}

/** FNV-1a, 32-bit: a stable pick across processes and runs. */
function stableHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
