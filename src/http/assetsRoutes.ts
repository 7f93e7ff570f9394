import type { AssetPipeline } from '../../features/assets/processArtistImage.js';
import type { ArtistAssetStore } from '../../persistence/assets/ArtistAssetStore.js';
import { ACCEPTED_CONTENT_TYPES, ASSET_RESOLUTIONS } from '../../systems/assets/artistAssets.js';
import { AppError } from '../../systems/errors.js';
import { hasAdminBearer } from '../ops/opsAuth.js';
import type { RawBodyRoute } from './edge.js';
import { json, NotFoundError, ValidationError, type Route } from './router.js';

/** `POST /api/admin/artists/:id/image` (ids are `artist_<slug>`). */
export const IMAGE_UPLOAD_PATH = /^\/api\/admin\/artists\/[^/]{1,200}\/image$/;

/** The HTTP edge's exception for the upload: image bodies up to ASSET_MAX_UPLOAD_BYTES, with the admin token only. */
export function imageUploadBodyRule(maxBytes: number, adminToken: string | undefined): RawBodyRoute {
  return {
    method: 'POST',
    path: IMAGE_UPLOAD_PATH,
    contentTypes: ACCEPTED_CONTENT_TYPES,
    maxBytes,
    setting: 'ASSET_MAX_UPLOAD_BYTES',
    authorized: (headers) => adminToken !== undefined && hasAdminBearer(new Request('http://edge/', { headers }), adminToken),
  };
}

/** Runs the upload as a recorded job (`artist_assets` rows in job_logs, visible in /ops). */
export type RecordRun = <T>(name: string, work: () => Promise<{ value: T; rows: number; details?: Record<string, unknown> }>) => Promise<T>;

/**
 * Seed 000 step 10 over HTTP: the admin uploads an artist image (raw bytes, `Content-Type: image/jpeg`,
 * `image/png` or `image/tiff`) and gets the variants, palette and glow colour once they are stored;
 * the variants are served publicly.
 */
export function assetsRoutes(pipeline: AssetPipeline, store: ArtistAssetStore, adminToken: string | undefined, record: RecordRun): Route[] {
  const variants = new Set<string>(ASSET_RESOLUTIONS.map((r) => r.name));
  return [
    {
      method: 'POST',
      path: '/api/admin/artists/:id/image',
      handler: async ({ request, params, body }) => {
        if (!adminToken || !hasAdminBearer(request, adminToken)) throw new AppError('UNAUTHORIZED', 'send Authorization: Bearer <ADMIN_TOKEN> (admin surfaces are off without ADMIN_TOKEN)');
        const bytes = body instanceof Blob ? Buffer.from(await body.arrayBuffer()) : null;
        if (!bytes || bytes.byteLength === 0) throw new ValidationError('send the image as the request body', [{ field: '(body)', message: `is empty; send the image bytes with Content-Type ${ACCEPTED_CONTENT_TYPES.join(', ')}` }]);
        const result = await record('artist_assets', async () => {
          const value = await pipeline.process(params.id, bytes);
          return { value, rows: value.variants.length, details: { artistId: value.artistId, palette: value.palette, original: value.original } };
        });
        return json(result, 201);
      },
    },
    {
      method: 'GET',
      path: '/api/artists/:id/image/:variant',
      handler: async ({ params: raw }) => {
        // The router hands path segments over still percent-encoded, and the variant URLs the catalog
        // stores encode the "@" ("/image/%402x"): both spellings name the same image.
        const params = { id: decodeSegment(raw.id), variant: decodeSegment(raw.variant) };
        if (!variants.has(params.variant)) throw new NotFoundError(`no variant "${params.variant.slice(0, 20)}"; variants: ${[...variants].join(', ')}`);
        const stored = await store.variant(params.id, params.variant);
        if (!stored) throw new NotFoundError(`artist "${params.id.slice(0, 100)}" has no uploaded image; POST /api/admin/artists/:id/image adds one`);
        return new Response(new Uint8Array(stored.bytes), { status: 200, headers: { 'content-type': stored.contentType, 'cache-control': 'public, max-age=300' } });
      },
    },
    {
      method: 'GET',
      path: '/api/artists/:id/assets',
      handler: async ({ params }) => {
        const asset = await store.asset(params.id);
        if (!asset) throw new NotFoundError(`artist "${params.id.slice(0, 100)}" has no processed assets`);
        return json({ artistId: params.id, ...asset, variants: [...variants].map((v) => ({ variant: v, url: `/api/artists/${encodeURIComponent(params.id)}/image/${encodeURIComponent(v)}` })) });
      },
    },
  ];
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
