/**
 * Delivers the completion webhook from its outbox every `pollMs` (and on `kick()`), signed `Asset-Signature: t=…,v1=…`
 * (HMAC-SHA256 of "<t>.<raw body>"). 2xx marks a row delivered; anything else retries with backoff until it fails for good.
 */
import { createHmac } from 'node:crypto';
import type { AssetWebhookStore, ClaimedWebhook } from '../../persistence/assets/AssetWebhookStore.js';
import { PollLoop } from '../jobs/pollLoop.js';
import { ASSET_SIGNATURE_HEADER, retryDelayMs, signWebhook } from '../../systems/assets/assetWebhook.js';

export interface WebhookSenderOptions {
  store: AssetWebhookStore;
  url: string;
  secret: string;
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  timeoutMs: number;
  queueMax: number;
  pollMs: number;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
  now?: () => number;
}

/** Rows claimed per pass: a pass delivers them one after another. */
const BATCH = 20;

export class AssetWebhookSender extends PollLoop {
  constructor(private readonly options: WebhookSenderOptions) {
    super(options.pollMs, (err) => options.log.warn({ err: err.message }, 'asset webhook pass failed'));
  }

  /** Delivers what is due; resolves when done (tests wait on it). */
  async pass(): Promise<void> {
    const { store, queueMax, timeoutMs } = this.options;
    const dropped = await store.trim(queueMax);
    if (dropped) this.options.log.warn({ dropped, queueMax }, 'asset webhook queue over its bound: oldest waiting deliveries dropped');
    const now = this.now();
    // The lease covers a whole batch delivered one by one, each within its time limit.
    const due = await store.claimDue(new Date(now), BATCH, timeoutMs * (BATCH + 1));
    for (const row of due) {
      if (this.stopped) return;
      await this.deliver(row);
    }
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private async deliver(row: ClaimedWebhook): Promise<void> {
    const { url, secret, store, maxAttempts, baseDelayMs, maxDelayMs, timeoutMs, log } = this.options;
    const attempts = row.attempts + 1;
    const signature = signWebhook(row.body, Math.floor(this.now() / 1000), (payload) => createHmac('sha256', secret).update(payload).digest('hex'));
    let error: string;
    try {
      const res = await fetch(url, {
        method: 'POST',
        body: row.body,
        headers: { 'content-type': 'application/json', [ASSET_SIGNATURE_HEADER]: signature, 'user-agent': 'deepstream-assets-webhook' },
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'manual',
      });
      await res.body?.cancel();
      if (res.status >= 200 && res.status < 300) {
        await store.delivered(row.id, attempts, new Date(this.now()));
        log.info({ webhookId: row.id, artistId: row.artistId, attempts }, 'asset webhook delivered');
        return;
      }
      error = `answered ${res.status}`;
    } catch (err) {
      error = (err as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : `not delivered: ${(err as Error).message}`;
    }
    const retryAt = attempts < maxAttempts ? new Date(this.now() + retryDelayMs(attempts, baseDelayMs, maxDelayMs)) : null;
    await store.failed(row.id, attempts, error.slice(0, 300), retryAt);
    log.warn(
      { webhookId: row.id, artistId: row.artistId, attempts, error, retryAt: retryAt?.toISOString() ?? null },
      retryAt ? 'asset webhook failed; will retry' : 'asset webhook failed for good',
    );
  }
}
