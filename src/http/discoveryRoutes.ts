import { z } from 'zod';
import type { Search } from '../../features/discovery/Search.js';
import type { ReadEventLog } from './passportRoutes.js';
import type { Recommendations } from '../../features/discovery/Recommendations.js';
import { parseQuery, QUERY_MAX_CHARS, QUERY_MIN_CHARS, searchPerformed, searchSchema } from '../../systems/discovery/search.js';
import type { RequestAuth } from './authGates.js';
import { DOCUMENTED_DEFAULTS, intQuery, mount, routeOf, type Route } from './route.js';
import { recommendationsSchema } from '../../rooms/session/replies.js';

export interface DiscoveryRouteDeps {
  search: Pick<Search, 'search'>;
  recommendations: Pick<Recommendations, 'recommendationsFor'>;
  auth: RequestAuth;
  maxSearchLimit: number;
  /** Each answered search is logged (`search.performed`). */
  logRead: ReadEventLog;
}

/** The search text, sanitised (systems/discovery/search.ts), or its problem. */
const searchText = z.string().transform((raw, ctx) => {
  const parsed = parseQuery(raw);
  if (parsed.ok) return parsed.query;
  ctx.addIssue({ code: 'custom', message: parsed.details[0]!.message });
  return z.NEVER;
});

const route = routeOf<DiscoveryRouteDeps>('discovery');

/**
 * Search and recommendations. Search without Authorization is anonymous; with one, the token must be valid (401
 * otherwise: a client must not silently lose its personalisation).
 */
const discoveryDeclarations = (maxSearchLimit: number) => [
  route('GET /api/search', {
    operationId: 'search',
    summary: `Search artists, tracks and genres (query \`q\`, \`limit\` 1–${maxSearchLimit} (SEARCH_MAX_LIMIT), default 10); your own stars are marked.`,
    description: 'Public. With an Authorization header the token must be valid (401 otherwise): it boosts the user’s preferences and marks `inConstellation`.',
    auth: 'optional-user',
    query: z.object({
      q: searchText.meta({ description: `The search text: ${QUERY_MIN_CHARS}–${QUERY_MAX_CHARS} characters; special characters count as spaces.` }),
      limit: intQuery(1, maxSearchLimit, Math.min(10, maxSearchLimit)),
    }),
    responses: { 200: { description: "Best first (no `requestId`: that is the room reply's).", schema: searchSchema } },
    errors: ['UNAUTHORIZED'],
    handler: async ({ request, query, caller }, deps) => {
      if (caller === null && request.headers.has('authorization')) await deps.auth.requireUser(request); // its 401
      const { cached, ...answer } = await deps.search.search(query.q, query.limit, caller?.kind === 'user' ? caller.userId : null);
      deps.logRead(searchPerformed(answer.query, query.limit, answer.results, cached), caller);
      return answer;
    },
  }),
  route('GET /api/recommendations', {
    operationId: 'recommendations',
    summary: "The token user's recommendations: artists not captured yet, each with the reason it was picked.",
    auth: 'user',
    responses: { 200: { description: 'The recommendation list, best first.', schema: recommendationsSchema } },
    handler: async ({ caller }, deps) => deps.recommendations.recommendationsFor(caller.userId),
  }),
];

export const DISCOVERY_ROUTES = discoveryDeclarations(DOCUMENTED_DEFAULTS.discovery.search.maxLimit);

export const discoveryRoutes = (deps: DiscoveryRouteDeps): Route[] => mount(discoveryDeclarations(deps.maxSearchLimit), deps);
