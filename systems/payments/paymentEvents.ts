/**
 * What the payment provider's webhook carries (Stripe's event envelope, trimmed to what we record): an
 * event id that is unique per event and repeated on every redelivery, a type, when it was created, and
 * the object. Two types are recorded: `purchase.completed` (money a listener spent) and `payout.paid` (money
 * paid out to an account, e.g. an artist's or an event host's: money earned, seed 003); every other type is
 * acknowledged and left alone, as providers expect a 2xx for events a receiver does not handle. Pure.
 */
import { z } from 'zod';
import { idSchema, uuidSchema } from '../passport/payloads.js';

/** The event type that becomes revenue (money spent). */
export const PURCHASE_COMPLETED = 'purchase.completed';
/** The event type that becomes money earned. */
export const PAYOUT_PAID = 'payout.paid';

/** A provider event id: `evt_…`-like, what the unique key is on. */
const providerId = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits and _ . : - only');

/** The completed purchase: who paid, how much (integer minor units and an ISO 4217 code), and what it is attributed to. */
export const purchaseObjectSchema = z.object({
  userId: uuidSchema,
  amountCents: z.number().int().min(1).max(1e12),
  currency: z.string().regex(/^[A-Za-z]{3}$/, 'must be a 3-letter ISO 4217 code like "usd"'),
  artistId: idSchema().optional(),
  eventId: idSchema().optional(),
  productId: idSchema().optional(),
  campaignId: idSchema().optional(),
  reason: z.string().max(64).optional(),
  paymentIntentId: providerId.optional(),
});

/** A payout: who was paid, how much, and what it was earned by. */
export const payoutObjectSchema = z.object({
  userId: uuidSchema,
  amountCents: z.number().int().min(1).max(1e12),
  currency: z.string().regex(/^[A-Za-z]{3}$/, 'must be a 3-letter ISO 4217 code like "usd"'),
  artistId: idSchema().optional(),
  eventId: idSchema().optional(),
  payoutId: providerId.optional(),
});

/** Any event the provider sends; `data.object` is read per type. */
export const webhookEventSchema = z.object({
  id: providerId,
  type: z.string().min(1).max(100),
  /** Unix seconds the provider created the event (defaults to when it arrived). */
  created: z.number().int().min(0).max(1e11).optional(),
  data: z.object({ object: z.record(z.string(), z.unknown()) }),
});

export type WebhookEvent = z.infer<typeof webhookEventSchema>;
export type PurchaseObject = z.infer<typeof purchaseObjectSchema>;
export type PayoutObject = z.infer<typeof payoutObjectSchema>;

/**
 * The passport payload of a verified purchase: the fields the revenue counting rules read
 * (amountCents, currency, artistId, eventId), marked `verified` with the provider's event id.
 */
export function purchasePayload(event: WebhookEvent, purchase: PurchaseObject) {
  return {
    amountCents: purchase.amountCents,
    currency: purchase.currency.toLowerCase(),
    ...(purchase.artistId ? { artistId: purchase.artistId } : {}),
    ...(purchase.eventId ? { eventId: purchase.eventId } : {}),
    ...(purchase.productId ? { productId: purchase.productId } : {}),
    ...(purchase.campaignId ? { campaignId: purchase.campaignId } : {}),
    ...(purchase.reason ? { reason: purchase.reason } : {}),
    verified: true as const,
    paymentEventId: event.id,
    ...(purchase.paymentIntentId ? { paymentIntentId: purchase.paymentIntentId } : {}),
  };
}

/** The passport payload of a verified payout (`treasury.money_earned`): what the earned counting rules read. */
export function payoutPayload(event: WebhookEvent, payout: PayoutObject) {
  return {
    amountCents: payout.amountCents,
    currency: payout.currency.toLowerCase(),
    ...(payout.artistId ? { artistId: payout.artistId } : {}),
    ...(payout.eventId ? { eventId: payout.eventId } : {}),
    verified: true as const,
    paymentEventId: event.id,
    ...(payout.payoutId ? { payoutId: payout.payoutId } : {}),
  };
}
