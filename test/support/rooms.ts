import { Client, type Room } from '@colyseus/sdk';

/** A session/coliseum client against a server started by the tests; `accessToken` becomes `client.auth.token`. */
export function clientFor(baseUrl: string, accessToken?: string): Client {
  const client = new Client(baseUrl.replace(/^http/, 'ws'));
  if (accessToken) client.auth.token = accessToken;
  return client;
}

/**
 * Resolves with the next `type` message the room receives (rejects after `timeoutMs`). A timeout names the
 * `error` replies that arrived meanwhile, so a failure says what the server answered instead.
 */
export function nextMessage<T = any>(room: Room, type: string, timeoutMs = 5000, what = ''): Promise<T> {
  return new Promise((resolve, reject) => {
    const errors: unknown[] = [];
    const offErrors = type === 'error' ? () => undefined : room.onMessage('error', (payload: unknown) => void errors.push(payload));
    const timer = setTimeout(() => {
      off();
      offErrors();
      const answered = errors.length ? `; error replies meanwhile: ${JSON.stringify(errors)}` : '';
      reject(new Error(`no "${type}" message within ${timeoutMs} ms${what ? ` (${what})` : ''}${answered}`));
    }, timeoutMs);
    const off = room.onMessage(type, (payload: T) => {
      clearTimeout(timer);
      off();
      offErrors();
      resolve(payload);
    });
  });
}

/** Collects every message of `type` until stopped. */
export function collect<T = any>(room: Room, type: string): { items: T[]; stop: () => void } {
  const items: T[] = [];
  const stop = room.onMessage(type, (payload: T) => void items.push(payload));
  return { items, stop };
}

/** Polls `predicate` against the room's decoded state until true (rejects after `timeoutMs`). */
export async function waitForState(room: Room, predicate: (state: any) => boolean, timeoutMs = 5000, what = 'state condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if (room.state && predicate(room.state)) return;
    } catch {
      // state not decoded yet: keep polling
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${what} not reached within ${timeoutMs} ms; state: ${JSON.stringify(room.state?.toJSON?.() ?? room.state).slice(0, 600)}`);
}
