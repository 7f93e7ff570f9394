/** The recommendations engine's reads (aggregations over orbs and constellations, hand-written) and its stored list. */
import type { Sql } from '../db.js';
import type { Orm } from '../orm.js';
import { UserRecommendation } from '../entities/discovery.js';
import type { InfluenceCandidate, ScoredRecommendation } from '../../systems/discovery/recommendations.js';
import type { TasteRow } from './SearchRepository.js';

/** A list of ids as one bind parameter (the driver binds arrays unreliably; jsonb text is exact). */
const IDS = `ARRAY(SELECT jsonb_array_elements_text(?::jsonb))`;

const INFLUENCES_SQL = `WITH picked AS (
         SELECT DISTINCT ON (o.target_artist_id) o.target_artist_id AS id, src.name AS "sourceName", o.relationship_type AS relationship
           FROM influence_orbs o JOIN artists src ON src.id = o.source_artist_id
          WHERE o.source_artist_id = ANY(${IDS}) AND NOT (o.target_artist_id = ANY(${IDS}))
          ORDER BY o.target_artist_id, o.influence_score DESC, o.source_artist_id)
       SELECT p.id, p."sourceName", p.relationship, a.genres, a.era, a.popularity_score::float8 AS "popularityScore",
              (SELECT count(*) FROM influence_orbs i WHERE i.target_artist_id = p.id)::int AS "connectionCount"
         FROM picked p JOIN artists a ON a.id = p.id`;
const influencesParams = (sourceIds: readonly string[], exclude: readonly string[]): unknown[] => [JSON.stringify(sourceIds), JSON.stringify(exclude)];

const COLLABORATIVE_SQL = `WITH mine AS (SELECT artist_id FROM constellation_stars WHERE user_id = ?),
            peers AS (
              SELECT c.user_id FROM constellation_stars c
               WHERE c.artist_id IN (SELECT artist_id FROM mine) AND c.user_id <> ?
               GROUP BY c.user_id HAVING count(*) >= ?
               ORDER BY count(*) DESC, c.user_id LIMIT ?)
       SELECT c.artist_id AS "artistId", count(*)::int AS frequency
         FROM constellation_stars c
        WHERE c.user_id IN (SELECT user_id FROM peers) AND c.artist_id NOT IN (SELECT artist_id FROM mine)
        GROUP BY c.artist_id ORDER BY frequency DESC, c.artist_id LIMIT ?`;

// Per era, the popularity index is walked until `perEra` artists of that decade in a top genre are found.
const ERAS_SQL = `SELECT x.id AS "artistId", e.era,
              (SELECT g FROM unnest(x.genres) WITH ORDINALITY u(g, n) WHERE g = ANY(${IDS}) ORDER BY n LIMIT 1) AS genre, e.ord
         FROM unnest(${IDS}) WITH ORDINALITY AS e(era, ord)
         CROSS JOIN LATERAL (
           SELECT a.id, a.genres FROM artists a
            WHERE a.era LIKE e.era || '%' AND a.genres && ${IDS} AND NOT (a.id = ANY(${IDS}))
            ORDER BY a.popularity_score DESC, a.id LIMIT ?) x
        ORDER BY e.ord`;
const eraParams = (eras: readonly string[], genres: readonly string[], exclude: readonly string[], perEra: number): unknown[] => [
  JSON.stringify(genres),
  JSON.stringify(eras),
  JSON.stringify(genres),
  JSON.stringify(exclude),
  perEra,
];

const ARTISTS_SQL = `SELECT a.id, a.name, a.thumbnail, a.station_frequency::float8 AS station, a.genres, a.era,
              (SELECT s.name FROM influence_orbs o JOIN artists s ON s.id = o.source_artist_id
                WHERE o.target_artist_id = a.id AND o.source_artist_id = ANY(${IDS})
                ORDER BY o.influence_score DESC, s.id LIMIT 1) AS "connectedFrom"
         FROM artists a WHERE a.id = ANY(${IDS})`;

