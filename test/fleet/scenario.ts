/**
 * What the fleet scenarios share: the background load (the harness on the clients host), the Colyseus
 * presence entries of one process, and the printed figures.
 */
import type { RunResult } from '../../loadtest/runner.js';
import type { Fleet } from './fleet.js';

/** Every scenario prints its figures in one block, whatever its verdict. */
export function report(title: string, figures: Record<string, unknown>): void {
  const width = Math.max(...Object.keys(figures).map((k) => k.length));
  const lines = Object.entries(figures).map(
    ([k, v]) => `  ${k.padEnd(width)}  ${typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(1) : typeof v === 'object' ? JSON.stringify(v) : String(v)}`,
  );
  process.stdout.write(`\n  [fleet] ${title}\n${lines.join('\n')}\n`);
}

/**
 * The load harness in the background: `sessions` bots for `seconds` after a short ramp; no drops of its own.
 * `ready()` resolves once the fleet holds 95 % of them on top of what it held before (the ramp is over).
 */
export async function background(fleet: Fleet, label: string, sessions: number, seconds: number, extra: string[] = []) {
  const base = await fleet.ccu();
  const done = fleet.harness(
    ['--sessions', String(sessions), '--ramp', '5', '--duration', String(seconds), '--grace', '3', '--drop-fraction', '0', '--workers', '1', ...extra],
    label,
  );
  return { done, ready: () => loaded(fleet, base + Math.floor(sessions * 0.95)) };
}

/** The harness's session totals, for the figures and the checks. */
export function sessionTotals(run: { result: Partial<RunResult>; code: number | null }) {
  const s: Partial<NonNullable<RunResult['counters']>['sessions']> = run.result.counters?.sessions ?? {};
  return {
    exit: run.code,
    planned: s.planned,
    connected: s.connected,
    failed: s.failed,
    dropped: s.dropped,
    connectedAtEnd: s.connectedAtEnd,
    reconnects: run.result.counters?.reconnects,
    joinFailures: run.result.counters?.joinFailures ?? {},
    joinP99Ms: run.result.latencyMs?.joinSession?.p99,
    authP99Ms: run.result.latencyMs?.authDevice?.p99,
    swipeToPatchP99Ms: run.result.latencyMs?.swipeToPatch?.p99,
  };
}

/** The harness's moves and resumes (loadtest/handoff.ts), the figures a scenario prints. */
export function handoffFigures(run: { result: Partial<RunResult> }) {
  const h = run.result.handoff;
  if (!h) return null;
  return {
    moved: h.moved,
    crashed: h.crashed,
    resumed: h.resumed,
    sameSessionId: h.sameSessionId,
    closed: h.closed,
    freshSessions: h.freshSessions,
    rejoinMsP50: h.rejoinMsP50,
    rejoinMsP99: h.rejoinMsP99,
    gapMsP99: h.gapMsP99,
    gapMsMax: h.gapMsMax,
    stationMismatch: h.stationMismatch,
    starsMismatch: h.starsMismatch,
    changedInFlight: h.changedInFlight,
    restoredFrom: h.restoredFrom,
    rejoinRetries: h.rejoinRetries,
  };
}

/** The harness's record of resumes it could not square with the session before (loadtest/handoff.ts), for a failure message. */
export function handoffOutliers(run: { result: Partial<RunResult> }) {
  return (run.result.outliers ?? []).filter((o) => o.kind !== undefined && o.kind !== 'swipeToPatch');
}

export interface PresenceOf {
  /** Colyseus' `roomcount` hash field (its process list). */
  roomcount: boolean;
  /** Our `roomhosts` announcement (src/roomHosts.ts), epoch ms, or null. */
  roomhost: string | null;
  /** Colyseus' `roomcaches` entries (room listings, the driver) of rooms on this process. */
  roomcaches: number;
  /** Its IPC channel `p:<processId>` is still subscribed. */
  channel: boolean;
}

export async function presenceOf(fleet: Fleet, processId: string): Promise<PresenceOf> {
  return fleet.withRedis(async (r) => {
    const [count, host, caches, channels] = await Promise.all([
      r.hexists('roomcount', processId),
      r.hget(`${fleet.redisPrefix}roomhosts`, processId),
      r.hgetall('roomcaches'),
      r.pubsub('CHANNELS', `p:${processId}`),
    ]);
    return {
      roomcount: count === 1,
      roomhost: host,
      roomcaches: Object.values(caches).filter((v) => v.includes(`"${processId}"`)).length,
      channel: (channels as string[]).length > 0,
    };
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` holds; resolves with the ms it took, or null at the deadline. */
export async function within(ms: number, check: () => Promise<boolean> | boolean, everyMs = 250): Promise<number | null> {
  const start = Date.now();
  while (Date.now() - start <= ms) {
    if (await Promise.resolve(check()).catch(() => false)) return Date.now() - start;
    await sleep(everyMs);
  }
  return null;
}

/** Waits until the fleet holds at least `sessions` connected sessions. */
export async function loaded(fleet: Fleet, sessions: number, timeoutMs = 60_000): Promise<number> {
  const ms = await within(timeoutMs, async () => (await fleet.ccu()) >= sessions, 500);
  if (ms === null) throw new Error(`the background load did not reach ${sessions} sessions within ${timeoutMs} ms (now ${await fleet.ccu().catch(() => '?')})`);
  return ms;
}
