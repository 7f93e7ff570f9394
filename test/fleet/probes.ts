/**
 * Probe sessions the scenarios follow one by one (the load harness reports only totals): a sign-in and a
 * matchmake through the entry (optionally through one host's prefix, /<letter>/, which reaches that host's
 * matchmaker), then the SDK's join on the seat, so the room host of every probe is known.
 */
import { Client, type Room } from '@colyseus/sdk';
import { signIn } from '../support/auth.js';

export interface Probe {
  letter: string;
  room: Room;
  accessToken: string;
  /** Set when the room left: close code and epoch ms. */
  left?: { code: number; at: number };
}

export interface JoinOutcome {
  ok: boolean;
  ms: number;
  /** The room host's letter (from the seat's public address), when a seat was reserved. */
  letter?: string;
  error?: string;
  probe?: Probe;
}

// The SDK warns for every message no handler is registered for yet; a probe registers none (the welcome arrives
// with the join). One filter for the whole run, not per probe.
const warn = console.warn.bind(console);
console.warn = (...args: unknown[]) => {
  if (typeof args[0] === 'string' && args[0].includes('onMessage() not registered')) return;
  warn(...args);
};

const withTimeout = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms))]);

/** Signs a new listener in and joins a session room; never throws (the outcome says what failed). */
export async function joinProbe(entryUrl: string, options: { via?: string; timeoutMs?: number } = {}): Promise<JoinOutcome> {
  const started = performance.now();
  const timeoutMs = options.timeoutMs ?? 20_000;
  let letter: string | undefined;
  let phase = 'sign-in';
  try {
    // Through the same host as the matchmaking when one is named: the entry's round robin would otherwise
    // send the sign-in to any host, a faulty one included.
    const base = options.via ? `${entryUrl}/${options.via}` : entryUrl;
    const who = await withTimeout(signIn(base), timeoutMs, 'sign-in');
    phase = 'matchmake';
    const res = await fetch(`${base}/matchmake/create/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${who.accessToken}` },
      body: JSON.stringify({ deviceModel: 'fleet-probe', appVersion: 'fleet/1' }),
      signal: AbortSignal.timeout(Math.max(1, Math.round(timeoutMs - (performance.now() - started)))),
    });
    const seat = (await res.json().catch(() => ({}))) as { roomId?: string; sessionId?: string; processId?: string; publicAddress?: string; error?: string; code?: number };
    if (!res.ok || !seat.roomId) throw new Error(`matchmake ${res.status} ${seat.code ?? ''} ${seat.error ?? ''}`.trim());
    letter = seat.publicAddress?.split('/').pop();
    phase = 'join';
    const client = new Client(entryUrl.replace(/^http/, 'ws'));
    client.auth.token = who.accessToken;
    const room = await withTimeout(client.consumeSeatReservation(seat as never), Math.max(1, timeoutMs - (performance.now() - started)), 'join');
    room.reconnection.enabled = false; // the scenario decides what coming back means
    const probe: Probe = { letter: letter ?? '?', room, accessToken: who.accessToken };
    room.onLeave((code: number) => void (probe.left = { code, at: Date.now() }));
    room.onError(() => undefined);
    return { ok: true, ms: performance.now() - started, letter, probe };
  } catch (err) {
    return { ok: false, ms: performance.now() - started, letter, error: `${phase}: ${(err as Error).message}` };
  }
}

/** `count` probes, `concurrency` at a time. */
export async function joinProbes(entryUrl: string, count: number, options: { via?: string; timeoutMs?: number; concurrency?: number } = {}): Promise<JoinOutcome[]> {
  const outcomes: JoinOutcome[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      outcomes.push(await joinProbe(entryUrl, options));
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
  return outcomes;
}

/** Tries to bring a probe whose room is gone back the only way today's SDK knows: a reconnection to its room. */
export async function tryComeBack(entryUrl: string, probe: Probe, timeoutMs = 5000): Promise<boolean> {
  const client = new Client(entryUrl.replace(/^http/, 'ws'));
  client.auth.token = probe.accessToken;
  try {
    const room = await withTimeout(client.reconnect(probe.room.reconnectionToken), timeoutMs, 'reconnect');
    await room.leave(true).catch(() => undefined);
    return true;
  } catch {
    return false;
  }
}

export async function leaveAll(probes: Iterable<Probe>): Promise<void> {
  await Promise.all([...probes].map((p) => Promise.race([p.room.leave(true).catch(() => undefined), new Promise((r) => setTimeout(r, 500))])));
}

export const seatExpired = (outcomes: readonly JoinOutcome[]): number => outcomes.filter((o) => /seat reservation expired/i.test(o.error ?? '')).length;

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
