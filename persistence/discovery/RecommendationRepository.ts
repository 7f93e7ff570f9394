/** The recommendations engine's reads (aggregations over orbs and constellations, hand-written) and its stored list. */
import type { Sql } from '../db.js';
import type { Orm } from '../orm.js';
import { UserRecommendation } from '../entities/discovery.js';
import type { z } from 'zod';
import type { InfluenceCandidate, recommendedArtistSchema, ScoredRecommendation } from '../../systems/discovery/recommendations.js';

/** A jsonb list of ids as a text array: a bind parameter (`?::jsonb`; the driver binds arrays unreliably) or a column. */
export const idsOf = (jsonb: string): string => `ARRAY(SELECT jsonb_array_elements_text(${jsonb}))`;

/** Each SQL text below takes its inputs as expressions: `?` parameters for one user, a batch row's columns for many. */
/** `columns`: more of the picked artist `a`'s, appended to the select list. */
export const influencesSql = (sources: string, exclude: string, columns = ''): string => `WITH picked AS (
         SELECT DISTINCT ON (o.target_artist_id) o.target_artist_id AS id, src.name AS "sourceName", o.relationship_type AS relationship
           FROM influence_orbs o JOIN artists src ON src.id = o.source_artist_id
          WHERE o.source_artist_id = ANY(${sources}) AND NOT (o.target_artist_id = ANY(${exclude}))
          ORDER BY o.target_artist_id, o.influence_score DESC, o.source_artist_id)
       SELECT p.id, p."sourceName", p.relationship, a.genres, a.era, a.popularity_score::float8 AS "popularityScore",
              (SELECT count(*) FROM influence_orbs i WHERE i.target_artist_id = p.id)::int AS "connectionCount"${columns}
         FROM picked p JOIN artists a ON a.id = p.id`;

export const collaborativeSql = (user: string, minOverlap: string, maxUsers: string, limit: string): string => `WITH
            mine AS (SELECT artist_id FROM constellation_stars WHERE user_id = ${user}),
            peers AS (
              SELECT c.user_id FROM constellation_stars c
               WHERE c.artist_id IN (SELECT artist_id FROM mine) AND c.user_id <> ${user}
               GROUP BY c.user_id HAVING count(*) >= ${minOverlap}
               ORDER BY count(*) DESC, c.user_id LIMIT ${maxUsers})
       SELECT c.artist_id AS "artistId", count(*)::int AS frequency
         FROM constellation_stars c
        WHERE c.user_id IN (SELECT user_id FROM peers) AND c.artist_id NOT IN (SELECT artist_id FROM mine)
        GROUP BY c.artist_id ORDER BY frequency DESC, c.artist_id LIMIT ${limit}`;

// Per era, the popularity index is walked until `perEra` artists of that decade in a top genre are found.
export const erasSql = (genres: string, eras: string, exclude: string, perEra: string): string => `SELECT x.id AS "artistId", e.era,
              (SELECT g FROM unnest(x.genres) WITH ORDINALITY u(g, k) WHERE g = ANY(${genres}) ORDER BY k LIMIT 1) AS genre, e.ord
         FROM unnest(${eras}) WITH ORDINALITY AS e(era, ord)
         CROSS JOIN LATERAL (
           SELECT a.id, a.genres FROM artists a
            WHERE a.era LIKE e.era || '%' AND a.genres && ${genres} AND NOT (a.id = ANY(${exclude}))
            ORDER BY a.popularity_score DESC, a.id LIMIT ${perEra}) x
        ORDER BY e.ord`;

export const artistsSql = (stars: string, ids: string): string => `SELECT a.id, a.name, a.thumbnail, a.station_frequency::float8 AS station, a.genres, a.era,
              (SELECT s.name FROM influence_orbs o JOIN artists s ON s.id = o.source_artist_id
                WHERE o.target_artist_id = a.id AND o.source_artist_id = ANY(${stars})
                ORDER BY o.influence_score DESC, s.id LIMIT 1) AS "connectedFrom"
         FROM artists a WHERE a.id = ANY(${ids})`;

/** `sql`'s rows as one json array (`order` over its alias x). */
const jsonRows = (sql: string, order: string): string => `(SELECT coalesce(json_agg(x ORDER BY ${order}), '[]'::json) FROM (${sql}) x)`;

/**
 * Every user's three sources in ONE statement, a row per user (12.3 influences, 12.4 similar users, 12.6 eras): the
 * recomputes of all users in a window share it. A source a user has no input for is skipped ('[]').
 */
const SOURCES_SQL = `SELECT
    CASE WHEN jsonb_array_length(n.s) > 0 THEN ${jsonRows(influencesSql(idsOf('n.s'), idsOf('n.s')), 'x.id')} ELSE '[]'::json END AS influences,
    CASE WHEN n.co IS NOT NULL THEN ${jsonRows(collaborativeSql('n.u', 'n.co', 'n.cu', 'n.cl'), 'x.frequency DESC, x."artistId"')} ELSE '[]'::json END AS collaborative,
    CASE WHEN jsonb_array_length(n.e) > 0 AND jsonb_array_length(n.g) > 0
      THEN ${jsonRows(erasSql(idsOf('n.g'), idsOf('n.e'), idsOf('n.s'), 'n.pe'), 'x.ord')} ELSE '[]'::json END AS eras
  FROM jsonb_to_recordset(?::jsonb) AS n(i int, u uuid, s jsonb, co int, cu int, cl int, e jsonb, g jsonb, pe int)
  ORDER BY n.i`;

