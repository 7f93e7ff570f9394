/**
 * The asset completion webhook: body, signature (our payment webhook's scheme: `t=<unix s>,v1=<hex HMAC-SHA256
 * of "<t>.<raw body>">`) and retry delay.
 */
import { signatureHeaderValue, signedPayload } from '../payments/webhookSignature.js';

export const ASSETS_READY_EVENT = 'artist_assets_ready';
/** Lower-case, as Web Headers read it. */
export const ASSET_SIGNATURE_HEADER = 'asset-signature';

export interface AssetsReadyInput {
  artistId: string;
  artistName: string;
  urls: Record<string, string>;
  processingSeconds: number;
}

export function assetsReadyBody(input: AssetsReadyInput): string {
  return JSON.stringify({
    event: ASSETS_READY_EVENT,
    artist_id: input.artistId,
    artist_name: input.artistName,
    status: 'ready',
    preview_url: input.urls['@1x'] ?? null,
    urls: input.urls,
    processing_time_seconds: Math.round(input.processingSeconds * 1000) / 1000,
  });
}

export function signWebhook(body: string, nowSec: number, hmacHex: (payload: Uint8Array) => string): string {
  return signatureHeaderValue(nowSec, hmacHex(signedPayload(nowSec, new TextEncoder().encode(body))));
}

/** base × 2^(attempt − 1), at most `maxMs`. */
export function retryDelayMs(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
}
