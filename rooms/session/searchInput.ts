import { parseQuery, searchPerformed } from '../../systems/discovery/search.js';
import { SessionInputError } from './messages.js';
import { send, type Outcome, type SessionView } from './outcome.js';
import type { DiscoveryPort } from './ports.js';

export interface SearchPorts {
  discovery: Pick<DiscoveryPort, 'search'>;
  /** SEARCH_MAX_LIMIT. */
  maxLimit: number;
}

const running = new WeakSet<SessionView>();

/**
 * One search at a time per session on top of the message rate: a second while one runs is BUSY (a typing client
 * sends the next query when the reply arrives), so a session costs at most one similarity query. Logged as
 * `search.performed` with the session's identity.
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
