/**
 * The per-address limit on Colyseus's matchmaking (`POST /matchmake/:method/:room`: create, join,
 * joinOrCreate, joinById, reconnect). It runs at the HTTP edge, before the request reaches Colyseus: a
 * refused request costs one count, never a token check, a room or a seat. Every request counts, the ones
 * matchmaking then refuses too, since those are what a client looping without a valid token sends.
 */
import type { Limit } from '../../features/limits/Limits.js';
import type { EdgeGate } from './edgeGates.js';

/** Any case and repeated slashes: whatever spelling a router might still take for the route. */
const MATCHMAKE_PATH = /^\/+matchmake\//i;

export function matchmakeGate(limit: Pick<Limit, 'consume'>): EdgeGate {
  return {
    applies: (method, path) => method === 'POST' && MATCHMAKE_PATH.test(path),
    admit: (address) => limit.consume(address),
  };
}
