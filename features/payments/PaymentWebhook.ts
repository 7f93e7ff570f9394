/**
 * The payment webhook, the one trusted source of money: believed only when its signature matches the raw body within the
 * tolerance window. A purchase becomes `treasury.purchase_completed`, a payout `treasury.money_earned`, both `verified`;
 * with the webhook configured, clients cannot claim either over ingest. The payment row is written first, then the
 * event (id derived from the provider's), so a redelivery heals a crash between them and nothing counts twice.
 */
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { PaymentStore } from '../../persistence/payments/PaymentStore.js';
import { AppError } from '../../systems/errors.js';
import { makeEvent, nameUuid } from '../../systems/passport/build.js';
import { issuesOf } from '../../systems/passport/index.js';
import {
  PAYOUT_PAID,
  payoutObjectSchema,
  payoutPayload,
  PURCHASE_COMPLETED,
  purchaseObjectSchema,
  purchasePayload,
  webhookEventSchema,
  type WebhookEvent,
} from '../../systems/payments/paymentEvents.js';
import type { PassportIngest } from '../passport/durableIngest.js';
import { verifySignature } from '../../systems/payments/webhookSignature.js';
import { findJsonProblem, jsonDepthExceeds } from '../../systems/text.js';

/** The answer to the provider: `duplicate` for an event id seen before; `ignored` for a type we do not record. */
export const webhookReceiptSchema = z
  .object({ received: z.literal(true), eventId: z.string(), duplicate: z.boolean(), ignored: z.literal(true).optional() })
  .meta({ title: 'PaymentWebhookReceipt' });
export type WebhookReceipt = z.infer<typeof webhookReceiptSchema>;

const MAX_DEPTH = 16;
const utf8 = new TextDecoder('utf-8', { fatal: true });

const invalid = (message: string, field = '(body)') => new AppError('VALIDATION_FAILED', message, [{ field, message }]);

/** A UUID (version 5 layout) derived from the provider's event id: the same delivery always names the same passport event. */
export function passportEventIdOf(providerEventId: string): string {
  return nameUuid(createHash('sha256').update(`payment:${providerEventId}`).digest());
}

export class PaymentWebhook {
  private readonly now = Date.now;

  constructor(
    private readonly store: PaymentStore,
    private readonly passport: PassportIngest,
    /** `ackTimeoutMs`: how long a delivery waits for its passport event to commit. */
    private readonly options: { secret: string; toleranceSec: number; ackTimeoutMs: number },
  ) {}

  /** Verifies, parses and records one delivery. @throws AppError with a SIGNATURE_* or VALIDATION_FAILED code; nothing is stored then. */
  async receive(signature: string | null, body: Uint8Array): Promise<WebhookReceipt> {
    const problem = verifySignature({
      header: signature,
      body,
      nowSec: Math.floor(this.now() / 1000),
      toleranceSec: this.options.toleranceSec,
      hmacHex: (payload) => createHmac('sha256', this.options.secret).update(payload).digest('hex'),
    });
    if (problem) throw new AppError(problem.code, problem.message);
    const event = parseEvent(body);
    const recorded = recordedAs(event);
    if (!recorded) return { received: true, eventId: event.id, duplicate: false, ignored: true };
    const createdMs = event.created !== undefined ? event.created * 1000 : this.now();
    const passportEvent = makeEvent(
      recorded.type,
      { eventId: passportEventIdOf(event.id), occurredAt: createdMs, payload: recorded.payload as never },
      { userId: recorded.userId, source: 'http' },
      this.now(),
      randomUUID,
    );
    const stored = await this.store.record({
      eventId: event.id,
      eventType: event.type,
      userId: recorded.userId,
      amountCents: recorded.payload.amountCents,
      currency: recorded.payload.currency,
      passportEventId: passportEvent.eventId,
      payload: event.data.object,
      createdAt: new Date(createdMs),
    });
    await this.passport.enqueueDurable([passportEvent], this.options.ackTimeoutMs);
    return { received: true, eventId: event.id, duplicate: !stored };
  }
}

/** Null for a type we do not record. @throws VALIDATION_FAILED when a recorded type's object is incomplete. */
function recordedAs(
  event: WebhookEvent,
): { type: 'treasury.purchase_completed' | 'treasury.money_earned'; userId: string; payload: { amountCents: number; currency: string } } | null {
  const incomplete = (what: string, error: z.ZodError) =>
    new AppError('VALIDATION_FAILED', `the ${what} is incomplete; see details`, issuesOf(error, 'data.object'));
  if (event.type === PURCHASE_COMPLETED) {
    const parsed = purchaseObjectSchema.safeParse(event.data.object);
    if (!parsed.success) throw incomplete('purchase', parsed.error);
    return { type: 'treasury.purchase_completed', userId: parsed.data.userId, payload: purchasePayload(event, parsed.data) };
  }
  if (event.type === PAYOUT_PAID) {
    const parsed = payoutObjectSchema.safeParse(event.data.object);
    if (!parsed.success) throw incomplete('payout', parsed.error);
    return { type: 'treasury.money_earned', userId: parsed.data.userId, payload: payoutPayload(event, parsed.data) };
  }
  return null;
}

/** The signed body as an event: UTF-8 JSON, bounded nesting, nothing Postgres cannot store, the envelope's shape. */
function parseEvent(body: Uint8Array): WebhookEvent {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw invalid('the body is not valid UTF-8 JSON');
  }
  if (jsonDepthExceeds(text, MAX_DEPTH)) throw invalid(`the body nests deeper than ${MAX_DEPTH} levels`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalid('the body is not valid JSON');
  }
  const problem = findJsonProblem(value);
  if (problem) throw invalid(`invalid ${problem.field}: ${problem.message}`, problem.field);
  const parsed = webhookEventSchema.safeParse(value);
  if (!parsed.success) throw new AppError('VALIDATION_FAILED', 'the body is not a payment event; see details', issuesOf(parsed.error));
  return parsed.data;
}