// After an orb zoom: the zoomed artist's orb targets with their inputs, display data and every artist whose orb points
// to them (strongest first), in ONE statement that names no user, so a process keeps it per zoomed artist and applies
// each listener's stars in memory.
const ZOOM_SQL = `${influencesSql(
  'ARRAY[?::text]',
  'ARRAY[?::text]',
  `, a.name, a.thumbnail, a.station_frequency::float8 AS station,
              (SELECT coalesce(json_agg(json_build_object('id', s.id, 'name', s.name) ORDER BY o.influence_score DESC, s.id), '[]'::json)
                 FROM influence_orbs o JOIN artists s ON s.id = o.source_artist_id WHERE o.target_artist_id = a.id) AS "pointedFrom"`,
)} ORDER BY p.id`;

/**
 * Replaces the lists of every user in the input (an empty list clears one) in ONE statement, a row per user: the
 * artists recommended for the first time, and the display data of its list (12.8, with the star whose orb points there).
 */
const SAVE_SQL = `WITH input AS MATERIALIZED (
         SELECT * FROM jsonb_to_recordset(?::jsonb) AS r(i int, u uuid, s jsonb, r jsonb)),
            incoming AS (
         SELECT DISTINCT ON (n.u, x.a) n.u, x.a, x.sc, x.re
           FROM input n CROSS JOIN LATERAL jsonb_to_recordset(n.r) AS x(a text, sc float8, re text) ORDER BY n.u, x.a),
            gone AS (
         DELETE FROM user_recommendations w
          WHERE w.user_id IN (SELECT u FROM input) AND NOT EXISTS (SELECT 1 FROM incoming i WHERE i.u = w.user_id AND i.a = w.artist_id)),
            saved AS (
         INSERT INTO user_recommendations (user_id, artist_id, score, reason, first_recommended_at, updated_at)
         SELECT i.u, i.a, i.sc, i.re, to_timestamp(?::float8 / 1000), to_timestamp(?::float8 / 1000) FROM incoming i
         ON CONFLICT (user_id, artist_id) DO UPDATE SET score = EXCLUDED.score, reason = EXCLUDED.reason, updated_at = EXCLUDED.updated_at
         RETURNING user_id, artist_id, xmax = 0 AS inserted)
  SELECT (SELECT coalesce(json_agg(v.artist_id), '[]'::json) FROM saved v WHERE v.user_id = n.u AND v.inserted) AS fresh,
         ${jsonRows(artistsSql(idsOf('n.s'), `ARRAY(SELECT x.a FROM jsonb_to_recordset(n.r) AS x(a text))`), 'x.id')} AS artists
    FROM input n ORDER BY n.i`;

/** One user's list to store, and its stars (for the display data's connection text). */
export interface ListToSave {
  userId: string;
  recs: readonly ScoredRecommendation[];
  starIds: readonly string[];
}

/** What {@link RecommendationRepository.sourcesOfMany} reads per user: the user's stars, and what each source needs. */
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

/** What {@link RecommendationRepository.zoomCandidates} reads per orb target: its inputs, display data and who points to it. */
export interface ZoomCandidate extends Omit<InfluenceCandidate, 'genres'>, Omit<RecommendedArtist, 'connectedFrom'> {
  /** The artists with an orb to this one, strongest orb first: a listener's first star among them is its connection. */
  pointedFrom: Array<{ id: string; name: string }>;
}

/** An artist as a recommendation shows it, and the user's star whose orb points to it, if any (12.8 connection_text). */
export type RecommendedArtist = z.infer<typeof recommendedArtistSchema>['artist'] & { connectedFrom: string | null };

export class RecommendationRepository {
  constructor(
    private readonly sql: Sql,
    private readonly orm: Orm,
  ) {}

  /** The three source reads of every input in ONE statement (a recompute paid a round trip per source, then per user). */
  async sourcesOfMany(inputs: readonly SourcesInput[]): Promise<Sources[]> {
    if (!inputs.length) return [];
    const rows = inputs.map(({ userId: u, starIds: s, collaborative: c, eras }, i) => ({
      i,
      u,
      s,
      ...(c ? { co: c.minOverlap, cu: c.maxUsers, cl: c.limit } : {}),
      e: eras.eras,
      g: eras.genres,
      pe: eras.perEra,
    }));
    const out = await this.sql.query<Omit<Sources, 'eraRows'> & { eras: Array<Sources['eraRows'][number] & { ord?: number }> }>(SOURCES_SQL, [
      JSON.stringify(rows),
    ]);
    return out.map((r) => ({
      influences: r.influences,
      collaborative: r.collaborative,
      eraRows: r.eras.map(({ artistId, era, genre }) => ({ artistId, era, genre })),
    }));
  }

  /** The zoomed artist's orb targets (itself excluded), by id, in ONE statement. */
  zoomCandidates(artistId: string): Promise<ZoomCandidate[]> {
    return this.sql.query<ZoomCandidate>(ZOOM_SQL, [artistId, artistId]);
  }

  /** Replaces every list in ONE statement (the recomputes of a window share it): per list, its new artists and display data. */
  async saveMany(lists: readonly ListToSave[], nowMs: number): Promise<Array<{ fresh: string[]; artists: Map<string, RecommendedArtist> }>> {
    if (!lists.length) return [];
    const input = lists.map(({ userId: u, recs, starIds: s }, i) => ({ i, u, s, r: recs.map((r) => ({ a: r.artistId, sc: r.score, re: r.reason })) }));
    const rows = await this.sql.query<{ fresh: string[]; artists: RecommendedArtist[] }>(SAVE_SQL, [JSON.stringify(input), nowMs, nowMs]);
    // `fresh`: the artists recommended for the first time, in the list's order.
    return rows.map((row, i) => ({
      fresh: lists[i].recs.map((r) => r.artistId).filter((a) => row.fresh.includes(a)),
      artists: new Map(row.artists.map((a) => [a.id, a])),
    }));
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
}
