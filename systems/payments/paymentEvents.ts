/**
 * The payment provider's webhook (Stripe's envelope, trimmed): an id unique per event and repeated on every
 * redelivery. `purchase.completed` (money spent) and `payout.paid` (money earned) are recorded; any other type is
 * acknowledged and left alone, as providers expect a 2xx for events a receiver does not handle.
 */
import { z } from 'zod';
import { idSchema, uuidSchema } from '../passport/payloads.js';

export const PURCHASE_COMPLETED = 'purchase.completed';
export const PAYOUT_PAID = 'payout.paid';

/** `evt_…`-like: the unique key. */
const providerId = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits and _ . : - only');

/** Integer minor units and an ISO 4217 code. */
const money = {
  userId: uuidSchema,
  amountCents: z.number().int().min(1).max(1e12),
  currency: z.string().regex(/^[A-Za-z]{3}$/, 'must be a 3-letter ISO 4217 code like "usd"'),
  artistId: idSchema().optional(),
  eventId: idSchema().optional(),
};
export const purchaseObjectSchema = z.object({
  ...money,
  productId: idSchema().optional(),
  campaignId: idSchema().optional(),
  reason: z.string().max(64).optional(),
  paymentIntentId: providerId.optional(),
});
export const payoutObjectSchema = z.object({ ...money, payoutId: providerId.optional() });

/** `data.object` is read per type. */
export const webhookEventSchema = z.object({
  id: providerId,
  type: z.string().min(1).max(100),
  /** Unix seconds; default when it arrived. */
  created: z.number().int().min(0).max(1e11).optional(),
  data: z.object({ object: z.record(z.string(), z.unknown()) }),
});

export type WebhookEvent = z.infer<typeof webhookEventSchema>;
export type PurchaseObject = z.infer<typeof purchaseObjectSchema>;
export type PayoutObject = z.infer<typeof payoutObjectSchema>;

/** The object's fields but the user (an empty reason left out), marked `verified` with the provider's event id. */
export function purchasePayload(event: WebhookEvent, { userId: _, reason, ...purchase }: PurchaseObject) {
  return { ...purchase, currency: purchase.currency.toLowerCase(), ...(reason ? { reason } : {}), verified: true as const, paymentEventId: event.id };
}

export function payoutPayload(event: WebhookEvent, { userId: _, ...payout }: PayoutObject) {
  return { ...payout, currency: payout.currency.toLowerCase(), verified: true as const, paymentEventId: event.id };
}
