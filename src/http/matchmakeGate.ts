/**
 * The per-address matchmaking limit, at the edge before Colyseus: a refused request costs one count, never a token
 * check, room or seat. Requests matchmaking then refuses count too: they are what a looping client sends.
 */
import type { Limit } from '../../features/limits/Limits.js';
import type { EdgeGate } from './edge.js';

/** Any case and repeated slashes: whatever spelling a router might still take for the route. */
const MATCHMAKE_PATH = /^\/+matchmake\//i;

export function matchmakeGate(limit: Pick<Limit, 'consume'>): EdgeGate {
  return {
    applies: (method, path) => method === 'POST' && MATCHMAKE_PATH.test(path),
    admit: (address) => limit.consume(address),
  };
}
