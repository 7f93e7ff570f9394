import { PaymentStore } from '../../persistence/payments/PaymentStore.js';
import { PaymentWebhook, type PaymentPassport } from '../../features/payments/PaymentWebhook.js';
import { paymentRoutes, paymentWebhookBodyRule } from '../http/paymentsRoutes.js';
import type { FeatureParts, WireContext } from './context.js';

/** Verified purchases into the passport, where the revenue rules count them. */
export function wire(ctx: WireContext, deps: { writer: PaymentPassport }): FeatureParts {
  const { payments, passport } = ctx.config;
  const webhook = payments.webhookSecret
    ? new PaymentWebhook(new PaymentStore(ctx.sql), deps.writer, {
        secret: payments.webhookSecret,
        toleranceSec: payments.toleranceSec,
        ackTimeoutMs: passport.ackTimeoutMs,
      })
    : undefined;
  return { routes: paymentRoutes({ webhook }), rawBodyRoutes: [paymentWebhookBodyRule(payments.maxBodyBytes)] };
}
