import { int, optionalString, type Env } from './parse.js';

/** @group payments */
export function paymentsConfig(env: Env) {
  return {
    payments: {
      /**
       * the payment webhook's signing secret (HMAC-SHA256, ≥ 16 characters). Set: signed purchases are the trusted revenue, and clients can no longer
       * claim `treasury.purchase_completed`. Unset: the webhook answers 503 `PAYMENTS_DISABLED`
       */
      webhookSecret: optionalString(env, 'PAYMENT_WEBHOOK_SECRET', 16),
      /** how far a `Payment-Signature` timestamp may be from our clock, either way, before 400 `SIGNATURE_EXPIRED` (a captured delivery cannot be replayed) */
      toleranceSec: int(env, 'PAYMENT_WEBHOOK_TOLERANCE_SEC', 300, 1, 3600),
      /** largest webhook body; a bigger one is refused 413 `PAYLOAD_TOO_LARGE` before it is read */
      // A provider event is a few KB; 64 KB leaves room and keeps a hostile body from costing anything.
      maxBodyBytes: int(env, 'PAYMENT_WEBHOOK_MAX_BODY_BYTES', 65_536, 1024, 1_048_576),
    },
  };
}
