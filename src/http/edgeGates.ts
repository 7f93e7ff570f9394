/**
 * Gates: checks the HTTP edge runs on a request once its body is in, before the body is parsed or the
 * router sees it (e.g. the per-address matchmaking limit, src/http/matchmakeGate.ts).
 */
import type { Logger } from '../logger.js';
import { errorReply, type ErrorReply } from './router.js';

/** A check that may refuse a request: `admit` throws an AppError (RATE_LIMITED is answered 429 with Retry-After). */
export interface EdgeGate {
  /** Whether the gate looks at this request (upper-case method; the path as the router will match it). */
  applies(method: string, path: string): boolean;
  /** `address` is the one the per-address limits count (the socket's peer, or the trusted proxy's X-Forwarded-For). */
  admit(address: string): Promise<void>;
}

/** The refusal of the first gate that refuses the request (its body names the request id), or null. */
export async function firstRefusal(
  gates: readonly EdgeGate[],
  req: { method: string; url: string; requestId: string },
  address: string,
  log: Logger,
): Promise<ErrorReply | null> {
  if (gates.length === 0) return null;
  const path = routedPath(req.url);
  if (path === null) return null; // a malformed target is refused as such before routing
  for (const gate of gates) {
    if (!gate.applies(req.method, path)) continue;
    try {
      await gate.admit(address);
    } catch (err) {
      const reply = errorReply(err, log, req.requestId);
      return { ...reply, body: { ...reply.body, requestId: req.requestId } };
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
