import { webhookReceiptSchema, type PaymentWebhook } from '../../features/payments/PaymentWebhook.js';
import { AppError } from '../../systems/errors.js';
import { SIGNATURE_HEADER } from '../../systems/payments/webhookSignature.js';
import { routeOf } from './route.js';

/** `webhook`: absent without PAYMENT_WEBHOOK_SECRET; `maxBodyBytes`: PAYMENT_WEBHOOK_MAX_BODY_BYTES. */
const route = routeOf<{ webhook?: PaymentWebhook; maxBodyBytes: number }>('payments');

/** The payment provider's signed webhook (money is recorded when the provider confirms it, never on the client's word). */
export const PAYMENT_ROUTES = [
  route('POST /api/payments/webhook', {
    operationId: 'paymentWebhook',
    summary: 'A payment provider event, signed like Stripe’s: `purchase.completed` is recorded once per event id as verified revenue.',
    description:
      'Header `Payment-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` under PAYMENT_WEBHOOK_SECRET, dated within PAYMENT_WEBHOOK_TOLERANCE_SEC. Body `{ id, type, created?, data: { object } }`; for `purchase.completed` the object is `{ userId, amountCents, currency, artistId?, eventId?, productId?, campaignId?, reason?, paymentIntentId? }`. A redelivery of an event id answers 200 with `duplicate: true` and records nothing new; other types answer 200 with `ignored: true`.',
    auth: 'none',
    // The bytes the provider signed, bounded, from anyone: the signature says who sent it.
    bodyTypes: ['application/json'],
    bodyLimit: ({ maxBodyBytes }) => ({ maxBytes: maxBodyBytes, setting: 'PAYMENT_WEBHOOK_MAX_BODY_BYTES', advice: 'a payment event is a few kilobytes' }),
    responses: { 200: { description: 'Received (recorded, a duplicate, or ignored).', schema: webhookReceiptSchema } },
    errors: ['SIGNATURE_MALFORMED', 'SIGNATURE_INVALID', 'SIGNATURE_EXPIRED', 'PAYMENTS_DISABLED', 'BACKPRESSURE', 'NOT_PERSISTED'],
    handler: async ({ request, body }, { webhook }) => {
      if (!webhook)
        throw new AppError('PAYMENTS_DISABLED', 'the payment webhook is off: start the server with PAYMENT_WEBHOOK_SECRET (at least 16 characters)');
      return webhook.receive(request.headers.get(SIGNATURE_HEADER), body);
    },
  }),
];
