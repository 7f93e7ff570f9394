import type { ArtistAssetStore } from '../../persistence/assets/ArtistAssetStore.js';
import type { JobDefinition } from '../jobs/JobScheduler.js';
import { demoArtworkSvg } from '../../systems/assets/demoArtwork.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { UploadsBusyError, type AssetPipeline } from './processArtistImage.js';
import { svgToPng } from './svgRaster.js';

export const ARTWORK_JOB = 'artist_artwork';
const BUSY_RETRY_MS = 2000;

export interface ArtworkJobOptions {
  store: ArtistAssetStore;
  pipeline: AssetPipeline;
  /** Side of the generated poster: at least what the pipeline accepts (ASSET_MIN_SIDE_PX). */
  sidePx: number;
  /** Artists drawn per run: a synthetic catalog of thousands is covered over several runs, not one long one. */
  perRun: number;
}

/** A poster is no photograph of a person: no background removal, no review. */
const POSTER = { removeBackground: false, review: false } as const;

/**
 * Draws a poster for each dial artist without an image and sends it through the upload pipeline, one at a time so
 * an upload or a room tick never waits long.
 */
export function artworkJob(options: ArtworkJobOptions): JobDefinition {
  return {
    name: ARTWORK_JOB,
    description: 'generated artwork for artists on the dial without an image, through the asset pipeline',
    schedule: null,
    async run({ signal, log }) {
      const artists = await options.store.dialArtistsWithoutImages(options.perRun);
      let drawn = 0;
      for (const artist of artists) {
        if (signal.aborted) break;
        const png = await svgToPng(demoArtworkSvg(artist, options.sidePx), { compressionLevel: 1 });
        // Uploads share the pipeline's slots: wait for one rather than fail the run.
        const done = await options.pipeline.process(artist.id, png, signal, POSTER).then(
          () => true,
          async (err) => {
            if (signal.aborted) return false; // shutdown: this artist is drawn by the next run
            if (!(err instanceof UploadsBusyError)) throw err;
            await sleep(BUSY_RETRY_MS, undefined, { signal }).catch(() => undefined);
            if (signal.aborted) return false;
            await options.pipeline.process(artist.id, png, signal, POSTER);
            return true;
          },
        );
        if (done) drawn++;
      }
      log.info({ drawn, pending: artists.length - drawn }, 'artist artwork drawn');
      return { rows: drawn, details: { candidates: artists.length } };
    },
  };
}
