/**
 * The HTTP half of the contract: the operation types, error codes and error body come from the floor
 * below the server and the pages (systems/httpContract.ts); each operation is declared next to its
 * handler in its route file (src/http/*Routes.ts) and collected by src/http/operations.ts.
 * This file adds the routes the document leaves out on purpose;
 * test/unit/contract/routeCoverage.test.ts holds both against the routes the running app serves.
 */
import type { HttpMethod } from '../systems/httpContract.js';

export {
  errorCodesOf,
  errorStatusesOf,
  HTTP_ERROR,
  HTTP_TAGS,
  routerPath,
  STATUS_BY_CODE,
  type ErrorCode,
  type HttpAuth,
  type HttpMethod,
  type HttpOperation,
  type HttpResponse,
  type HttpTag,
} from '../systems/httpContract.js';

/** A route the contract does not describe, and why. `path` is the router's pattern (`:name`, `/**`). */
export interface ExcludedRoute {
  method: HttpMethod;
  path: string;
  reason: string;
}

const PAGE = 'an HTML page of the web app (a shell without data; its data comes from the API described here)';

/** Routes served to browsers, not to API clients: pages, their assets and icons, and the third-party monitor. */
export const EXCLUDED_ROUTES: ExcludedRoute[] = [
  { method: 'GET', path: '/play', reason: PAGE },
  { method: 'GET', path: '/coliseum', reason: PAGE },
  { method: 'GET', path: '/ops', reason: `${PAGE}; the ops console reads the /api/ops operations` },
  { method: 'GET', path: '/coliseum/reports/:id', reason: `${PAGE}; it reads GET /api/reports/{id} or /api/reports/shared/{token}` },
  { method: 'GET', path: '/shared/:id', reason: `${PAGE} with link-preview tags; it reads GET /api/shared/{id}` },
  {
    method: 'GET',
    path: '/l/:linkId',
    reason: 'a browser follows a share link (POST /api/links): a 302 to its target, counting a person’s first open of the day',
  },
  { method: 'GET', path: '/assets/:file', reason: 'the web bundle (scripts, styles), built by scripts/build-web.ts' },
  { method: 'GET', path: '/favicon.svg', reason: 'the site icon' },
  { method: 'GET', path: '/favicon.ico', reason: 'the site icon' },
  {
    method: 'GET',
    path: '/monitor',
    reason: "@colyseus/monitor's page, behind the admin token or the cookie of POST /api/ops/monitor-session; not ours to describe",
  },
  { method: 'GET', path: '/monitor/**', reason: "@colyseus/monitor's own API and assets (third-party, versioned with the package)" },
];
