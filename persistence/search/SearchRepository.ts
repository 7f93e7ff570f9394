/**
 * The artist search's reads (seed 000 step 13.3–13.5): a pg_trgm similarity query, not CRUD, so it is
 * hand-written and parameterised. Each `%` is an index condition (artists_name_trgm, artists_bio_trgm,
 * artists_genre_text_trgm: a BitmapOr); BENCHMARKS.md "Search" shows the plan.
 */
import type { Sql } from '../db.js';
import type { SearchCandidate } from '../../systems/search.js';

/** A search hit with the contextual data of step 13.5. */
export interface SearchRow extends SearchCandidate {
  station: number | null;
  bio: string;
  thumbnail: string;
  scenePreview: string;
  influenceCount: number;
}

/** The caller's stars as search and recommendations read them. */
export interface TasteRow {
  id: string;
  name: string;
  genres: string[];
  era: string;
}

// Step 13.3's relevance, weights 3.0 / 1.0 / 1.5 (systems/search.ts SEARCH_WEIGHTS), for the SQL order.
const RELEVANCE = `similarity(a.name, $q) * 3.0 + similarity(a.bio, $q) * 1.0 + similarity(artist_genre_text(a.genres), $q) * 1.5`;

const SEARCH_SQL = `
  SELECT a.id, a.name, a.genres, a.era, a.bio, a.thumbnail, a.station_frequency::float8 AS station,
         s.video_url_low AS "scenePreview",
         similarity(a.name, $q)::float8 AS "nameMatch",
         similarity(a.bio, $q)::float8 AS "bioMatch",
         similarity(artist_genre_text(a.genres), $q)::float8 AS "genreMatch",
         (SELECT count(*) FROM influence_orbs o WHERE o.source_artist_id = a.id)::int AS "influenceCount"
    FROM artists a
    JOIN scenes s ON s.id = a.scene_id
   WHERE a.name % $q OR a.bio % $q OR artist_genre_text(a.genres) % $q
   ORDER BY ${RELEVANCE} DESC, a.id
   LIMIT ?`;

export class SearchRepository {
  constructor(private readonly sql: Sql) {}

  /** Up to `limit` artists matching `query` (already sanitised) by step 13.3's relevance. */
  async search(query: string, limit: number): Promise<SearchRow[]> {
    // `?` placeholders are positional: the query text is bound once per use (the text is identical).
    const uses = SEARCH_SQL.split('$q').length - 1;
    const text = SEARCH_SQL.replaceAll('$q', '?::text');
    return this.sql.query<SearchRow>(text, [...Array<string>(uses).fill(query), limit]);
  }

  /** The caller's stars with each artist's genres and era (one indexed read). */
  async tasteOf(userId: string): Promise<TasteRow[]> {
    return this.sql.query<TasteRow>(
      `SELECT a.id, a.name, a.genres, a.era FROM constellation_stars c JOIN artists a ON a.id = c.artist_id WHERE c.user_id = ? ORDER BY c.captured_at, c.id`,
      [userId],
    );
  }
}
