import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Search, SearchAnswer } from '../../features/discovery/Search.js';
import type { PassportWriter } from '../../features/passport/PassportWriter.js';
import { buildEvents } from '../../systems/passport/index.js';
import type { Recommendations } from '../../features/discovery/Recommendations.js';
import { parseQuery, searchPerformed } from '../../systems/discovery/search.js';
import { bearerToken } from '../../features/auth/adminToken.js';
import { ForbiddenError, withBearerChallenge, type RequestAuth } from './authGates.js';
import { json, ValidationError, type Route } from './router.js';
import { declareRoutes, mountRoutes } from './declare.js';
import { searchSchema } from '../../rooms/session/journalReplies.js';
import { recommendationsSchema } from '../../rooms/session/replies.js';

export interface DiscoveryRouteDeps {
  search: Pick<Search, 'search'>;
  recommendations: Pick<Recommendations, 'recommendationsFor'>;
  auth: RequestAuth;
  maxSearchLimit: number;
  /** Step 13.6: each answered search is logged (see searchLogger). */
  logSearch: SearchLog;
}

/** Logs one answered HTTP search for the caller (null: anonymous). */
export type SearchLog = (
  answer: Pick<SearchAnswer, 'query' | 'results' | 'cached'>,
  limit: number,
  caller: { userId: string; deviceId: string } | null,
) => void;

/**
 * Step 13.6 for `GET /api/search`: a `search.performed` event on the writer's batch (like a station
 * read's `station.loaded`), with the caller's user and device when a valid token came with it. When the
 * log is full the event is not taken (the writer counts the refusal) and the answer is served anyway.
 */
export function searchLogger(writer: Pick<PassportWriter, 'enqueue'>, log: Logger): SearchLog {
  return (answer, limit, caller) => {
    try {
      const event = searchPerformed(answer.query, limit, answer.results, answer.cached);
      writer.enqueue(buildEvents([event], { ...(caller ?? {}), source: 'http' }, Date.now(), randomUUID), { followUp: true });
    } catch (err) {
      log.debug({ err: (err as Error).message }, 'search.performed not queued');
    }
  };
}

/** `limit` of a search: 1..max, default 10 (seed 13), or a 400 naming the field. */
export function searchLimit(raw: string | null, max: number): number {
  if (raw === null || raw === '') return Math.min(10, max);
  if (!/^\d{1,6}$/.test(raw) || Number(raw) < 1 || Number(raw) > max)
    throw new ValidationError(`limit must be an integer from 1 to ${max}`, [{ field: 'limit', message: `"${raw.slice(0, 20)}" is not in 1..${max}` }]);
  return Number(raw);
}

/**
 * Search (seed 000 step 13) and recommendations (step 12) over HTTP. Search is public: without an
 * Authorization header it is anonymous (no preference boost, `inConstellation` false); with one, the
 * token must be valid (401 otherwise: a client must not silently lose its personalisation).
 * Recommendations are the token's user's only.
 */
export const DISCOVERY_ROUTES = declareRoutes<DiscoveryRouteDeps>()([
  {
    operationId: 'search',
    method: 'GET',
    path: '/api/search',
    tag: 'discovery',
    summary: 'Search artists, tracks and genres (query `q`, `limit` 1–SEARCH_MAX_LIMIT, default 10; seed 000 step 13).',
    description: 'Public. With an Authorization header the token must be valid (401 otherwise): it boosts the user’s preferences and marks `inConstellation`.',
    auth: 'optional-user',
    responses: { 200: { description: "Best first (no `requestId`: that is the room reply's).", title: 'SearchMessage', schema: searchSchema } },
    errors: ['VALIDATION_FAILED', 'UNAUTHORIZED'],
    handler: async ({ request, query }, deps) => {
      const problems: Array<{ field: string; message: string }> = [];
      const parsed = parseQuery(query.get('q'));
      if (!parsed.ok) problems.push(...parsed.details);
      let limit = 10;
      try {
        limit = searchLimit(query.get('limit'), deps.maxSearchLimit);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        problems.push(...err.details);
      }
      if (!parsed.ok || problems.length) throw new ValidationError('invalid search; see details', problems);
      const caller = request.headers.has('authorization') || bearerToken(request) ? await deps.auth.requireUser(request) : null;
      const user = caller?.kind === 'user' ? { userId: caller.userId, deviceId: caller.deviceId } : null;
      const { cached, ...answer } = await deps.search.search(parsed.query, limit, user?.userId ?? null);
      deps.logSearch({ ...answer, cached }, limit, user);
      return json(answer);
    },
  },
  {
    operationId: 'recommendations',
    method: 'GET',
    path: '/api/recommendations',
    tag: 'discovery',
    summary: "The token user's recommendations (seed 000 step 12).",
    auth: 'user',
    responses: { 200: { description: 'The recommendation list, best first.', title: 'RecommendationsMessage', schema: recommendationsSchema } },
    errors: ['FORBIDDEN'],
    handler: async ({ request }, deps) => {
      const caller = await deps.auth.requireUser(request);
      if (caller.kind !== 'user')
        throw new ForbiddenError("recommendations belong to a user: call with that user's access token, not the admin token", [
          { field: 'authorization', message: 'a user access token is required' },
        ]);
      const list = await deps.recommendations.recommendationsFor(caller.userId);
      return json(list);
    },
  },
]);

/** The discovery routes, served. */
export function discoveryRoutes(deps: DiscoveryRouteDeps): Route[] {
  return mountRoutes(DISCOVERY_ROUTES, deps, withBearerChallenge);
}
