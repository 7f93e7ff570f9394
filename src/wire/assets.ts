import { ArtistAssetStore } from '../../persistence/assets/ArtistAssetStore.js';
import { AssetPipeline, noBackgroundRemoval } from '../../features/assets/processArtistImage.js';
import type { JobScheduler } from '../../features/jobs/JobScheduler.js';
import { assetsRoutes, imageUploadBodyRule } from '../http/assetsRoutes.js';
import type { FeatureParts, WireContext } from './context.js';

const UPLOAD_JOB = 'artist_assets';

/** The asset pipeline (seed 000 step 10): an uploaded artist image → resolutions and a palette, each upload a recorded job run. */
export function wire(ctx: WireContext, deps: { scheduler: JobScheduler; invalidateStations: () => Promise<void> }): FeatureParts {
  const { config } = ctx;
  const store = new ArtistAssetStore(ctx.orm);
  const pipeline = new AssetPipeline({ store, remover: noBackgroundRemoval, minSidePx: config.assets.minSidePx, maxConcurrent: config.assets.maxConcurrent, invalidateStations: deps.invalidateStations });
  deps.scheduler.addEventJob(UPLOAD_JOB, 'step 10: an artist image upload (POST /api/admin/artists/:id/image)');
  return {
    routes: assetsRoutes(pipeline, store, config.adminToken, (name, work) => deps.scheduler.record(name, work)),
    rawBodyRoutes: [imageUploadBodyRule(config.assets.maxUploadBytes, config.adminToken)],
  };
}
