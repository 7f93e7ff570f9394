import { PaymentStore } from '../../persistence/payments/PaymentStore.js';
import { PaymentWebhook } from '../../features/payments/PaymentWebhook.js';
import type { PassportIngest } from '../../features/passport/durableIngest.js';
import { PAYMENT_ROUTES } from '../http/paymentsRoutes.js';
import { mount } from '../http/route.js';
import type { FeatureParts, WireContext } from './context.js';

/** Verified purchases into the passport, where the revenue rules count them. */
export function wire(ctx: WireContext, deps: { writer: PassportIngest }): FeatureParts {
  const { payments, passport } = ctx.config;
  const webhook = payments.webhookSecret
    ? new PaymentWebhook(new PaymentStore(ctx.sql), deps.writer, {
        secret: payments.webhookSecret,
        toleranceSec: payments.toleranceSec,
        ackTimeoutMs: passport.ackTimeoutMs,
      })
    : undefined;
  return { routes: mount(PAYMENT_ROUTES, { webhook, maxBodyBytes: payments.maxBodyBytes }) };
}
