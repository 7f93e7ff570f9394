import { genreSimilarity } from '../../systems/constellation/constellation.js';
import { influenceScore, ORB_COLOURS, orbSize, relationshipFor, type RelationshipType } from '../../systems/catalog/catalogRules.js';
import { layoutOrbs } from '../../systems/session/orbits.js';
import { DEFAULT_MAX_ORBS, dialDistance, makesOrb } from '../../systems/influence/influence.js';
import { DEMO_ARTISTS, SEED_RELATIONSHIPS, type DemoArtist } from './demoArtists.js';
import { sceneFor } from './scenes.js';

/** `artist_fela_kuti` style ids: stable across boots so loading is idempotent. */
export function slugify(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
}

export const artistId = (name: string): string => `artist_${slugify(name)}`;

/** A catalog's table rows (scenes, artists, orbs), as the loads insert them: the builders below declare the columns. */
export interface CatalogRows {
  scenes: Array<ReturnType<typeof sceneFor>>;
  artists: Array<ReturnType<typeof artistRow>>;
  orbs: Array<ReturnType<typeof orbRows>[number]>;
}

/** What orb building needs of an artist: demo and synthetic artists both fit. */
export interface CatalogArtist {
  name: string;
  genres: string[];
  since: number;
  /** Station on the dial; null for artists reached only through orbs. */
  frequency: number | null;
}

export interface Edge {
  source: CatalogArtist;
  target: CatalogArtist;
  type: RelationshipType;
  description: string;
  confidence: number;
}

const ORBS_PER_ARTIST = 3;

export function describeEdge(source: CatalogArtist, target: CatalogArtist, type: RelationshipType): string {
  if (type === 'ancestor') return `${target.name} pioneered the sound that ${source.name} modernized`;
  if (type === 'influenced') return `${target.name} carries ${source.name}'s sound forward`;
  return `${source.name} and ${target.name} pushing ${source.genres[0]} forward`;
}

/** Seed edges first, then the closest artists by genre overlap (ties: nearer on the dial). */
function edgesFor(source: DemoArtist, byName: Map<string, DemoArtist>): Edge[] {
  const edges: Edge[] = SEED_RELATIONSHIPS.filter(([s]) => s === source.name).map(([, t, type, description]) => ({
    source,
    target: byName.get(t)!,
    type: type as RelationshipType,
    description,
    confidence: 0.95,
  }));
  const taken = new Set([source.name, ...edges.map((e) => e.target.name)]);
  const candidates = DEMO_ARTISTS.filter((a) => !taken.has(a.name))
    .map((a) => ({ a, overlap: genreSimilarity(source.genres, a.genres), distance: Math.abs(a.frequency - source.frequency) }))
    .filter((c) => c.overlap > 0)
    .sort((x, y) => y.overlap - x.overlap || x.distance - y.distance || x.a.name.localeCompare(y.a.name));
  for (const { a, distance } of candidates.slice(0, Math.max(0, ORBS_PER_ARTIST - edges.length))) {
    const type = relationshipFor(source.since, a.since, distance);
    edges.push({ source, target: a, type, description: describeEdge(source, a, type), confidence: 0.6 });
  }
  return edges;
}

/** The `max` best-scoring edges, in their original order (curated first); all of them when there are no more. */
function strongest(edges: Edge[], max: number): Edge[] {
  if (edges.length <= max) return edges;
  const keep = new Set([...edges].sort((x, y) => edgeScore(y) - edgeScore(x) || x.target.name.localeCompare(y.target.name)).slice(0, max));
  return edges.filter((e) => keep.has(e));
}

/** An edge's score: the catalog counts two agreeing sources, its curated list and genres. */
export function edgeScore(edge: Edge): number {
  return influenceScore(edge.confidence, genreSimilarity(edge.source.genres, edge.target.genres), dialDistance(edge.source, edge.target), 2);
}

/** Orb rows for one source artist's edges. */
export function orbRows(edges: Edge[]) {
  const layout = layoutOrbs(edges.map((e) => ({ id: e.target.name, relationshipType: e.type })));
  return edges.map((edge, i) => {
    const score = edgeScore(edge);
    const slot = layout[i];
    return {
      id: `orb_${slugify(edge.source.name)}__${slugify(edge.target.name)}`,
      source_artist_id: artistId(edge.source.name),
      target_artist_id: artistId(edge.target.name),
      relationship_type: edge.type,
      orbit_radius: slot.orbitRadius,
      orbit_speed: slot.orbitSpeed,
      start_angle: slot.startAngle,
      inclination: slot.inclination,
      size: orbSize(score),
      glow_color: ORB_COLOURS[edge.type],
      influence_score: Math.round(score * 1000) / 1000,
      description: edge.description,
    };
  });
}

function eraLabel(since: number): string {
  return `${Math.floor(since / 10) * 10}s–present`;
}

/** An artist's table row; `kind` goes into the bio (e.g. "synthetic"). Without an `era`, the decade of `since` onwards. */
export function artistRow(a: CatalogArtist & { origin: string; era?: string }, kind = '') {
  const slug = slugify(a.name);
  return {
    id: artistId(a.name),
    name: a.name,
    station_frequency: a.frequency,
    genres: a.genres,
    era: a.era ?? eraLabel(a.since),
    origin: a.origin,
    bio: `${a.name} — ${kind ? `${kind} ` : ''}${a.genres.join(', ')}${kind ? ' artist' : ''} from ${a.origin}, active since ${a.since}.`,
    hero_image: `https://cdn.deepstream.io/${slug}_hero.png`,
    deep_etched_image: `https://cdn.deepstream.io/${slug}_cutout.png`,
    thumbnail: `https://cdn.deepstream.io/${slug}_thumb.png`,
    scene_id: `scene_${slug}`,
  };
}

/**
 * The demo catalog as table rows. Only edges above the score threshold become orbs, at most DEFAULT_MAX_ORBS per
 * artist (the strongest); the layout is computed over the kept ones.
 */
export function buildDemoCatalog(): CatalogRows {
  const byName = new Map(DEMO_ARTISTS.map((a) => [a.name, a]));
  const kept = (a: DemoArtist) =>
    strongest(
      edgesFor(a, byName).filter((e) => makesOrb(edgeScore(e))),
      DEFAULT_MAX_ORBS,
    );
  return {
    scenes: DEMO_ARTISTS.map((a) => sceneFor(slugify(a.name), a.name, a.sceneType)),
    artists: DEMO_ARTISTS.map((a) => artistRow(a)),
    orbs: DEMO_ARTISTS.flatMap((a) => orbRows(kept(a))),
  };
}
