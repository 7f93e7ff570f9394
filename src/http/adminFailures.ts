/**
 * Wrong admin tokens cost the client address a point; past the bound a wrong token is answered 429
 * (RATE_LIMITED, Retry-After) instead of 401. A request its surface accepts is never refused here: operators
 * share addresses (an office, a VPN, a carrier NAT) with whoever guesses, and refusing the right token
 * too let anyone lock them out. The token's length (ADMIN_TOKEN ≥ 16 characters) is what defeats guessing;
 * the count bounds the noise and names the address in the log. Counted on the backplane, so guessing on one
 * process counts on all. Admin surfaces are told apart by path: each of them checks the token itself, and
 * this guard only watches what they answered.
 */
import { RateLimitedError, type Limit } from '../../features/limits/Limits.js';
import type { Logger } from '../logger.js';
import { clientAddressOf, errorResponse, REQUEST_ID_HEADER } from './router.js';

const ADMIN_PATHS = [/^\/api\/ops(\/|$)/, /^\/api\/admin(\/|$)/, /^\/metrics$/, /^\/monitor(\/|$)/, /^\/api\/reports(\/|$)/];

export interface AdminFailureGuard {
  /**
   * Sees what an admin surface answered: a 401 to a request that carried a Bearer token costs its address a
   * point, and past the bound becomes a 429. Any other answer passes unchanged. Resolves to the answer to send.
   */
  settled(request: Request, response: Response): Promise<Response>;
}

const isAdminPath = (request: Request): boolean => {
  const path = new URL(request.url).pathname;
  return ADMIN_PATHS.some((re) => re.test(path));
};

export function adminFailureGuard(limit: Limit, log: Logger): AdminFailureGuard {
  return {
    async settled(request, response) {
      if (response.status !== 401 || !request.headers.get('authorization')?.startsWith('Bearer ') || !isAdminPath(request)) return response;
      const address = clientAddressOf(request);
      const path = new URL(request.url).pathname;
      try {
        await limit.consume(address);
      } catch (err) {
        if (!(err instanceof RateLimitedError)) return response; // the count is unreadable (Redis away): the 401 stands
        log.debug({ address, path }, 'wrong admin token past the bound: answered 429');
        return errorResponse(err, log, request.headers.get(REQUEST_ID_HEADER) ?? 'none');
      }
      log.warn({ address, path }, 'wrong admin token');
      return response;
    },
  };
}