// After an orb zoom: the user's stars, the zoomed artist's orb targets that are not stars, their inputs and display
// data, in ONE statement. Display data for every candidate is cheaper than a second round trip.
const ZOOM_SQL = `WITH taste AS MATERIALIZED (
         SELECT a.id, a.name, a.genres, a.era, c.captured_at, c.id AS star
           FROM constellation_stars c JOIN artists a ON a.id = c.artist_id WHERE c.user_id = ?),
            zoomed AS (SELECT ?::text AS id),
            picked AS (
         SELECT DISTINCT ON (o.target_artist_id) o.target_artist_id AS id, src.name AS "sourceName", o.relationship_type AS relationship
           FROM influence_orbs o JOIN artists src ON src.id = o.source_artist_id
          WHERE o.source_artist_id = (SELECT id FROM zoomed) AND o.target_artist_id <> (SELECT id FROM zoomed)
            AND o.target_artist_id NOT IN (SELECT id FROM taste)
          ORDER BY o.target_artist_id, o.influence_score DESC, o.source_artist_id)
       SELECT (SELECT coalesce(json_agg(json_build_object('id', t.id, 'name', t.name, 'genres', t.genres, 'era', t.era) ORDER BY t.captured_at, t.star), '[]'::json)
                 FROM taste t) AS stars,
              (SELECT coalesce(json_agg(x ORDER BY x.id), '[]'::json) FROM (
                 SELECT p.id, p."sourceName", p.relationship, a.name, a.thumbnail, a.station_frequency::float8 AS station, a.genres, a.era,
                        a.popularity_score::float8 AS "popularityScore",
                        (SELECT count(*) FROM influence_orbs i WHERE i.target_artist_id = p.id)::int AS "connectionCount",
                        (SELECT s.name FROM influence_orbs o JOIN artists s ON s.id = o.source_artist_id
                          WHERE o.target_artist_id = a.id AND o.source_artist_id IN (SELECT id FROM taste)
                          ORDER BY o.influence_score DESC, s.id LIMIT 1) AS "connectedFrom"
                   FROM picked p JOIN artists a ON a.id = p.id) x) AS candidates`;

const SAVE_CTES = `WITH incoming AS (SELECT DISTINCT ON (artist_id) * FROM jsonb_to_recordset(?::jsonb) AS r(artist_id text, score float8, reason text)),
            gone AS (
              DELETE FROM user_recommendations u
               WHERE u.user_id = ? AND NOT EXISTS (SELECT 1 FROM incoming i WHERE i.artist_id = u.artist_id)),
            saved AS (
              INSERT INTO user_recommendations (user_id, artist_id, score, reason, first_recommended_at, updated_at)
              SELECT ?, i.artist_id, i.score, i.reason, to_timestamp(? / 1000.0), to_timestamp(? / 1000.0) FROM incoming i
              ON CONFLICT (user_id, artist_id) DO UPDATE SET score = EXCLUDED.score, reason = EXCLUDED.reason, updated_at = EXCLUDED.updated_at
              RETURNING artist_id, xmax = 0 AS inserted)`;
const saveParams = (userId: string, recs: readonly ScoredRecommendation[], nowMs: number): unknown[] => [
  JSON.stringify(recs.map((r) => ({ artist_id: r.artistId, score: r.score, reason: r.reason }))),
  userId,
  userId,
  nowMs,
  nowMs,
];
/** The artists of `recs` (in its order) that `inserted` names: recommended for the first time. */
function freshOf(recs: readonly ScoredRecommendation[], inserted: readonly string[]): string[] {
  const fresh = new Set(inserted);
  return recs.filter((r) => fresh.has(r.artistId)).map((r) => r.artistId);
}

