import { ArtistAssetStore } from '../../persistence/assets/ArtistAssetStore.js';
import { AssetReviewStore } from '../../persistence/assets/AssetReviewStore.js';
import { AssetWebhookStore } from '../../persistence/assets/AssetWebhookStore.js';
import { AssetPipeline } from '../../features/assets/processArtistImage.js';
import { AssetReviews } from '../../features/assets/AssetReviews.js';
import { AssetWebhookSender } from '../../features/assets/AssetWebhookSender.js';
import { Segmenter } from '../../features/assets/Segmenter.js';
import type { Notifier } from '../../features/notifications/Notifier.js';
import type { JobScheduler } from '../../features/jobs/JobScheduler.js';
import { ARTWORK_JOB, artworkJob } from '../../features/assets/demoArtwork.js';
import { ASSET_ROUTES } from '../http/assetsRoutes.js';
import { ASSET_REVIEW_ROUTES } from '../http/assetsReviewRoutes.js';
import { adminGate } from '../http/authGates.js';
import { mount } from '../http/route.js';
import type { FeatureParts, WireContext } from './context.js';
import { usePictureFonts } from '../config/fontconfig.js';

const UPLOAD_JOB = 'artist_assets';

/** Upload → cut-out, variants and palette as a recorded job run; unsure cut-outs wait for review; live assets are announced by the signed webhook. */
export function wire(ctx: WireContext, deps: { scheduler: JobScheduler; invalidateStations: () => Promise<void>; notifier: Notifier }): FeatureParts {
  const { config } = ctx;
  const a = config.assets;
  // Before any picture is drawn: the slim image has no fonts.
  usePictureFonts(a.fontconfigFile);
  const store = new ArtistAssetStore(ctx.orm);
  const reviewStore = new AssetReviewStore(ctx.orm);
  const segmenter = a.backgroundRemoval === 'model' ? new Segmenter({ timeoutMs: a.segmentTimeoutMs, maxWaiting: a.segmentMaxWaiting }) : null;
  if (segmenter) ctx.life.add('asset-segmenter', () => segmenter.close());
  const { url, secret, ...delivery } = a.webhook;
  const sender =
    url && secret
      ? new AssetWebhookSender({ ...delivery, url, secret, store: new AssetWebhookStore(ctx.orm), pollMs: Math.min(delivery.baseDelayMs, 1000), log: ctx.log })
      : null;
  if (sender) ctx.life.add('asset-webhook', () => sender.stop());
  const inform = deps.notifier.inform.bind(deps.notifier);
  const webhook = { enabled: sender !== null, kick: () => sender?.kick() };
  const pipeline = new AssetPipeline({
    store,
    reviews: reviewStore,
    segmenter,
    review: { mode: a.review, minConfidence: a.reviewConfidence },
    webhook,
    minSidePx: a.minSidePx,
    maxInputPixels: a.maxInputPixels,
    maxConcurrent: a.maxConcurrent,
    invalidateStations: deps.invalidateStations,
    log: ctx.log,
    inform,
  });
  const reviews = new AssetReviews({ reviews: reviewStore, webhook, invalidateStations: deps.invalidateStations, audit: ctx.log, inform });
  deps.scheduler.addEventJob(UPLOAD_JOB, 'an artist image upload (POST /api/admin/artists/:id/image)');
  const artwork = artworkJob({ store, pipeline, sidePx: Math.max(a.minSidePx, 2048), perRun: a.artworkPerRun });
  return {
    jobs: [artwork],
    // One process draws (the job's lock); the others find the run taken and skip.
    start: () => {
      sender?.start();
      if (a.artwork) void deps.scheduler.runNow(ARTWORK_JOB).catch((err) => ctx.log.info({ err: (err as Error).message }, 'artist artwork not started here'));
    },
    routes: [
      ...mount(ASSET_ROUTES, {
        pipeline,
        store,
        admin: adminGate(config.adminToken),
        record: (name, work) => deps.scheduler.record(name, work),
        maxUploadBytes: a.maxUploadBytes,
        adminToken: config.adminToken,
      }),
      ...mount(ASSET_REVIEW_ROUTES, { reviews, admin: adminGate(config.adminToken) }),
    ],
  };
}
