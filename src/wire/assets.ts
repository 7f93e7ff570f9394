import { ArtistAssetStore } from '../../persistence/assets/ArtistAssetStore.js';
import { AssetPipeline, noBackgroundRemoval } from '../../features/assets/processArtistImage.js';
import type { JobScheduler } from '../../features/jobs/JobScheduler.js';
import { ARTWORK_JOB, artworkJob } from '../../features/assets/demoArtwork.js';
import { assetsRoutes, imageUploadBodyRule } from '../http/assetsRoutes.js';
import type { FeatureParts, WireContext } from './context.js';
import { usePictureFonts } from '../config/fontconfig.js';

const UPLOAD_JOB = 'artist_assets';

/** The asset pipeline (seed 000 step 10): an uploaded artist image → resolutions and a palette, each upload a recorded job run. */
export function wire(ctx: WireContext, deps: { scheduler: JobScheduler; invalidateStations: () => Promise<void> }): FeatureParts {
  const { config } = ctx;
  // Before any picture is drawn: the pictures' text needs fonts the slim image does not have.
  usePictureFonts(config.assets.fontconfigFile);
  const store = new ArtistAssetStore(ctx.orm);
  const pipeline = new AssetPipeline({
    store,
    remover: noBackgroundRemoval,
    minSidePx: config.assets.minSidePx,
    maxConcurrent: config.assets.maxConcurrent,
    invalidateStations: deps.invalidateStations,
  });
  deps.scheduler.addEventJob(UPLOAD_JOB, 'step 10: an artist image upload (POST /api/admin/artists/:id/image)');
  const artwork = artworkJob({ store, pipeline, sidePx: Math.max(config.assets.minSidePx, 2048), perRun: config.assets.artworkPerRun });
  return {
    jobs: [artwork],
    // One process draws (the job's lock); the others find the run taken and skip.
    start: () => {
      if (config.assets.artwork)
        void deps.scheduler.runNow(ARTWORK_JOB).catch((err) => ctx.log.info({ err: (err as Error).message }, 'artist artwork not started here'));
    },
    routes: assetsRoutes(pipeline, store, config.adminToken, (name, work) => deps.scheduler.record(name, work)),
    rawBodyRoutes: [imageUploadBodyRule(config.assets.maxUploadBytes, config.adminToken)],
  };
}