/** What {@link RecommendationRepository.sourcesOf} reads: the user's stars, and what each source needs. */
export interface SourcesInput {
  userId: string;
  /** The user's stars: the influence sources, and excluded from every source. */
  starIds: readonly string[];
  /** 12.4's bounds; null skips the source (too few stars to overlap). */
  collaborative: { minOverlap: number; maxUsers: number; limit: number } | null;
  eras: { eras: readonly string[]; genres: readonly string[]; perEra: number };
}

export interface Sources {
  influences: InfluenceCandidate[];
  collaborative: Array<{ artistId: string; frequency: number }>;
  eraRows: Array<{ artistId: string; era: string; genre: string }>;
}

/** What {@link RecommendationRepository.zoomSources} reads: the taste and the scored candidates with their display data. */
export interface ZoomSources {
  stars: TasteRow[];
  candidates: Array<InfluenceCandidate & RecommendedArtist>;
}

/** An artist as a recommendation shows it. */
export interface RecommendedArtist {
  id: string;
  name: string;
  thumbnail: string;
  station: number | null;
  genres: string[];
  era: string;
  /** The user's star whose orb points to this artist, if any (12.8 connection_text). */
  connectedFrom: string | null;
}

export class RecommendationRepository {
  constructor(
    private readonly sql: Sql,
    private readonly orm: Orm,
  ) {}

  /** Artists the orbs of `sourceIds` point to, minus `exclude`, with their orb count and strongest orb from a source. */
  async influencesOf(sourceIds: readonly string[], exclude: readonly string[]): Promise<InfluenceCandidate[]> {
    if (!sourceIds.length) return [];
    return this.sql.query<InfluenceCandidate>(INFLUENCES_SQL, influencesParams(sourceIds, exclude));
  }

  /** 12.4: artists captured by the 20 users sharing most (≥ 2) stars with `userId`, by how many of them, top 10. */
  async collaborative(userId: string, minOverlap: number, maxUsers: number, limit: number): Promise<Array<{ artistId: string; frequency: number }>> {
    return this.sql.query<{ artistId: string; frequency: number }>(COLLABORATIVE_SQL, [userId, userId, minOverlap, maxUsers, limit]);
  }

  /** Per era, the `perEra` most popular artists of that decade in one of `genres`, minus `exclude`. */
  async eraArtists(
    eras: readonly string[],
    genres: readonly string[],
    exclude: readonly string[],
    perEra: number,
  ): Promise<Array<{ artistId: string; era: string; genre: string }>> {
    if (!eras.length || !genres.length) return [];
    const rows = await this.sql.query<{ artistId: string; era: string; genre: string; ord: number }>(ERAS_SQL, eraParams(eras, genres, exclude, perEra));
    return rows.map(({ artistId, era, genre }) => ({ artistId, era, genre }));
  }

  /** The three source reads in ONE statement: the recompute after every capture paid a round trip per source. */
  async sourcesOf(input: SourcesInput): Promise<Sources> {
    const parts: string[] = [];
    const params: unknown[] = [];
    const part = (name: string, sql: string | null, values: unknown[], order: string) => {
      parts.push(sql === null ? `'[]'::json AS ${name}` : `(SELECT coalesce(json_agg(x ORDER BY ${order}), '[]'::json) FROM (${sql}) x) AS ${name}`);
      if (sql !== null) params.push(...values);
    };
    const { starIds, userId, collaborative: collab, eras } = input;
    part('influences', starIds.length ? INFLUENCES_SQL : null, influencesParams(starIds, starIds), 'x.id');
    part(
      'collaborative',
      collab ? COLLABORATIVE_SQL : null,
      [userId, userId, collab?.minOverlap, collab?.maxUsers, collab?.limit],
      'x.frequency DESC, x."artistId"',
    );
    part('eras', eras.eras.length && eras.genres.length ? ERAS_SQL : null, eraParams(eras.eras, eras.genres, starIds, eras.perEra), 'x.ord');
    const [row] = await this.sql.query<{
      influences: InfluenceCandidate[];
      collaborative: Array<{ artistId: string; frequency: number }>;
      eras: Array<{ artistId: string; era: string; genre: string }>;
    }>(`SELECT ${parts.join(', ')}`, params);
    return { influences: row.influences, collaborative: row.collaborative, eraRows: row.eras.map(({ artistId, era, genre }) => ({ artistId, era, genre })) };
  }

