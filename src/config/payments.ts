/**
 * The payment provider's signed webhook (features/payments): its secret, how far a signature's timestamp
 * may be from our clock, and the largest delivery taken. Each variable has a row in docs/CONFIG.md.
 */
import { int, optionalString, type Env } from './parse.js';

/** @group payments */
export function paymentsConfig(env: Env) {
  return {
    payments: {
      /**
       * the payment provider's webhook signing secret (HMAC-SHA256, at least 16 characters). Set: `POST /api/payments/webhook` records signed purchases (the
       * trusted source of revenue) and clients can no longer claim `treasury.purchase_completed` over ingest. Unset: the webhook answers 503
       * `PAYMENTS_DISABLED`
       */
      webhookSecret: optionalString(env, 'PAYMENT_WEBHOOK_SECRET', 16),
      /**
       * how far a `Payment-Signature` timestamp may be from the server's clock, either way, before the delivery is refused 400 `SIGNATURE_EXPIRED` (a
       * captured delivery cannot be replayed later)
       */
      // Stripe's default tolerance: room for the provider's retries and clock skew, short for a captured delivery.
      toleranceSec: int(env, 'PAYMENT_WEBHOOK_TOLERANCE_SEC', 300, 1, 3600),
      /** largest webhook body; a bigger one is refused 413 `PAYLOAD_TOO_LARGE` before it is read */
      // A provider event is a few KB; 64 KB leaves room and keeps a hostile body from costing anything.
      maxBodyBytes: int(env, 'PAYMENT_WEBHOOK_MAX_BODY_BYTES', 65_536, 1024, 1_048_576),
    },
  };
}
