import { DeviceRepository } from '../../persistence/auth/DeviceRepository.js';
import { DeviceAuth, type DeviceAuthOptions } from '../../features/auth/DeviceAuth.js';
import { authRoutes } from '../http/authRoutes.js';
import type { FeatureParts, WireContext } from './context.js';

/** The access-token keys themselves are part of the foundation. */
export function wire(ctx: WireContext, deps: { afterSignIn?: DeviceAuthOptions['afterSignIn'] } = {}): FeatureParts {
  const deviceAuth = new DeviceAuth(new DeviceRepository(ctx.orm), ctx.tokens, ctx.log.child({ component: 'auth' }), {
    afterSignIn: deps.afterSignIn,
    refreshTtlDays: ctx.config.auth.refreshTtlDays,
    maxDevicesPerUser: ctx.config.limits.devicesPerUser,
    onDeviceRevoked: (deviceId, generation) => ctx.deviceRevocations.revoked(deviceId, generation),
  });
  return { routes: authRoutes(deviceAuth, ctx.authLimits) };
}