  /** An orb zoom's three reads ({@link influencesOf}, {@link artistsFor}) in ONE statement. */
  async zoomSources(userId: string, artistId: string): Promise<ZoomSources> {
    const [row] = await this.sql.query<ZoomSources>(ZOOM_SQL, [userId, artistId]);
    return row;
  }

  /** 12.8: display data of `ids`, each with the name of a star (`starIds`) whose orb points to it. */
  async artistsFor(ids: readonly string[], starIds: readonly string[]): Promise<Map<string, RecommendedArtist>> {
    if (!ids.length) return new Map();
    const rows = await this.sql.query<RecommendedArtist>(ARTISTS_SQL, [JSON.stringify(starIds), JSON.stringify(ids)]);
    return new Map(rows.map((r) => [r.id, r]));
  }

  /**
   * Replaces the user's list in ONE statement (runs after every capture; the ORM version was the load test's top ORM
   * cost). Returns the artists recommended for the first time.
   */
  async saveCurrent(userId: string, recs: readonly ScoredRecommendation[], nowMs: number): Promise<string[]> {
    const rows = await this.sql.query<{ artistId: string }>(
      `${SAVE_CTES} SELECT artist_id AS "artistId" FROM saved WHERE inserted`,
      saveParams(userId, recs, nowMs),
    );
    return freshOf(
      recs,
      rows.map((r) => r.artistId),
    );
  }

  /** {@link saveCurrent} and {@link artistsFor} in ONE statement: one round trip fewer per capture. */
  async saveCurrentWithArtists(
    userId: string,
    recs: readonly ScoredRecommendation[],
    starIds: readonly string[],
    nowMs: number,
  ): Promise<{ fresh: string[]; artists: Map<string, RecommendedArtist> }> {
    const ids = recs.map((r) => r.artistId);
    const artists = ids.length ? `(SELECT coalesce(json_agg(x), '[]'::json) FROM (${ARTISTS_SQL}) x)` : `'[]'::json`;
    const [row] = await this.sql.query<{ fresh: string[]; artists: RecommendedArtist[] }>(
      `${SAVE_CTES} SELECT (SELECT coalesce(json_agg(artist_id), '[]'::json) FROM saved WHERE inserted) AS fresh, ${artists} AS artists`,
      [...saveParams(userId, recs, nowMs), ...(ids.length ? [JSON.stringify(starIds), JSON.stringify(ids)] : [])],
    );
    return { fresh: freshOf(recs, row.fresh), artists: new Map(row.artists.map((a) => [a.id, a])) };
  }

  /** The user's current recommendations that first appeared after `sinceMs`, newest first (at most `limit`). */
  async madeSince(userId: string, sinceMs: number, limit: number): Promise<Array<{ artistId: string; reason: string; createdAt: string }>> {
    const rows = await this.orm.em
      .fork()
      .find(
        UserRecommendation,
        { userId, firstRecommendedAt: { $gt: new Date(sinceMs) } },
        { orderBy: { firstRecommendedAt: 'desc', artistId: 'asc' }, limit },
      );
    return rows.map((r) => ({ artistId: r.artistId, reason: r.reason, createdAt: r.firstRecommendedAt.toISOString() }));
  }

  /** How many of the user's current recommendations appeared after `sinceMs`. */
  async countNewSince(userId: string, sinceMs: number): Promise<number> {
    return this.orm.em.fork().count(UserRecommendation, { userId, firstRecommendedAt: { $gt: new Date(sinceMs) } });
  }
}
