import type { Backplane } from '../../persistence/backplane/Backplane.js';
import type { Config } from '../config/config.js';
import type { Logger } from '../logger.js';
import type { Orm } from '../../persistence/orm.js';
import type { CatalogRepository } from '../../persistence/catalog/CatalogRepository.js';
import type { ConstellationRepository } from '../../persistence/constellation/ConstellationRepository.js';
import { ShareRepository } from '../../persistence/journal/ShareRepository.js';
import { JournalInvalidations } from '../../features/journal/JournalInvalidations.js';
import { JournalService } from '../../features/journal/Journal.js';
import { Shares } from '../../features/journal/Shares.js';
import { journalRoutes } from '../http/journalRoutes.js';
import type { RequestAuth } from '../http/requireUser.js';
import type { Route } from '../http/router.js';

export interface JournalWiring {
  service: JournalService;
  shares: Shares;
  /** Capture's hook: drops the user's journal here and, with Redis, in every other process. */
  invalidate: (userId: string) => void;
  routes(auth: RequestAuth): Route[];
  stop(): Promise<void>;
}

/** Builds the journal (issue 13 parts 1, 5, 6): its cache, the invalidation bus, shares and routes. */
export async function startJournal(deps: { config: Config; log: Logger; orm: Orm; backplane: Backplane; catalog: CatalogRepository; constellations: ConstellationRepository }): Promise<JournalWiring> {
  const { config, log } = deps;
  const service = new JournalService({ constellations: deps.constellations, catalog: deps.catalog, maxEntries: config.journal.cacheMaxEntries, ttlMs: config.journal.cacheTtlSec * 1000 });
  const bus = await new JournalInvalidations(deps.backplane, { batchMs: config.journal.invalidationBatchMs, batchMax: config.journal.invalidationBatchMax }, (err) =>
    log.warn({ err }, 'journal invalidation not published; other processes serve the old journal until its TTL'),
  ).start();
  bus.onInvalidated((userId) => service.invalidate(userId));
  const shares = new Shares({ shares: new ShareRepository(deps.orm), constellations: deps.constellations, journal: service, maxShareStars: config.journal.maxShareStars });
  return {
    service,
    shares,
    invalidate: (userId) => bus.publish(userId),
    routes: (auth) => journalRoutes(service, shares, auth),
    stop: () => bus.close(),
  };
}
