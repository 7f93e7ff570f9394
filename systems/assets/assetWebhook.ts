/**
 * Seed 000 step 10.8's completion webhook, pure: the body (the seed's `artist_name`, `status` and
 * `preview_url`, with the artist id, every variant URL and the processing time), the bytes signed and
 * the signature header (the scheme our payment webhook checks: `t=<unix s>,v1=<hex HMAC-SHA256 of
 * "<t>.<raw body>">`), and the retry delay.
 */
import { signatureHeaderValue, signedPayload } from '../payments/webhookSignature.js';

export const ASSETS_READY_EVENT = 'artist_assets_ready';
/** The request header carrying the signature (lower-case, as Web Headers read it). */
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

/** The header value for `body` signed at `nowSec` with `hmacHex` (node:crypto's, handed in). */
export function signWebhook(body: string, nowSec: number, hmacHex: (payload: Uint8Array) => string): string {
  return signatureHeaderValue(nowSec, hmacHex(signedPayload(nowSec, new TextEncoder().encode(body))));
}

/** Delay before try `attempt + 1` after `attempt` failures: base × 2^(attempt − 1), at most `maxMs`. */
export function retryDelayMs(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
}
