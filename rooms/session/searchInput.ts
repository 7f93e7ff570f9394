import { parseQuery, searchPerformed } from '../../systems/discovery/search.js';
import { SessionInputError } from './messages.js';
import { send, type Outcome, type SessionView } from './outcome.js';
import type { DiscoveryPort } from './ports.js';

/** The search message's own ports: the search (features/discovery) and its largest `limit`. */
export interface SearchPorts {
  discovery: Pick<DiscoveryPort, 'search'>;
  /** Largest `limit` of a `search` message (SEARCH_MAX_LIMIT). */
  maxLimit: number;
}

/** Sessions with a search running: one at a time per session. */
const running = new WeakSet<SessionView>();

/**
 * The `search` message (seed 000 step 13 from the dial) → a `search` reply. On top of the room's
 * message rate, one search at a time per session: a second while one runs is BUSY (a typing client
 * sends the next query when the reply arrives), so a session costs at most one similarity query.
 * Each answer is logged as `search.performed` (step 13.6) with the session's identity.
 */
export async function search(s: SessionView, msg: { q: string; limit?: number; requestId?: string }, ports: SearchPorts): Promise<Outcome> {
  const parsed = parseQuery(msg.q);
  if (!parsed.ok) throw new SessionInputError('BAD_INPUT', 'invalid search payload', parsed.details);
  const max = ports.maxLimit;
  if (msg.limit !== undefined && msg.limit > max)
    throw new SessionInputError('BAD_INPUT', 'invalid search payload', [{ field: 'limit', message: `at most ${max}` }]);
  if (running.has(s)) throw new SessionInputError('BUSY', 'a search is already running for this session; send the next one after its `search` reply');
  running.add(s);
  try {
    const limit = msg.limit ?? Math.min(10, max);
    const { cached, ...answer } = await ports.discovery.search(parsed.query, limit, s.identity.userId);
    return {
      record: [searchPerformed(answer.query, limit, answer.results, cached)],
      replies: [send('search', { ...answer, ...(msg.requestId ? { requestId: msg.requestId } : {}) })],
    };
  } finally {
    running.delete(s);
  }
}
