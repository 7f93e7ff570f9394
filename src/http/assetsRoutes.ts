import { z } from 'zod';
import type { AssetPipeline } from '../../features/assets/processArtistImage.js';
import type { ArtistAssetStore } from '../../persistence/assets/ArtistAssetStore.js';
import { ACCEPTED_CONTENT_TYPES, ASSET_RESOLUTIONS } from '../../systems/assets/artistAssets.js';
import { hasAdminBearer } from '../../features/auth/adminToken.js';
import type { AdminGate } from './authGates.js';
import { found, NotFoundError, ValidationError } from './errors.js';
import { reply, routeOf } from './route.js';

const VARIANTS: ReadonlySet<string> = new Set(ASSET_RESOLUTIONS.map((r) => r.name));

/** Runs the upload as a recorded job (`artist_assets` rows in job_logs, visible in /ops). */
export type RecordRun = <T>(name: string, work: () => Promise<{ value: T; rows: number; details?: Record<string, unknown> }>) => Promise<T>;

const variantUrl = z.object({ variant: z.string(), url: z.string() });

/** `POST /api/admin/artists/{id}/image` 201: the stored variants, palette and glow colour. */
export const processedAssetSchema = z
  .object({
    artistId: z.string(),
    status: z.enum(['ready', 'pending_review']),
    reviewId: z.string().nullable(),
    reviewReason: z.string().nullable(),
    palette: z.array(z.string()),
    orbGlowColor: z.string().nullable(),
    backgroundRemoval: z.string(),
    confidence: z.number().nullable(),
    rimLight: z.boolean(),
    original: z.object({ format: z.string(), width: z.number().int(), height: z.number().int() }),
    variants: z.array(variantUrl.extend({ width: z.number().int(), height: z.number().int(), bytes: z.number().int() })),
  })
  .meta({ title: 'ProcessedArtistImage' });

export const artistAssetsSchema = z
  .object({
    artistId: z.string(),
    status: z.string(),
    palette: z.array(z.string()),
    orbGlowColor: z.string().nullable(),
    processedAt: z.string(),
    variants: z.array(variantUrl),
  })
  .meta({ title: 'ArtistAssets' });

interface AssetRouteDeps {
  pipeline: AssetPipeline;
  store: ArtistAssetStore;
  admin: AdminGate;
  record: RecordRun;
  /** The upload's bound (ASSET_MAX_UPLOAD_BYTES), for the admin token only. */
  maxUploadBytes: number;
  adminToken: string | undefined;
}
const route = routeOf<AssetRouteDeps>('catalog');
const artist = z.object({ id: z.string() });

export const ASSET_ROUTES = [
  route('GET /api/artists/{id}/image/{variant}', {
    operationId: 'artistImage',
    summary: "One size of an artist's uploaded image (the variant names are in GET /api/artists/{id}/assets).",
    auth: 'none',
    params: artist.extend({ variant: z.string() }),
    responses: { 200: { description: 'The image bytes (PNG, palette-quantised).', contentType: 'image/png' } },
    errors: ['NOT_FOUND'],
    headers: { 'cache-control': 'public, max-age=300' },
    // The variant URLs the catalog stores encode the "@" ("/image/%402x"); parameters arrive decoded, so both spellings name the same image.
    handler: async ({ params: { id, variant } }, { store }) => {
      if (!VARIANTS.has(variant)) throw new NotFoundError(`no variant "${variant.slice(0, 20)}"; variants: ${[...VARIANTS].join(', ')}`);
      const stored = found(await store.variant(id, variant), `artist "${id.slice(0, 100)}" has no uploaded image; POST /api/admin/artists/:id/image adds one`);
      return reply(200, new Uint8Array(stored.bytes), { 'content-type': stored.contentType });
    },
  }),
  route('GET /api/artists/{id}/assets', {
    operationId: 'artistAssets',
    summary: "An artist's processed image: palette, glow colour and variant URLs.",
    auth: 'none',
    params: artist,
    responses: { 200: { description: 'The assets, with a URL per variant.', schema: artistAssetsSchema } },
    errors: ['NOT_FOUND'],
    handler: async ({ params: { id } }, { store }) => {
      const asset = found(await store.asset(id), `artist "${id.slice(0, 100)}" has no processed assets`);
      return {
        artistId: id,
        ...asset,
        variants: [...VARIANTS].map((v) => ({ variant: v, url: `/api/artists/${encodeURIComponent(id)}/image/${encodeURIComponent(v)}` })),
      };
    },
  }),
  route('POST /api/admin/artists/{id}/image', {
    operationId: 'uploadArtistImage',
    summary: 'Upload an artist image (raw bytes, up to ASSET_MAX_UPLOAD_BYTES); answers once the variants, palette and glow colour are stored.',
    auth: 'admin',
    params: artist,
    query: z.object({ notify: z.uuid().optional().describe('A user told in their inbox when the upload is held for review, approved or rejected.') }),
    bodyTypes: ACCEPTED_CONTENT_TYPES,
    bodyLimit: ({ maxUploadBytes, adminToken }) => ({
      maxBytes: maxUploadBytes,
      setting: 'ASSET_MAX_UPLOAD_BYTES',
      advice: 'upload a smaller image',
      authorized: (request) => adminToken !== undefined && hasAdminBearer(request, adminToken),
    }),
    responses: {
      201: { description: 'Live: the stored variants, palette and glow colour.', schema: processedAssetSchema },
      202: {
        description: 'Waiting in the /ops review queue (the model was unsure): nothing is served until an operator approves it.',
        schema: processedAssetSchema,
      },
    },
    errors: ['IMAGE_TOO_LARGE', 'PROCESSING_FAILED', 'BACKPRESSURE', 'NOT_FOUND'],
    handler: async ({ params: { id }, query: { notify }, body: bytes }, { pipeline, record }) => {
      if (bytes.byteLength === 0)
        throw new ValidationError('send the image as the request body', [
          { field: '(body)', message: `is empty; send the image bytes with Content-Type ${ACCEPTED_CONTENT_TYPES.join(', ')}` },
        ]);
      const result = await record('artist_assets', async () => {
        const value = await pipeline.process(id, Buffer.from(bytes), undefined, { notify });
        const { artistId, status, reviewReason, confidence, palette, original } = value;
        return { value, rows: value.variants.length, details: { artistId, status, reviewReason, confidence, palette, original } };
      });
      return reply(result.status === 'ready' ? 201 : 202, result);
    },
  }),
];
