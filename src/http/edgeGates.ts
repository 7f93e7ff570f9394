/** Checks the edge runs on a request once its body is in, before it is parsed or routed (e.g. src/http/matchmakeGate.ts). */
import type { Logger } from '../logger.js';
import { errorReply } from './errors.js';
import { Reply } from './route.js';

/** A check that may refuse a request: `admit` throws an AppError (RATE_LIMITED is answered 429 with Retry-After). */
export interface EdgeGate {
  /** Whether the gate looks at this request (upper-case method; the path as the router will match it). */
  applies(method: string, path: string): boolean;
  /** `address` is the one the per-address limits count (the socket's peer, or the trusted proxy's X-Forwarded-For). */
  admit(address: string): Promise<void>;
  /** While an admitted request is served: `refused` rejects with the answer to give should the gate close meanwhile; `stop` once answered. */
  whileServed?(): { refused: Promise<never>; stop(): void };
}

/** The gates that look at this request (none for a malformed target: it is refused as such before routing). */
export function gatesFor(gates: readonly EdgeGate[], req: { method: string; url: string }): EdgeGate[] {
  if (gates.length === 0) return [];
  const path = routedPath(req.url);
  if (path === null) return [];
  return gates.filter((gate) => gate.applies(req.method, path));
}

/** The route's answer, or the refusal of a gate that closed while the route was still serving. */
export async function servedUnlessRefused<T>(gates: readonly EdgeGate[], serve: () => Promise<T>): Promise<T> {
  const watches = gates.flatMap((gate) => (gate.whileServed ? [gate.whileServed()] : []));
  if (watches.length === 0) return serve();
  try {
    // A route left behind still settles on its own; race() has a handler on it, so its failure is no unhandled rejection.
    return await Promise.race([serve(), ...watches.map((w) => w.refused)]);
  } finally {
    for (const w of watches) w.stop();
  }
}

/** The refusal of the first of `gates` (those that apply: gatesFor) that refuses the request (its body names the request id), or null. */
export async function firstRefusal(gates: readonly EdgeGate[], req: { requestId: string }, address: string, log: Logger): Promise<Reply | null> {
  for (const gate of gates) {
    try {
      await gate.admit(address);
    } catch (err) {
      const refused = errorReply(err, log, req.requestId);
      return new Reply(refused.status, { ...refused.body, requestId: req.requestId }, refused.headers);
    }
  }
  return null;
}

/** The path a request target resolves to (absolute form and dot segments resolved as the router's URL parser does), or null. */
function routedPath(raw: string): string | null {
  try {
    const url = raw.startsWith('/') ? new URL(`http://localhost${raw}`) : new URL(raw);
    return url.pathname;
  } catch {
    return null;
  }
}
