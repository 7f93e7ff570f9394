/**
 * Sends the push outbox off every request and tick: claims due rows (leased), sends at most `concurrency` at once;
 * a dead registration is removed, a retryable failure backs off with full jitter (Retry-After as a floor) up to
 * `maxAttempts`. A crash loses nothing committed; a push the provider took before it may arrive twice (same
 * collapse id, so it replaces rather than doubles).
 */
import type { Logger } from 'pino';
import type { ClaimedPush, PushOutbox } from '../../persistence/notifications/PushOutbox.js';
import { PollLoop } from '../jobs/pollLoop.js';
import type { PushDeviceRepository } from '../../persistence/notifications/PushDeviceRepository.js';
import { apnsPayload, backoffMs, webPushPayload, type BackoffSettings, type PushKind, type PushOutcome } from '../../systems/notifications/index.js';

/** The adapters by kind; a kind without one has no credentials on this server. */
export interface PushSenders {
  apns?: { send(push: { deviceToken: string; payload: string; collapseId: string }): Promise<PushOutcome> };
  webpush?: {
    send(push: { subscription: { endpoint: string; keys: { p256dh: string; auth: string } }; payload: string; topic: string }): Promise<PushOutcome>;
  };
}

export interface PushWorkerSettings {
  pollMs: number;
  /** Rows claimed per round. */
  batch: number;
  /** Pushes in flight at once per process. */
  concurrency: number;
  leaseMs: number;
  /** Tries before a push that keeps failing for now is marked failed. */
  maxAttempts: number;
  backoff: BackoffSettings;
  failedRetentionMs: number;
}

/** Failed rows are pruned at most this often. */
const PRUNE_EVERY_MS = 60_000;

export class PushWorker extends PollLoop {
  private lastPrune = 0;
  private readonly counts = { sent: 0, retried: 0, failed: 0, gone: 0 };

  constructor(
    private readonly outbox: Pick<PushOutbox, 'claim' | 'sent' | 'retryLater' | 'failed' | 'prune'>,
    private readonly devices: Pick<PushDeviceRepository, 'removeDead'>,
    private readonly senders: PushSenders,
    private readonly settings: PushWorkerSettings,
    private readonly log: Logger,
    private readonly random: () => number = Math.random,
    private readonly now: () => number = Date.now,
  ) {
    super(settings.pollMs, (err) => log.warn({ err: err.message }, 'push outbox round failed; trying again at the next poll'));
  }

  /** A full batch means more are due: the next round starts at once. */
  async pass(): Promise<boolean> {
    return (await this.runOnce()) === this.settings.batch;
  }

  stats() {
    return { ...this.counts };
  }

  /** One round: claims up to `batch` due rows and handles each; resolves to how many it claimed. */
  async runOnce(): Promise<number> {
    const claimed = await this.outbox.claim(this.settings.batch, this.settings.leaseMs);
    let next = 0;
    const lane = async () => {
      while (next < claimed.length) await this.handle(claimed[next++]!);
    };
    await Promise.all(Array.from({ length: Math.min(this.settings.concurrency, claimed.length) }, lane));
    if (this.now() - this.lastPrune >= PRUNE_EVERY_MS) {
      this.lastPrune = this.now();
      const pruned = await this.outbox.prune(this.settings.failedRetentionMs);
      if (pruned > 0) this.log.info({ pruned }, 'failed pushes past their retention pruned');
    }
    return claimed.length;
  }

  private async handle(push: ClaimedPush): Promise<void> {
    let outcome: PushOutcome;
    try {
      outcome = await this.send(push);
    } catch (err) {
      outcome = { status: 'retry', reason: `adapter: ${(err as Error).message}` };
    }
    try {
      await this.record(push, outcome);
    } catch (err) {
      // The row stays leased; when the lease ends it is claimed and sent again.
      this.log.warn({ err: (err as Error).message, pushId: push.id }, 'push outcome not recorded; the push is tried again after its lease');
    }
  }

  private async record(push: ClaimedPush, outcome: PushOutcome): Promise<void> {
    const fields = { pushId: push.id, deviceId: push.deviceId, kind: push.kind, attempts: push.attempts };
    switch (outcome.status) {
      case 'sent':
        this.counts.sent++;
        return this.outbox.sent(push.id);
      case 'gone':
        this.counts.gone++;
        this.log.info({ ...fields, reason: outcome.reason }, 'push registration is dead; removed');
        return this.devices.removeDead(push.deviceId);
      case 'failed':
        this.counts.failed++;
        this.log.warn({ ...fields, reason: outcome.reason }, 'push refused; marked failed');
        return this.outbox.failed(push.id, outcome.reason);
      case 'retry':
        if (push.attempts >= this.settings.maxAttempts) {
          this.counts.failed++;
          this.log.warn({ ...fields, reason: outcome.reason }, 'push still failing after its last try; marked failed');
          return this.outbox.failed(push.id, `gave up after ${push.attempts} tries: ${outcome.reason}`);
        }
        this.counts.retried++;
        return this.outbox.retryLater(push.id, backoffMs(push.attempts, this.settings.backoff, this.random(), outcome.retryAfterMs), outcome.reason);
    }
  }

  private send(push: ClaimedPush): Promise<PushOutcome> {
    const notice = { title: push.title, body: push.body, deepLink: push.deepLink };
    const extra = { type: push.type, notificationId: push.notificationId };
    // A retry of the same push replaces an undelivered one at the provider instead of doubling it.
    const collapse = push.notificationId ? `n${push.notificationId}` : `p${push.id}`;
    const sender = this.senders[push.kind as PushKind];
    if (!sender) return Promise.resolve({ status: 'failed', reason: `${push.kind} is not configured on this server` });
    if (push.kind === 'apns') return this.senders.apns!.send({ deviceToken: push.address, payload: apnsPayload(notice, extra), collapseId: collapse });
    if (!push.p256dh || !push.auth) return Promise.resolve({ status: 'failed', reason: 'subscription without keys' });
    return this.senders.webpush!.send({
      subscription: { endpoint: push.address, keys: { p256dh: push.p256dh, auth: push.auth } },
      payload: webPushPayload(notice, extra),
      topic: collapse,
    });
  }
}
