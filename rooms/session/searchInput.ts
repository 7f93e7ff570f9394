import type { Client } from '@colyseus/core';
import { parseQuery, searchPerformed } from '../../systems/discovery/search.js';
import { SessionInputError, type MessageOf } from './messages.js';
import type { EventIdentity, RoomEvent, SessionRoomServices } from './ports.js';
import { reply } from './replies.js';

/**
 * The `search` message (seed 000 step 13 from the dial) → a `search` reply. On top of the room's
 * message rate, one search at a time per session: a second while one runs is BUSY (a typing client
 * sends the next query when the reply arrives), so a session costs at most one similarity query.
 * Each answer is logged as `search.performed` (step 13.6) with the session's identity.
 */
export function createSearchHandler(room: { readonly identity: EventIdentity; acceptOrRecord(events: RoomEvent[]): void }, services: Pick<SessionRoomServices, 'discovery' | 'settings'>) {
  let running = false;
  return async (client: Client, msg: MessageOf<'search'>): Promise<void> => {
    const parsed = parseQuery(msg.q);
    if (!parsed.ok) throw new SessionInputError('BAD_INPUT', 'invalid search payload', parsed.details);
    const max = services.settings.maxSearchLimit;
    if (msg.limit !== undefined && msg.limit > max) throw new SessionInputError('BAD_INPUT', 'invalid search payload', [{ field: 'limit', message: `at most ${max}` }]);
    if (running) throw new SessionInputError('BUSY', 'a search is already running for this session; send the next one after its `search` reply');
    running = true;
    try {
      const limit = msg.limit ?? Math.min(10, max);
      const { cached, ...answer } = await services.discovery.search(parsed.query, limit, room.identity.userId);
      room.acceptOrRecord([searchPerformed(answer.query, limit, answer.results, cached)]);
      reply(client, 'search', { ...answer, ...(msg.requestId ? { requestId: msg.requestId } : {}) });
    } finally {
      running = false;
    }
  };
}
