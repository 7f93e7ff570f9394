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
  /** From its `welcome` (or `resumed`): the session id and the credential a resume presents. */
  sessionId?: string;
  resume?: string;
}

export interface ResumeOutcome {
  ok: boolean;
  /** Epoch ms of the `resumed` reply (or of giving up). */
  at: number;
  attempts: number;
  sessionId?: string;
  restoredFrom?: string;
  letter?: string;
  error?: string;
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

interface Seat {
  roomId: string;
  sessionId: string;
  publicAddress?: string;
}

/** A seat from the matchmaker (`options` on top of the probe's device); throws with the status and code when refused. */
async function reserveSeat(base: string, accessToken: string, options: Record<string, unknown>, timeoutMs: number): Promise<Seat> {
  const res = await fetch(`${base}/matchmake/create/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${accessToken}` },
    body: JSON.stringify({ deviceModel: 'fleet-probe', appVersion: 'fleet/1', ...options }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const seat = (await res.json().catch(() => ({}))) as Partial<Seat> & { error?: string; code?: number };
  if (!res.ok || !seat.roomId) throw new Error(`matchmake ${res.status} ${seat.code ?? ''} ${seat.error ?? ''}`.trim());
  return seat as Seat;
}

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
    const seat = await reserveSeat(base, who.accessToken, {}, Math.max(1, Math.round(timeoutMs - (performance.now() - started))));
    letter = seat.publicAddress?.split('/').pop();
    phase = 'join';
    const client = new Client(entryUrl.replace(/^http/, 'ws'));
    client.auth.token = who.accessToken;
    const room = await withTimeout(client.consumeSeatReservation(seat as never), Math.max(1, timeoutMs - (performance.now() - started)), 'join');
    room.reconnection.enabled = false; // the scenario decides what coming back means
    const probe: Probe = { letter: letter ?? '?', room, accessToken: who.accessToken };
    room.onMessage('welcome', (m: { sessionId?: string; resume?: string }) => Object.assign(probe, { sessionId: m.sessionId, resume: m.resume }));
    room.onLeave((code: number) => void (probe.left = { code, at: Date.now() }));
    room.onError(() => undefined);
    return { ok: true, ms: performance.now() - started, letter, probe };
  } catch (err) {
    return { ok: false, ms: performance.now() - started, letter, error: `${phase}: ${(err as Error).message}` };
  }
}

/** `count` probes, `concurrency` at a time. */
export async function joinProbes(
  entryUrl: string,
  count: number,
  options: { via?: string; timeoutMs?: number; concurrency?: number } = {},
): Promise<JoinOutcome[]> {
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

/**
 * Brings back a probe whose process is gone, as a client does after a crash (docs/PROTOCOL.md "Moving and
 * resuming"): a join through the entry with its `resume` credential, until a `resumed` reply or the deadline.
 * A refusal (a dead upstream's 502, RESUME_BUSY) is retried after 250 ms. The resumed room replaces the probe's.
 */
export async function resumeProbe(entryUrl: string, probe: Probe, deadlineMs = 15_000): Promise<ResumeOutcome> {
  const until = Date.now() + deadlineMs;
  let attempts = 0;
  let error = probe.resume ? '' : 'no resume credential (no welcome seen)';
  while (probe.resume && Date.now() < until) {
    attempts++;
    const client = new Client(entryUrl.replace(/^http/, 'ws'));
    client.auth.token = probe.accessToken;
    try {
      const seat = await reserveSeat(entryUrl, probe.accessToken, { resume: probe.resume }, Math.max(1, until - Date.now()));
      const room = await withTimeout(client.consumeSeatReservation(seat as never), Math.max(1, until - Date.now()), 'join');
      room.reconnection.enabled = false;
      const reply = await withTimeout(
        new Promise<{ sessionId: string; resume: string; restoredFrom: string }>((resolve) => room.onMessage('resumed', resolve)),
        Math.max(1, until - Date.now()),
        'resumed',
      );
      const at = Date.now();
      room.onError(() => undefined);
      Object.assign(probe, { room, sessionId: reply.sessionId, resume: reply.resume, left: undefined, letter: seat.publicAddress?.split('/').pop() ?? '?' });
      room.onLeave((code: number) => void (probe.left = { code, at: Date.now() }));
      return { ok: true, at, attempts, sessionId: reply.sessionId, restoredFrom: reply.restoredFrom, letter: probe.letter };
    } catch (err) {
      error = (err as Error).message;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return { ok: false, at: Date.now(), attempts, error };
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
