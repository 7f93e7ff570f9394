/**
 * Wrong admin tokens cost the client address a point; once an address has used its points every admin
 * request from it is refused (429) until the window ends, the right token included. Counted on the
 * backplane, so guessing on one process counts on all. Admin surfaces are told apart by path: each of them
 * checks the token itself, and this guard only watches what they answered.
 */
import type { Limit } from '../../features/limits/Limits.js';
import type { Logger } from '../logger.js';
import { clientAddressOf, errorResponse, REQUEST_ID_HEADER } from './router.js';

const ADMIN_PATHS = [/^\/api\/ops(\/|$)/, /^\/api\/admin(\/|$)/, /^\/metrics$/, /^\/monitor(\/|$)/, /^\/api\/reports(\/|$)/];

export interface AdminFailureGuard {
  /** A refusal for an address that already used its wrong-token points, else null. */
  admit(request: Request): Promise<Response | null>;
  /** Counts a 401 an admin surface gave a request that carried a Bearer token. */
  settled(request: Request, response: Response): Promise<void>;
}

const isAdminPath = (request: Request): boolean => {
  const path = new URL(request.url).pathname;
  return ADMIN_PATHS.some((re) => re.test(path));
};

export function adminFailureGuard(limit: Limit, log: Logger): AdminFailureGuard {
  return {
    async admit(request) {
      if (!isAdminPath(request)) return null;
      try {
        await limit.check(clientAddressOf(request));
        return null;
      } catch (err) {
        return errorResponse(err, log, request.headers.get(REQUEST_ID_HEADER) ?? 'none');
      }
    },
    async settled(request, response) {
      if (response.status !== 401 || !request.headers.get('authorization')?.startsWith('Bearer ') || !isAdminPath(request)) return;
      const address = clientAddressOf(request);
      await limit.consume(address).catch(() => undefined); // the point is counted; the 401 already went out
      log.warn({ address, path: new URL(request.url).pathname }, 'wrong admin token');
    },
  };
}
