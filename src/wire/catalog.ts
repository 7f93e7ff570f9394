import { CatalogRepository } from '../../persistence/catalog/CatalogRepository.js';
import { StationCache } from '../../persistence/catalog/StationCache.js';
import { StationService } from '../../features/catalog/StationService.js';
import type { PassportWriter } from '../../features/passport/PassportWriter.js';
import { catalogRoutes } from '../http/catalogRoutes.js';
import { readEventLog } from '../http/passportRoutes.js';
import type { FeatureParts, WireContext } from './context.js';

/** Read through a cache every process shares. */
export async function wire(
  ctx: WireContext,
  deps: { writer: Pick<PassportWriter, 'enqueue'> },
): Promise<FeatureParts & { catalog: CatalogRepository; stations: StationService; cache: StationCache }> {
  const { config, log } = ctx;
  const catalog = new CatalogRepository(ctx.orm);
  const ttlMs = config.stationCacheTtlSec * 1000;
  const cache = await new StationCache(ctx.backplane, {
    ttlMs,
    maxEntries: config.stationCacheMaxEntries,
    onError: (err) => log.warn({ err }, 'station cache invalidation not published; other processes keep their snapshots until the TTL'),
    now: Date.now,
  }).start();
  ctx.life.add('station-cache', () => cache.close());
  const stations = new StationService(catalog, cache, { maxEntries: config.stationCacheMaxEntries, ttlMs });
  return { catalog, stations, cache, routes: catalogRoutes(stations, ctx.auth, config.adminToken, readEventLog(deps.writer, log)) };
}
