/** The artist search: a pg_trgm similarity query; each `%` is an index condition (a BitmapOr of three indexes). */
import type { Sql } from '../db.js';
import { SIMILARITY_THRESHOLD, type SearchCandidate } from '../../systems/discovery/search.js';

/** A search hit with its context. */
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

// Name and genre `%` use their trigram indexes; the bio term uses its bound similarity ≤ n_q / n_bio (distinct
// trigrams), so only bios with at most n_q / 0.3 trigrams (stored bio_trigrams) can match and no long bio is rechecked.
// A hit's bio similarity is computed only when it could still reach the top `limit`; only those rows are joined.
const SEARCH_SQL = `
  WITH q AS MATERIALIZED (SELECT coalesce(array_length(show_trgm($q), 1), 0)::float8 AS n),
       hits AS MATERIALIZED (
         SELECT a.id, a.bio, a.bio_trigrams, similarity(a.name, $q) AS nm, similarity(artist_genre_text(a.genres), $q) AS gm
           FROM artists a
          WHERE a.name % $q
             OR (a.bio_trigrams <= floor(coalesce(array_length(show_trgm($q), 1), 0) / ${SIMILARITY_THRESHOLD})::int AND similarity(a.bio, $q) >= ${SIMILARITY_THRESHOLD})
             OR artist_genre_text(a.genres) % $q),
       bounded AS MATERIALIZED (
         SELECT h.*, h.nm * 3.0 + h.gm * 1.5 AS partial,
                least(h.bio_trigrams, q.n) / greatest(h.bio_trigrams, q.n, 1) AS bio_bound
           FROM hits h, q),
       kth AS (SELECT partial FROM bounded ORDER BY partial DESC OFFSET $k LIMIT 1),
       top AS (
         SELECT b.id, b.nm, similarity(b.bio, $q) AS bm, b.gm
           FROM bounded b
          WHERE b.partial + b.bio_bound >= coalesce((SELECT partial FROM kth), 0)
          ORDER BY b.nm * 3.0 + similarity(b.bio, $q) * 1.0 + b.gm * 1.5 DESC, b.id
          LIMIT $k + 1)
  SELECT a.id, a.name, a.genres, a.era, a.bio, a.thumbnail, a.station_frequency::float8 AS station,
         s.video_url_low AS "scenePreview", t.nm::float8 AS "nameMatch", t.bm::float8 AS "bioMatch", t.gm::float8 AS "genreMatch",
         (SELECT count(*) FROM influence_orbs o WHERE o.source_artist_id = a.id)::int AS "influenceCount"
    FROM top t
    JOIN artists a ON a.id = t.id
    JOIN scenes s ON s.id = a.scene_id
   ORDER BY t.nm * 3.0 + t.bm * 1.0 + t.gm * 1.5 DESC, a.id`;

/** The search statement with `?` placeholders and its parameters (bench:search prints its EXPLAIN plan). */
export const SEARCH_SQL_FOR_EXPLAIN = {
  sql: SEARCH_SQL.replace(/\$q|\$k/g, (m) => (m === '$q' ? '?::text' : '(?::int - 1)')),
  params: (query: string, limit: number): unknown[] => [...SEARCH_SQL.matchAll(/\$q|\$k/g)].map((m) => (m[0] === '$q' ? query : limit)),
};

const TASTE_SQL = `SELECT a.id, a.name, a.genres, a.era FROM constellation_stars c JOIN artists a ON a.id = c.artist_id WHERE c.user_id = ? ORDER BY c.captured_at, c.id`;

export class SearchRepository {
  constructor(private readonly sql: Sql) {}

  /** Up to `limit` artists matching `query` (already sanitised), by relevance. */
  async search(query: string, limit: number): Promise<SearchRow[]> {
    // `?` placeholders are positional: the query text is bound once per use.
    return this.sql.query<SearchRow>(SEARCH_SQL_FOR_EXPLAIN.sql, SEARCH_SQL_FOR_EXPLAIN.params(query, limit));
  }

  /** {@link tasteOf} and {@link search} in ONE statement, unordered (the caller ranks): a signed-in cache miss needs both. */
  async searchWithTaste(query: string, limit: number, userId: string): Promise<{ stars: TasteRow[]; rows: SearchRow[] }> {
    const [row] = await this.sql.query<{ stars: TasteRow[]; rows: SearchRow[] }>(
      `SELECT (SELECT coalesce(json_agg(t), '[]'::json) FROM (${TASTE_SQL}) t) AS stars,
              (SELECT coalesce(json_agg(r), '[]'::json) FROM (${SEARCH_SQL_FOR_EXPLAIN.sql}) r) AS rows`,
      [userId, ...SEARCH_SQL_FOR_EXPLAIN.params(query, limit)],
    );
    return row;
  }

  /** The caller's stars with each artist's genres and era (one indexed read). */
  async tasteOf(userId: string): Promise<TasteRow[]> {
    return this.sql.query<TasteRow>(TASTE_SQL, [userId]);
  }

  /** The genres and era of each of `artistIds` that the catalog has (any order). */
  artistTastes(artistIds: readonly string[]): Promise<TasteRow[]> {
    return this.sql.query<TasteRow>(`SELECT a.id, a.name, a.genres, a.era FROM artists a WHERE a.id = ANY(ARRAY(SELECT jsonb_array_elements_text(?::jsonb)))`, [
      JSON.stringify(artistIds),
    ]);
  }

  /** {@link tasteOf} for each of `userIds`, in ONE statement (the recomputes of a window share it). */
  async tastesOf(userIds: readonly string[]): Promise<TasteRow[][]> {
    const rows = await this.sql.query<{ stars: TasteRow[] }>(
      `SELECT (SELECT coalesce(json_agg(json_build_object('id', a.id, 'name', a.name, 'genres', a.genres, 'era', a.era) ORDER BY c.captured_at, c.id), '[]'::json)
                 FROM constellation_stars c JOIN artists a ON a.id = c.artist_id WHERE c.user_id = u.id) AS stars
         FROM unnest(ARRAY(SELECT jsonb_array_elements_text(?::jsonb))::uuid[]) WITH ORDINALITY AS u(id, i) ORDER BY u.i`,
      [JSON.stringify(userIds)],
    );
    return rows.map((r) => r.stars);
  }
}
