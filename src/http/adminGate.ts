import { hasAdminBearer } from '../../features/ops/opsAuth.js';
import { json, type HttpContext } from './router.js';

export const NO_STORE = { 'cache-control': 'no-store' };

type Handler = (ctx: HttpContext) => Promise<Response>;

/**
 * The ops API's gate (`/api/ops/*`): 503 OPS_DISABLED without ADMIN_TOKEN, 401 with a Bearer challenge unless
 * the request carries it, else the handler.
 */
export function adminOnly(adminToken: string | undefined): (handler: Handler) => Handler {
  return (handler) => async (ctx) => {
    if (!adminToken)
      return json({ error: 'OPS_DISABLED', message: 'the ops API is off: start the server with ADMIN_TOKEN (at least 16 characters)' }, 503, NO_STORE);
    if (!hasAdminBearer(ctx.request, adminToken))
      return json({ error: 'UNAUTHORIZED', message: 'send the admin token as "Authorization: Bearer <ADMIN_TOKEN>"' }, 401, {
        'www-authenticate': 'Bearer realm="ops"',
        ...NO_STORE,
      });
    return handler(ctx);
  };
}
