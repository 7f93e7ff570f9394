/**
 * The payment provider's signed webhook (features/payments): its secret, how far a signature's timestamp
 * may be from our clock, and the largest delivery taken. Each variable has a row in docs/CONFIG.md.
 */
import { int, optionalString, type Env } from './parse.js';

export interface PaymentsConfig {
  /** The shared HMAC secret; unset: the webhook answers 503 PAYMENTS_DISABLED and clients may still claim purchases over ingest. */
  webhookSecret?: string;
  /** A signature dated further than this from now (either way) is refused SIGNATURE_EXPIRED. */
  toleranceSec: number;
  /** Largest webhook body; a bigger one is refused 413 before it is read. */
  maxBodyBytes: number;
}

export function paymentsConfig(env: Env): { payments: PaymentsConfig } {
  return {
    payments: {
      webhookSecret: optionalString(env, 'PAYMENT_WEBHOOK_SECRET', 16),
      // Stripe's default tolerance: room for the provider's retries and clock skew, short for a captured delivery.
      toleranceSec: int(env, 'PAYMENT_WEBHOOK_TOLERANCE_SEC', 300, 1, 3600),
      // A provider event is a few KB; 64 KB leaves room and keeps a hostile body from costing anything.
      maxBodyBytes: int(env, 'PAYMENT_WEBHOOK_MAX_BODY_BYTES', 65_536, 1024, 1_048_576),
    },
  };
}
