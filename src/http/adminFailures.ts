/**
 * Wrong admin tokens cost the address a point; past the bound a wrong token gets 429 instead of 401. The right token
 * always passes: operators share addresses with whoever guesses, and refusing it too let anyone lock them out. The
 * token's length defeats guessing; the count bounds the noise. Counted on the backplane, so across processes.
 */
import { RateLimitedError, type Limit } from '../../features/limits/Limits.js';
import type { Logger } from '../logger.js';
import type { HttpRequest } from './edge.js';
import { errorReply } from './errors.js';
import type { Reply } from './route.js';

const ADMIN_PATHS = [/^\/api\/ops(\/|$)/, /^\/api\/admin(\/|$)/, /^\/metrics$/, /^\/monitor(\/|$)/, /^\/api\/reports(\/|$)/];

export interface AdminFailureGuard {
  /** A 401 to a request that carried a Bearer token costs its address a point, and past the bound becomes a 429. */
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
        return errorReply(err, log, request.requestId);
      }
      log.warn({ address, path }, 'wrong admin token');
      return reply;
    },
  };
}
