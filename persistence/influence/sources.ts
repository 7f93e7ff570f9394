/**
 * Relationship sources of the influence graph builder (seed 000 step 11.a), behind one interface. The
 * seed queries MusicBrainz ("influenced by", 1.0), Spotify related artists (0.7) and Last.fm similar
 * artists (their match); this network reaches none of them, so two local sources ship:
 *
 * - {@link DatasetSource}: a curated file of explicit relations (persistence/influence/dataset.json,
 *   or INFLUENCE_DATASET), confidence as written (1.0 for "influenced by");
 * - {@link CatalogGenreSource}: the catalog's own data, the artists sharing the most genres (ties:
 *   nearer on the dial), confidence 0.7 like the seed's algorithmic source.
 *
 * MusicBrainz and Last.fm exports are imported (`npm run influence:import`, ImportedRelations.ts) and read
 * as one source per provider. A remote source is one more class with `relationsFor` (it must time out
 * and throw on failure: the builder skips a failing source for that artist and logs it).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Sql } from '../db.js';
import { nameKey, type InfluenceArtist, type SourceRelation } from '../../systems/influence/influence.js';

export interface RelationshipSource {
  /** Shown in job details and logs. */
  readonly name: string;
  relationsFor(artist: InfluenceArtist): Promise<SourceRelation[]>;
}

/** The shipped dataset. */
export const DEFAULT_DATASET = path.resolve(import.meta.dirname, 'dataset.json');

interface DatasetFile {
  relations: Record<string, SourceRelation[]>;
}

/** Curated relations from a JSON file `{ "relations": { "<artist name>": [{ name, confidence, type?, description? }] } }`. */
export class DatasetSource implements RelationshipSource {
  readonly name = 'dataset';
  private readonly byArtist = new Map<string, SourceRelation[]>();

  constructor(file = DEFAULT_DATASET) {
    const data = JSON.parse(readFileSync(file, 'utf8')) as DatasetFile;
    if (!data || typeof data.relations !== 'object') throw new Error(`${file} has no "relations" object; see persistence/influence/dataset.json for the shape`);
    for (const [artist, relations] of Object.entries(data.relations))
      this.byArtist.set(
        nameKey(artist),
        relations.filter((r) => typeof r?.name === 'string' && typeof r.confidence === 'number'),
      );
  }

  async relationsFor(artist: InfluenceArtist): Promise<SourceRelation[]> {
    return this.byArtist.get(nameKey(artist.name)) ?? [];
  }
}

/** Confidence the seed gives an algorithmic "related artists" source. */
export const GENRE_SOURCE_CONFIDENCE = 0.7;

/** The catalog's artists sharing the most genres with this one (at most `limit`). */
export class CatalogGenreSource implements RelationshipSource {
  readonly name = 'catalog_genres';

  constructor(
    private readonly sql: Sql,
    private readonly limit = 5,
  ) {}

  async relationsFor(artist: InfluenceArtist): Promise<SourceRelation[]> {
    if (artist.genres.length === 0) return [];
    const rows = await this.sql.query<{ name: string }>(
      `SELECT a.name FROM artists a
        WHERE a.id <> ? AND a.genres && ?::text[]
        ORDER BY cardinality(ARRAY(SELECT unnest(a.genres) INTERSECT SELECT unnest(?::text[]))) DESC,
                 abs(COALESCE(a.station_frequency::float8, 1000) - COALESCE(?::float8, 1000)), a.id
        LIMIT ?`,
      [artist.id, toArray(artist.genres), toArray(artist.genres), artist.frequency, this.limit],
    );
    return rows.map((r) => ({ name: r.name, confidence: GENRE_SOURCE_CONFIDENCE }));
  }
}

/** A Postgres text[] literal (the driver would spread a JS array into several parameters). */
function toArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}
