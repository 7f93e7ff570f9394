/**
 * The recommendation sources read one at a time for one user: the reference the batched statements of
 * RecommendationRepository are checked against, and the per-source timings of the recommendations benchmark.
 */
import type { Sql } from '../../persistence/db.js';
import {
  artistsSql,
  collaborativeSql,
  erasSql,
  idsOf,
  influencesSql,
  RecommendationRepository,
  type RecommendedArtist,
} from '../../persistence/discovery/RecommendationRepository.js';
import type { InfluenceCandidate, ScoredRecommendation } from '../../systems/discovery/recommendations.js';

const IDS = idsOf('?::jsonb');

/** Artists the orbs of `sourceIds` point to, minus `exclude`, with their orb count and strongest orb from a source. */
export async function influencesOf(sql: Sql, sourceIds: readonly string[], exclude: readonly string[]): Promise<InfluenceCandidate[]> {
  if (!sourceIds.length) return [];
  return sql.query<InfluenceCandidate>(influencesSql(IDS, IDS), [JSON.stringify(sourceIds), JSON.stringify(exclude)]);
}

/** Artists captured by the `maxUsers` users sharing most (≥ `minOverlap`) stars with `userId`, by how many of them. */
export async function collaborative(
  sql: Sql,
  userId: string,
  minOverlap: number,
  maxUsers: number,
  limit: number,
): Promise<Array<{ artistId: string; frequency: number }>> {
  return sql.query(collaborativeSql('?', '?', '?', '?'), [userId, userId, minOverlap, maxUsers, limit]);
}

/** Per era, the `perEra` most popular artists of that decade in one of `genres`, minus `exclude`. */
export async function eraArtists(
  sql: Sql,
  eras: readonly string[],
  genres: readonly string[],
  exclude: readonly string[],
  perEra: number,
): Promise<Array<{ artistId: string; era: string; genre: string }>> {
  if (!eras.length || !genres.length) return [];
  const [g, e, x] = [genres, eras, exclude].map((ids) => JSON.stringify(ids));
  const rows = await sql.query<{ artistId: string; era: string; genre: string }>(erasSql(IDS, IDS, IDS, '?'), [g, e, g, x, perEra]);
  return rows.map(({ artistId, era, genre }) => ({ artistId, era, genre }));
}

/** Display data of `ids`, each with the name of a star (`starIds`) whose orb points to it. */
export async function artistsFor(sql: Sql, ids: readonly string[], starIds: readonly string[]): Promise<Map<string, RecommendedArtist>> {
  if (!ids.length) return new Map();
  const rows = await sql.query<RecommendedArtist>(artistsSql(IDS, IDS), [JSON.stringify(starIds), JSON.stringify(ids)]);
  return new Map(rows.map((r) => [r.id, r]));
}

/** Replaces one user's list; returns the artists recommended for the first time. */
export async function saveCurrent(repo: RecommendationRepository, userId: string, recs: readonly ScoredRecommendation[], nowMs: number): Promise<string[]> {
  const [saved] = await repo.saveMany([{ userId, recs, starIds: [] }], nowMs);
  return saved.fresh;
}
