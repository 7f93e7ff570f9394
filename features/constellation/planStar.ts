import { buildConnections, mulberry32, placeStar, seedFromIds, type Star } from '../../systems/constellation/constellation.js';
import type { CatalogRepository } from '../../persistence/catalog/CatalogRepository.js';
import type { StationService } from '../catalog/StationService.js';

export type CatalogReads = Pick<CatalogRepository, 'genresOf'> & Pick<StationService, 'relationshipsTo'>;

/** A star the user already has; `genres` when the caller knows them (saves a catalog read). */
export type KnownStar = Omit<Star, 'genres'> & { genres?: readonly string[] };

export interface StarPlanInput {
  userId: string;
  artistId: string;
  discoveryPath: string[];
  /** Stars already captured; with `genres` known for all of them (and `artistGenres`), no genre read is needed. */
  existing: readonly KnownStar[];
  /** The artist's genres when the caller already has them (saves a catalog read). */
  artistGenres?: readonly string[];
}

/** The one placement for live and offline captures, so a star lands in the same spot either way. Deterministic per (user, artist). */
export async function planStar(catalog: CatalogReads, input: StarPlanInput) {
  const ids = input.existing.map((s) => s.artistId);
  // Catalog reads only for what the caller did not bring: a capture is a hot path (Postgres round trips).
  const unknown = [...input.existing.filter((s) => !s.genres).map((s) => s.artistId), ...(input.artistGenres ? [] : [input.artistId])];
  const [genres, relations] = await Promise.all([
    unknown.length ? catalog.genresOf(unknown) : new Map<string, string[]>(),
    ids.length ? catalog.relationshipsTo(input.artistId, ids) : new Map<string, string>(),
  ]);
  const existing: Star[] = input.existing.map((s) => ({ artistId: s.artistId, position: s.position, genres: s.genres ?? genres.get(s.artistId) ?? [] }));
  const placement = placeStar({
    existing,
    discoveryPath: input.discoveryPath,
    artistId: input.artistId,
    relationshipFrom: (base) => relations.get(base),
    rng: mulberry32(seedFromIds(input.userId, input.artistId)),
  });
  const connections = buildConnections(
    { artistId: input.artistId, genres: input.artistGenres ?? genres.get(input.artistId) ?? [] },
    existing,
    input.discoveryPath,
  );
  // `existing`, with genres: a caller may keep them between captures.
  return { placement, connections, existing };
}
