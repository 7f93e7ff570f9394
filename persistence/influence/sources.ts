/**
 * The influence builder's relationship sources. This network reaches no remote provider, so two local ones ship: a
 * curated dataset (confidence as written) and the catalog's genre neighbours (0.7, like an algorithmic source).
 * Provider exports come in through ImportedRelations.ts. A remote source must time out and throw: the builder skips
 * a failing source for that artist.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { textArrayLiteral, type Sql } from '../db.js';
import { nameKey, type InfluenceArtist, type SourceRelation } from '../../systems/influence/influence.js';

export interface RelationshipSource {
  /** Shown in job details and logs. */
  readonly name: string;
  relationsFor(artist: InfluenceArtist): Promise<SourceRelation[]>;
}

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

/** Confidence of an algorithmic "related artists" source. */
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
      [artist.id, textArrayLiteral(artist.genres), textArrayLiteral(artist.genres), artist.frequency, this.limit],
    );
    return rows.map((r) => ({ name: r.name, confidence: GENRE_SOURCE_CONFIDENCE }));
  }
}
