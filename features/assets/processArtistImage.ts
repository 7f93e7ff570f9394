import sharp from 'sharp';
import type { ArtistAssetStore, StoredVariant } from '../../persistence/assets/ArtistAssetStore.js';
import { ASSET_RESOLUTIONS, complementary, extractPalette, uploadProblem, type AssetVariant } from '../../systems/assets/artistAssets.js';
import { AppError } from '../../systems/errors.js';

/**
 * Seed 10.2 background removal ("deep etch"): takes the original image bytes, returns an image with
 * the background transparent. It needs a segmentation model or a remote API, neither of which this
 * deployment has, so the default {@link noBackgroundRemoval} passes the image through; a real remover
 * implements this interface (see docs/FEATURES.md "Asset pipeline").
 */
export interface BackgroundRemover {
  readonly name: string;
  remove(image: Buffer): Promise<Buffer>;
}

export const noBackgroundRemoval: BackgroundRemover = { name: 'none', remove: async (image) => image };

export class InvalidImageError extends AppError<'VALIDATION_FAILED'> {
  constructor(problem: string) {
    super('VALIDATION_FAILED', `the uploaded image ${problem}`, [{ field: '(body)', message: problem }]);
  }
}

export class UnknownArtistError extends AppError<'NOT_FOUND'> {
  constructor(artistId: string) {
    super('NOT_FOUND', `no artist "${artistId.slice(0, 100)}"; GET /api/stations lists artists on the dial`);
  }
}

export class UploadsBusyError extends AppError<'BACKPRESSURE'> {
  constructor(limit: number) {
    super('BACKPRESSURE', `${limit} image uploads are being processed already (ASSET_MAX_CONCURRENT); retry after the Retry-After delay`, undefined, 5);
  }
}

export interface ProcessedAsset {
  artistId: string;
  status: 'ready';
  palette: string[];
  orbGlowColor: string | null;
  backgroundRemoval: string;
  original: { format: string; width: number; height: number };
  variants: Array<{ variant: AssetVariant; width: number; height: number; bytes: number; url: string }>;
}

export interface AssetPipelineOptions {
  store: ArtistAssetStore;
  remover: BackgroundRemover;
  minSidePx: number;
  maxConcurrent: number;
  /** Drops station snapshots everywhere (seed 10.7). */
  invalidateStations(): Promise<void>;
  now?: () => number;
}

/** Where a variant is served. */
export const variantUrl = (artistId: string, variant: string): string => `/api/artists/${encodeURIComponent(artistId)}/image/${encodeURIComponent(variant)}`;

/**
 * Seed 000 step 10 for one upload: validate (10.1), remove the background (10.2, pluggable), resize to
 * the four resolutions with Lanczos and palette-quantised PNG (10.3), extract the palette and the orb
 * glow colour (10.4), store and update the artist (10.6), invalidate the station caches (10.7).
 * At most `maxConcurrent` run at once in this process; more are refused (503, retry).
 */
export class AssetPipeline {
  private inFlight = 0;

  constructor(private readonly options: AssetPipelineOptions) {}

  /** `signal` (a job's): aborted, the run stops at its next step with the abort's reason and stores nothing. */
  async process(artistId: string, image: Buffer, signal?: AbortSignal): Promise<ProcessedAsset> {
    if (this.inFlight >= this.options.maxConcurrent) throw new UploadsBusyError(this.options.maxConcurrent);
    this.inFlight++;
    try {
      return await this.run(artistId, image, signal);
    } finally {
      this.inFlight--;
    }
  }

  private async run(artistId: string, image: Buffer, signal?: AbortSignal): Promise<ProcessedAsset> {
    const { store, remover } = this.options;
    signal?.throwIfAborted();
    if (!(await store.artistExists(artistId))) throw new UnknownArtistError(artistId);
    const meta = await sharp(image)
      .metadata()
      .catch(() => null);
    if (!meta?.width || !meta.height) throw new InvalidImageError('is not an image this server can read; upload a JPEG, PNG or TIFF');
    const problem = uploadProblem(meta.format, meta.width, meta.height, this.options.minSidePx);
    if (problem) throw new InvalidImageError(problem);
    const cutout = await sharp(await remover.remove(image))
      .rotate()
      .ensureAlpha()
      .png()
      .toBuffer();
    // The resizes are the long step (seconds on a busy machine): a shutdown does not wait for them.
    signal?.throwIfAborted();
    const variants = await Promise.all(ASSET_RESOLUTIONS.map((r) => resized(cutout, r.name, r.size)));
    signal?.throwIfAborted();
    const { data, info } = await sharp(cutout).resize(64, 64, { fit: 'inside' }).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const palette = extractPalette(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), info.channels === 4 ? 4 : 3, 5);
    const orbGlowColor = palette[0] ? complementary(palette[0]) : null;
    const urls = { heroImage: variantUrl(artistId, '@2x'), deepEtchedImage: variantUrl(artistId, '@3x'), thumbnail: variantUrl(artistId, 'thumbnail') };
    await store.save(
      { artistId, palette, orbGlowColor, originalWidth: meta.width, originalHeight: meta.height, backgroundRemoval: remover.name, urls },
      variants,
      new Date((this.options.now ?? Date.now)()),
    );
    await this.options.invalidateStations();
    return {
      artistId,
      status: 'ready',
      palette,
      orbGlowColor,
      backgroundRemoval: remover.name,
      original: { format: meta.format!, width: meta.width, height: meta.height },
      variants: variants.map((v) => ({
        variant: v.variant as AssetVariant,
        width: v.width,
        height: v.height,
        bytes: v.bytes.byteLength,
        url: variantUrl(artistId, v.variant),
      })),
    };
  }
}

/** Seed 10.3: longest side `size` (aspect kept, never enlarged), Lanczos, PNG quantised at quality 90 (the seed's 85–95). */
async function resized(cutout: Buffer, variant: string, size: number): Promise<StoredVariant> {
  const { data, info } = await sharp(cutout)
    .resize(size, size, { fit: 'inside', kernel: 'lanczos3', withoutEnlargement: true })
    .png({ palette: true, quality: 90, effort: 7 })
    .toBuffer({ resolveWithObject: true });
  return { variant, contentType: 'image/png', width: info.width, height: info.height, bytes: data };
}
