/** Influence graph rules: merging the sources, typing and scoring each match, the orb threshold, layout, descriptions. */
import { eraDecade, influenceScore, ORB_COLOURS, orbSize, relationshipFor } from '../catalog/catalogRules.js';
import { genreSimilarity, hashString } from '../constellation/constellation.js';
import { RELATIONSHIP_TYPES, isRelationshipType, layoutOrbs, type RelationshipType } from '../session/orbits.js';

/** Strictly above. */
export const ORB_SCORE_THRESHOLD = 0.5;
/** The strongest; more crowd the scene and cost patch bytes (BENCHMARKS.md). */
export const DEFAULT_MAX_ORBS = 8;
/** An artist without a station counts as far. */
const OFF_DIAL_DISTANCE_MHZ = 10;

export interface SourceRelation {
  name: string;
  /** MusicBrainz "influenced by" 1.0, Spotify related 0.7, Last.fm its `match`. */
  confidence: number;
  /** Curated: wins over the era rule. */
  type?: string;
  /** Curated: wins over the templates. */
  description?: string;
}

export interface MergedRelation {
  name: string;
  /** Mean over the sources that named it. */
  confidence: number;
  sourceCount: number;
  type?: RelationshipType;
  description?: string;
}

/** "Fela Kuti" and "fela  kuti" meet. */
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
 * Mean confidence per name. A name listed twice by one source counts once (its highest): source_count means "how
 * many sources agree", which the score's `source_count / 3` term rewards.
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

export interface InfluenceArtist {
  id: string;
  name: string;
  genres: readonly string[];
  /** 1950 for "1950s–present"; null when unknown. */
  eraDecade: number | null;
  frequency: number | null;
}

export function eraDecadeOf(label: string): number | null {
  const match = /(\d{4})s?/.exec(label);
  return match ? eraDecade(Number(match[1])) : null;
}

/** MHz; off the dial counts as {@link OFF_DIAL_DISTANCE_MHZ}. */
export function dialDistance(a: Pick<InfluenceArtist, 'frequency'>, b: Pick<InfluenceArtist, 'frequency'>): number {
  return a.frequency !== null && b.frequency !== null ? Math.abs(a.frequency - b.frequency) : OFF_DIAL_DISTANCE_MHZ;
}

export interface MatchedRelation extends MergedRelation {
  target: InfluenceArtist;
}

export function scoreInfluence(artist: InfluenceArtist, rel: MatchedRelation) {
  const similarity = genreSimilarity(artist.genres, rel.target.genres);
  const distance = dialDistance(artist, rel.target);
  return {
    target: rel.target,
    type: rel.type ?? relationshipFor(artist.eraDecade, rel.target.eraDecade, distance),
    score: influenceScore(rel.confidence, similarity, distance, rel.sourceCount),
    confidence: rel.confidence,
    sourceCount: rel.sourceCount,
    genreSimilarity: similarity,
    distance,
    description: rel.description,
  };
}

export const makesOrb = (score: number): boolean => score > ORB_SCORE_THRESHOLD;

/**
 * Scores every match, keeps those above the threshold (at most `maxOrbs`, the strongest), lays them out ring by
 * ring with the strongest nearest, sizes, colours and describes them. Deterministic.
 */
export function planOrbs(artist: InfluenceArtist, matches: readonly MatchedRelation[], maxOrbs = DEFAULT_MAX_ORBS) {
  const byTarget = new Map<string, ReturnType<typeof scoreInfluence>>();
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
    .sort((a, b) => RELATIONSHIP_TYPES.indexOf(a.type) - RELATIONSHIP_TYPES.indexOf(b.type) || b.score - a.score || a.target.id.localeCompare(b.target.id));
  const layout = layoutOrbs(kept.map((s) => ({ id: s.target.id, relationshipType: s.type })));
  const orbs = kept.map((s, i) => ({
    targetArtistId: s.target.id,
    relationshipType: s.type,
    ring: layout[i].ring,
    // A 0.5004 kept by the threshold must not be stored as 0.5.
    score: Math.round(s.score * 1e6) / 1e6,
    orbitRadius: layout[i].orbitRadius,
    orbitSpeed: layout[i].orbitSpeed,
    startAngle: layout[i].startAngle,
    inclination: layout[i].inclination,
    size: orbSize(s.score),
    glowColor: ORB_COLOURS[s.type],
    description: s.description ?? describeInfluence(artist, s.target, s.type),
  }));
  return { orbs, scored };
}

export type PlannedOrb = ReturnType<typeof planOrbs>['orbs'][number];

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

/** Picked by a stable hash of the pair: a random choice, reproducible. */
export function describeInfluence(
  source: Pick<InfluenceArtist, 'id' | 'name' | 'genres' | 'eraDecade'>,
  target: Pick<InfluenceArtist, 'id' | 'name'>,
  type: RelationshipType,
): string {
  const templates = TEMPLATES[type];
  const template = templates[hashString(`${source.id}>${target.id}`) % templates.length];
  const era = source.eraDecade === null ? 'same era' : `${source.eraDecade}s`;
  return template
    .replaceAll('{source}', source.name)
    .replaceAll('{target}', target.name)
    .replaceAll('{era}', era)
    .replaceAll('{genre}', source.genres[0] ?? 'music');
}
