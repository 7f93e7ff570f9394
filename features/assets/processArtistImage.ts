import sharp from 'sharp';
import type { ArtistAssetStore, AssetRecord, StoredVariant } from '../../persistence/assets/ArtistAssetStore.js';
import type { AssetReviewStore } from '../../persistence/assets/AssetReviewStore.js';
import type { WebhookEvent } from '../../persistence/assets/AssetWebhookStore.js';
import { ASSET_RESOLUTIONS, complementary, extractPalette, uploadProblem, type AssetVariant } from '../../systems/assets/artistAssets.js';
import { ASSETS_READY_EVENT, assetsReadyBody } from '../../systems/assets/assetWebhook.js';
import { isDarkScene } from '../../systems/assets/cutout.js';
import { AppError } from '../../systems/errors.js';
import { round } from '../../systems/numbers.js';
import { assetReviewNotice, type Notice } from '../../systems/notifications/index.js';
import { cutOut, type Cutout } from './cutout.js';
import type { Segmenter } from './Segmenter.js';

/** What `artist_assets.background_removal` records when the model cut the subject out. */
export const MODEL_REMOVAL = 'selfie_segmentation';

export class InvalidImageError extends AppError<'VALIDATION_FAILED'> {
  constructor(problem: string) {
    super('VALIDATION_FAILED', `the uploaded image ${problem}`, [{ field: '(body)', message: problem }]);
  }
}

export class UploadsBusyError extends AppError<'BACKPRESSURE'> {
  constructor(limit: number) {
    super('BACKPRESSURE', `${limit} image uploads are being processed already (ASSET_MAX_CONCURRENT); retry after the Retry-After delay`, undefined, 5);
  }
}

export interface WebhookSigning {
  /** Signs and queues `artist_assets_ready` for delivery; null: no webhook configured. */
  enabled: boolean;
  /** Wakes the sender after a commit. */
  kick(): void;
}

export interface AssetPipelineOptions {
  store: ArtistAssetStore;
  reviews: AssetReviewStore;
  /** The segmentation model; null: background removal is off (ASSET_BACKGROUND_REMOVAL=none). */
  segmenter: Segmenter | null;
  review: { mode: 'low_confidence' | 'always' | 'never'; minConfidence: number };
  webhook: WebhookSigning;
  minSidePx: number;
  maxInputPixels: number;
  maxConcurrent: number;
  /** Drops station snapshots everywhere. */
  invalidateStations(): Promise<void>;
  /** Operators read a held upload in /ops's log tail as well as its review queue. */
  log: { warn(obj: object, msg: string): void };
  /** Tells the uploader the upload named (never throws). */
  inform(userId: string, artistId: string, notice: Notice): Promise<void>;
}

/** Per run: the generated posters are not photographs of a person, so they skip the model and the review. */
export interface ProcessOptions {
  removeBackground?: boolean;
  review?: boolean;
  /** The user told when the upload is held, and again at the operator's decision. */
  notify?: string;
}

export const variantUrl = (artistId: string, variant: string): string => `/api/artists/${encodeURIComponent(artistId)}/image/${encodeURIComponent(variant)}`;

/** The completion event of assets that go live. */
export function readyEvent(record: AssetRecord, artistName: string, processingSeconds: number): WebhookEvent {
  const urls = Object.fromEntries(ASSET_RESOLUTIONS.map((r) => [r.name, variantUrl(record.artistId, r.name)]));
  return { event: ASSETS_READY_EVENT, artistId: record.artistId, body: assetsReadyBody({ artistId: record.artistId, artistName, urls, processingSeconds }) };
}

/**
 * One upload: validate (bounding declared pixels before decoding), remove the background, refine, resize, extract
 * the palette, then store and go live, or queue the cut-out for an operator when the model is unsure. At most
 * `maxConcurrent` per process; more are refused (503, retry).
 */
export class AssetPipeline {
  private inFlight = 0;

  constructor(private readonly options: AssetPipelineOptions) {}

  /** `signal` (a job's): aborted, the run stops at its next step with the abort's reason and stores nothing. */
  async process(artistId: string, image: Buffer, signal?: AbortSignal, run: ProcessOptions = {}) {
    if (this.inFlight >= this.options.maxConcurrent) throw new UploadsBusyError(this.options.maxConcurrent);
    this.inFlight++;
    try {
      return await this.run(artistId, image, signal, run);
    } finally {
      this.inFlight--;
    }
  }

