import type { CatalogRepository } from '../../persistence/catalog/CatalogRepository.js';
import type { ConstellationRepository } from '../../persistence/constellation/ConstellationRepository.js';
import { ShareRepository } from '../../persistence/journal/ShareRepository.js';
import { JournalInvalidations } from '../../features/journal/JournalInvalidations.js';
import { JournalService } from '../../features/journal/Journal.js';
import { Shares } from '../../features/journal/Shares.js';
import { SharePreviewImages } from '../../features/journal/SharePreviewImages.js';
import { journalRoutes } from '../http/journalRoutes.js';
import type { Notifier } from '../../features/notifications/Notifier.js';
import type { Friends } from '../../features/friends/Friends.js';
import type { FeatureParts, WireContext } from './context.js';

/** A per-user cache dropped by every capture in every process (the backplane's invalidation channel); shares notify their recipient. */
export async function wire(
  ctx: WireContext,
  deps: { catalog: CatalogRepository; constellations: ConstellationRepository; notifier: Notifier; friends: Friends },
): Promise<FeatureParts & { journal: JournalService; invalidate: (userId: string) => void }> {
  const { config, log } = ctx;
  const journal = new JournalService({
    constellations: deps.constellations,
    catalog: deps.catalog,
    maxEntries: config.journal.cacheMaxEntries,
    ttlMs: config.journal.cacheTtlSec * 1000,
  });
  const invalidations = await new JournalInvalidations(
    ctx.backplane,
    { batchMs: config.journal.invalidationBatchMs, batchMax: config.journal.invalidationBatchMax },
    (err) => log.warn({ err }, 'journal invalidation not published; other processes serve the old journal until its TTL'),
  ).start();
  ctx.life.add('journal', () => invalidations.close());
  invalidations.onInvalidated((userId) => journal.invalidate(userId));
  const shares = new Shares({
    shares: new ShareRepository(ctx.orm, config.notifications.push.queueMax),
    constellations: deps.constellations,
    journal,
    names: deps.friends,
    maxShareStars: config.journal.maxShareStars,
    directSharesPerHour: config.journal.directSharesPerHour,
    notifier: deps.notifier,
  });
  return {
    journal,
    invalidate: (userId) => invalidations.publish(userId),
    routes: journalRoutes(journal, shares, new SharePreviewImages({ cacheEntries: config.journal.previewCacheEntries }), ctx.auth),
  };
}
