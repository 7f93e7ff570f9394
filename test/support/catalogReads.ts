import type { CatalogRepository } from '../../persistence/catalog/CatalogRepository.js';
import { StationCache } from '../../persistence/catalog/StationCache.js';
import { StationService } from '../../features/catalog/StationService.js';
import type { CatalogReads } from '../../features/constellation/planStar.js';
import { localBackplane } from './backplanes.js';

/** What a capture reads, wired as src/wire/constellation.ts wires it: genres from the repository, relationships from the stations. */
export function catalogReads(
  catalog: CatalogRepository,
  stations = new StationService(catalog, new StationCache(localBackplane(), { ttlMs: 600_000, maxEntries: 100, onError: () => undefined, now: Date.now })),
): CatalogReads {
  return { genresOf: (ids) => catalog.genresOf(ids), relationshipsTo: (target, sources) => stations.relationshipsTo(target, sources) };
}