  private async run(artistId: string, image: Buffer, signal: AbortSignal | undefined, run: ProcessOptions) {
    const { store, segmenter, maxInputPixels } = this.options;
    const started = Date.now();
    signal?.throwIfAborted();
    const artist = await store.artist(artistId);
    if (!artist) throw new AppError('NOT_FOUND', `no artist "${artistId.slice(0, 100)}"; GET /api/stations lists artists on the dial`);
    // The header only: a small file may declare dimensions that would take gigabytes to decode.
    const meta = await sharp(image, { limitInputPixels: false })
      .metadata()
      .catch(() => null);
    if (!meta?.width || !meta.height) throw new InvalidImageError('is not an image this server can read; upload a JPEG, PNG or TIFF');
    const { width: w, height: h } = meta;
    if (w * h > maxInputPixels)
      throw new AppError(
        'IMAGE_TOO_LARGE',
        `the uploaded image declares ${w}×${h} px, more than ASSET_MAX_INPUT_PIXELS (${maxInputPixels}); nothing was decoded or stored`,
        [{ field: '(body)', message: `${w}×${h} px is over ${maxInputPixels} pixels` }],
      );
    const problem = uploadProblem(meta.format, meta.width, meta.height, this.options.minSidePx);
    if (problem) throw new InvalidImageError(problem);
    const useModel = segmenter !== null && run.removeBackground !== false;
    const rimLight = useModel && isDarkScene(artist.lighting);
    const decoded = await decodeCheck(image, maxInputPixels);
    const cut = useModel ? await cutOut(decoded, segmenter, { limitInputPixels: maxInputPixels, rimLight }) : null;
    const cutout = cut?.png ?? (await sharp(decoded).png().toBuffer());
    // The resizes are the long step (seconds on a busy machine): a shutdown does not wait for them.
    signal?.throwIfAborted();
    const variants = await Promise.all(ASSET_RESOLUTIONS.map((r) => resized(cutout, r.name, r.size)));
    signal?.throwIfAborted();
    const { data, info } = await sharp(cutout).resize(64, 64, { fit: 'inside' }).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const palette = extractPalette(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), info.channels === 4 ? 4 : 3, 5);
    const orbGlowColor = palette[0] ? complementary(palette[0]) : null;
    const urls = { heroImage: variantUrl(artistId, '@2x'), deepEtchedImage: variantUrl(artistId, '@3x'), thumbnail: variantUrl(artistId, 'thumbnail') };
    const record: AssetRecord = {
      artistId,
      palette,
      orbGlowColor,
      originalWidth: meta.width,
      originalHeight: meta.height,
      backgroundRemoval: useModel ? MODEL_REMOVAL : 'none',
      confidence: cut ? round(cut.confidence, 3) : null,
      rimLight,
      urls,
    };
    const processingSeconds = (Date.now() - started) / 1000;
    const reason = run.review === false || !cut ? null : this.reviewReason(cut);
    let reviewId: string | null = null;
    if (reason) {
      const [before, after] = await Promise.all([preview(decoded), preview(cutout)]);
      reviewId = await this.options.reviews.queue(
        { record, variants, confidence: record.confidence ?? 0, reason, before, after, processingSeconds, artistName: artist.name, notify: run.notify ?? null },
        new Date(Date.now()),
      );
      this.options.log.warn({ artistId, reviewId, reason }, 'artist image held for review: nothing is served until an operator approves it in /ops');
      if (run.notify) await this.options.inform(run.notify, artistId, assetReviewNotice(artist.name, artistId, 'held', reason));
    } else {
      const webhook = this.options.webhook.enabled ? readyEvent(record, artist.name, processingSeconds) : undefined;
      await store.save(record, variants, new Date(Date.now()), webhook);
      await this.options.invalidateStations();
      if (webhook) this.options.webhook.kick();
    }
    const { urls: _urls, originalWidth: width, originalHeight: height, ...figures } = record;
    return {
      ...figures,
      status: reviewId ? ('pending_review' as const) : ('ready' as const),
      reviewId,
      reviewReason: reason,
      original: { format: meta.format!, width, height },
      variants: variants.map((v) => ({
        variant: v.variant as AssetVariant,
        width: v.width,
        height: v.height,
        bytes: v.bytes.byteLength,
        url: variantUrl(artistId, v.variant),
      })),
    };
  }

  /** Why an operator must see this cut-out first (confidence under 0.85, no person's shape), or null. */
  private reviewReason({ confidence, foreground, grounded }: Cutout): string | null {
    const { mode, minConfidence } = this.options.review;
    if (mode === 'never') return null;
    if (mode === 'always') return 'every upload is reviewed (ASSET_REVIEW=always)';
    if (confidence < minConfidence) return `model confidence ${confidence.toFixed(2)} is below ${minConfidence} (ASSET_REVIEW_CONFIDENCE)`;
    if (foreground < 0.02) return 'the model found almost no person in the picture';
    if (grounded < 0.8)
      return `the subject floats in the frame (${Math.round(grounded * 100)} % of it reaches the bottom edge, as a person's body does): check it is a person`;
    return null;
  }
}

/**
 * The upload decoded once (streamed), oriented, no larger than the largest variant, as RGBA PNG: every later step
 * works on that, so a 40 MP upload costs one decode, not one per step. A file whose header passed but whose data is
 * broken fails here with a 400.
 */
async function decodeCheck(image: Buffer, maxInputPixels: number): Promise<Buffer> {
  const side = ASSET_RESOLUTIONS[0].size;
  return sharp(image, { limitInputPixels: maxInputPixels, sequentialRead: true })
    .rotate()
    .resize(side, side, { fit: 'inside', withoutEnlargement: true })
    .ensureAlpha()
    .png({ compressionLevel: 1 })
    .toBuffer()
    .catch(() => {
      throw new InvalidImageError('could not be decoded (a truncated or corrupt file); upload a JPEG, PNG or TIFF');
    });
}

/** A 512 px PNG for the review page. */
const preview = (image: Buffer): Promise<Buffer> => sharp(image).resize(512, 512, { fit: 'inside', withoutEnlargement: true }).png().toBuffer();

/** Longest side `size` (aspect kept, never enlarged), Lanczos, PNG quantised at quality 90. */
async function resized(cutout: Buffer, variant: string, size: number): Promise<StoredVariant> {
  const { data, info } = await sharp(cutout)
    .resize(size, size, { fit: 'inside', kernel: 'lanczos3', withoutEnlargement: true })
    .png({ palette: true, quality: 90, effort: 7 })
    .toBuffer({ resolveWithObject: true });
  return { variant, contentType: 'image/png', width: info.width, height: info.height, bytes: data };
}
