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
import type { HttpRequest } from './edge.js';
import { errorReply } from './errors.js';
import { Reply } from './route.js';

const ADMIN_PATHS = [/^\/api\/ops(\/|$)/, /^\/api\/admin(\/|$)/, /^\/metrics$/, /^\/monitor(\/|$)/, /^\/api\/reports(\/|$)/];

export interface AdminFailureGuard {
  /**
   * Sees what an admin surface answered: a 401 to a request that carried a Bearer token costs its address a
   * point, and past the bound becomes a 429. Any other answer passes unchanged. Resolves to the answer to send.
   */
  settled(request: HttpRequest, reply: Reply): Promise<Reply>;
}

export function adminFailureGuard(limit: Limit, log: Logger): AdminFailureGuard {
  return {
    async settled(request, reply) {
      const { path, clientAddress: address } = request;
      if (reply.status !== 401 || !request.headers.get('authorization')?.startsWith('Bearer ') || !ADMIN_PATHS.some((re) => re.test(path))) return reply;
      try {
        await limit.consume(address);
      } catch (err) {
        if (!(err instanceof RateLimitedError)) return reply; // the count is unreadable (Redis away): the 401 stands
        log.debug({ address, path }, 'wrong admin token past the bound: answered 429');
        const refused = errorReply(err, log, request.requestId);
        return new Reply(refused.status, refused.body, refused.headers);
      }
      log.warn({ address, path }, 'wrong admin token');
      return reply;
    },
  };
}
