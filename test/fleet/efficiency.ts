/**
 * What N room hosts cost against one process at the same load, and where a difference goes (`npm run fleet --
 * efficiency`). For each fleet size: the room hosts' CPU at rest (no session: the fixed cost of a process), then
 * the load harness on the clients host and the hosts' CPU over its steady state; per session = (busy − hosts ×
 * rest) / sessions. Every join crosses hosts: the harness signs in and matchmakes through the entry's round robin
 * and opens the WebSocket through the seat's prefix; with `--placement least_rooms` the room is also created on
 * another process than the one that took the matchmaking request (Colyseus's IPC), the cross-process case.
 */
import fs from 'node:fs';
import os from 'node:os';
import { Fleet } from './fleet.js';
import { loaded } from './scenario.js';
import type { RunResult } from '../../loadtest/runner.js';

export interface LoadOptions {
  sessions: number;
  spectators: number;
  duration: number;
  ramp: number;
}

/** One fleet size under the harness: CPU at rest and under load (% of a core, /proc), the harness's figures. */
export interface LoadFigures {
  hosts: number;
  /** Each host's CPU with no session, % of a core, over `restSec`. */
  restPct: number[];
  restSec: number;
  /** Each host's CPU over the steady state. */
  busyPct: number[];
  steadySec: number;
  sessionsAtSteady: number;
  /** (busy − rest) summed over the hosts, per 1,000 sessions: the per-session cost. */
  perThousandSessionsPct: number;
  joinMs: { p50: number | null; p99: number | null };
  authMs: { p50: number | null; p99: number | null };
  connected: number;
  failed: number;
  spectators: { connected: number; dropped: number } | null;
  loadAverage: { start: number[]; end: number[] };
  /** Over the steady state, per second: Redis commands by name (INFO commandstats), the hosts' passport flushes and events stored. */
  rates: { redis: Record<string, number>; passportFlushes: number; passportEvents: number };
  result: Partial<RunResult>;
}

interface Counts {
  at: number;
  redis: Record<string, number>;
  passportFlushes: number;
  passportEvents: number;
}

/** Redis's calls per command, and the hosts' passport flushes and stored events, now. */
async function counts(fleet: Fleet): Promise<Counts> {
  const info = await fleet.withRedis((r) => r.info('commandstats'));
  const redis: Record<string, number> = {};
  for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) redis[m[1]!] = Number(m[2]);
  let passportFlushes = 0;
  let passportEvents = 0;
  for (const h of fleet.hosts) {
    const text = await fetch(`http://${h.address}:2567/metrics`, {
      headers: { authorization: `Bearer ${fleet.adminToken}` },
      signal: AbortSignal.timeout(3000),
    })
      .then((r) => r.text())
      .catch(() => '');
    const value = (name: string) =>
      Number(
        text
          .split('\n')
          .find((l) => l.startsWith(`${name} `))
          ?.split(' ')[1] ?? 0,
      );
    passportFlushes += value('ds_passport_flushes_total');
    passportEvents += value('ds_passport_events_persisted_total');
  }
  return { at: Date.now(), redis, passportFlushes, passportEvents };
}

function ratesBetween(a: Counts, b: Counts): LoadFigures['rates'] {
  const sec = (b.at - a.at) / 1000;
  const redis = Object.fromEntries(
    Object.entries(b.redis)
      .map(([name, calls]) => [name, Math.round((calls - (a.redis[name] ?? 0)) / sec)] as const)
      .filter(([, perSec]) => perSec > 0)
      .sort((x, y) => y[1] - x[1]),
  );
  return { redis, passportFlushes: (b.passportFlushes - a.passportFlushes) / sec, passportEvents: (b.passportEvents - a.passportEvents) / sec };
}

/** User + system CPU seconds of a process and its threads (/proc/<pid>/stat, clock ticks of 1/100 s). */
export function cpuSeconds(pid: number | undefined): number {
  if (!pid) return 0;
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Each host's CPU (% of a core) over `ms` from now. */
async function hostsCpu(fleet: Fleet, ms: number): Promise<{ pct: number[]; sec: number }> {
  const from = { at: Date.now(), cpu: fleet.hosts.map((h) => cpuSeconds(h.proc?.child.pid)) };
  await new Promise((r) => setTimeout(r, ms));
  const sec = (Date.now() - from.at) / 1000;
  return { pct: fleet.hosts.map((h, i) => ((cpuSeconds(h.proc?.child.pid) - from.cpu[i]!) / sec) * 100), sec };
}

/** The harness on a started fleet, with each host's CPU at rest before it and over its steady state. */
export async function measureLoad(fleet: Fleet, o: LoadOptions, log: (line: string) => void, restMs = 10_000): Promise<LoadFigures> {
  const loadStart = os.loadavg();
  const rest = await hostsCpu(fleet, restMs);
  log(`${fleet.hosts.length} host(s) at rest: ${rest.pct.map((p) => p.toFixed(1)).join(' / ')} % of a core`);
  const extra = o.spectators ? ['--spectators', String(o.spectators)] : [];
  const harnessAt = Date.now();
  const running = fleet.harness(
    ['--sessions', String(o.sessions), '--duration', String(o.duration), '--ramp', String(o.ramp), ...extra],
    `load-${fleet.hosts.length}`,
  );
  // Steady state: from the moment the fleet holds 95 % of the sessions until 2 s before the harness's duration ends.
  const steady = loaded(fleet, Math.floor(o.sessions * 0.95), (o.ramp + 120) * 1000).then(async () => {
    // Until 2 s before the harness's duration ends, however late the sessions were all in (a busy box ramps slowly).
    const windowMs = harnessAt + (o.ramp + o.duration - 2) * 1000 - Date.now();
    if (windowMs < 5000)
      throw new Error(`the fleet held 95 % of the sessions only ${Math.round(windowMs / 1000) + 2} s before the harness's end: no steady state`);
    const before = await counts(fleet);
    const busy = await hostsCpu(fleet, windowMs);
    const rates = ratesBetween(before, await counts(fleet));
    return { ...busy, rates, ccu: await fleet.ccu() };
  });
  steady.catch(() => undefined); // awaited below, after the harness: not an unhandled rejection meanwhile
  const run = await running;
  if (run.code !== 0) throw new Error(`the harness exited ${run.code}:\n${run.log.slice(-3000)}`);
  const busy = await steady;
  const result = run.result;
  const restSum = rest.pct.reduce((a, b) => a + b, 0);
  const busySum = busy.pct.reduce((a, b) => a + b, 0);
  const latency = (name: string) => ({ p50: result.latencyMs?.[name]?.p50 ?? null, p99: result.latencyMs?.[name]?.p99 ?? null });
  const s = result.counters?.spectators;
  return {
    hosts: fleet.hosts.length,
    restPct: rest.pct,
    restSec: rest.sec,
    busyPct: busy.pct,
    steadySec: busy.sec,
    sessionsAtSteady: busy.ccu,
    perThousandSessionsPct: ((busySum - restSum) / Math.max(1, busy.ccu)) * 1000,
    joinMs: latency('joinSession'),
    authMs: latency('authDevice'),
    connected: result.counters?.sessions.connected ?? 0,
    failed: result.counters?.sessions.failed ?? 0,
    spectators: s ? { connected: s.connected, dropped: s.dropped } : null,
    loadAverage: { start: loadStart, end: os.loadavg() },
    rates: busy.rates,
    result,
  };
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const f1 = (x: number) => x.toFixed(1);

/** busy = a + c × sessions through two loads of one fleet size: `a` what its processes cost once active, `c` per session. */
export function fit(runs: readonly LoadFigures[]): { activePct: number; perSessionPct: number } | null {
  if (runs.length < 2) return null;
  const [lo, hi] = [...runs].sort((x, y) => x.sessionsAtSteady - y.sessionsAtSteady) as [LoadFigures, LoadFigures];
  const span = hi.sessionsAtSteady - lo.sessionsAtSteady;
  if (span <= 0) return null;
  const perSessionPct = (sum(hi.busyPct) - sum(lo.busyPct)) / span;
  return { activePct: sum(hi.busyPct) - perSessionPct * hi.sessionsAtSteady, perSessionPct };
}

/** The comparison as text: each run's figures; per fleet size the fit; the ratio per session, and where the difference goes. */
export function describeEfficiency(runs: LoadFigures[], extrapolateTo = 1500): string {
  const lines = runs.map(
    (r) =>
      `${r.hosts} host(s): ${r.sessionsAtSteady} sessions, busy ${r.busyPct.map(f1).join(' + ')} = ${f1(sum(r.busyPct))} % of a core; ` +
      `at rest ${r.restPct.map(f1).join(' + ')} = ${f1(sum(r.restPct))} %; ` +
      `join p50 / p99 ${r.joinMs.p50} / ${r.joinMs.p99} ms (sign-in ${r.authMs.p50} / ${r.authMs.p99} ms); ` +
      `connected ${r.connected}, failed ${r.failed}${r.spectators ? `, spectators ${r.spectators.connected} (dropped ${r.spectators.dropped})` : ''}; ` +
      `load average ${r.loadAverage.start.map(f1).join(' ')} → ${r.loadAverage.end.map(f1).join(' ')}; ` +
      `per second: Redis ${sum(Object.values(r.rates.redis))} commands (${Object.entries(r.rates.redis)
        .slice(0, 5)
        .map(([name, n]) => `${name} ${n}`)
        .join(', ')}), ${f1(r.rates.passportFlushes)} passport flushes of ${f1(r.rates.passportEvents / Math.max(1e-9, r.rates.passportFlushes))} events`,
  );
  const sizes = [...new Set(runs.map((r) => r.hosts))].sort((a, b) => a - b);
  const fits = new Map(sizes.map((n) => [n, fit(runs.filter((r) => r.hosts === n))] as const));
  for (const [n, f] of fits)
    if (f)
      lines.push(
        `${n} host(s), busy = a + c × sessions: a = ${f1(f.activePct)} % of a core (${f1(f.activePct / n)} % per process once active), c = ${(f.perSessionPct * 1000).toFixed(1)} % per 1,000 sessions`,
      );
  const [one, many] = [sizes[0], sizes[sizes.length - 1]];
  if (one === undefined || many === undefined || one === many) return lines.join('\n');
  const top = (n: number) => runs.filter((r) => r.hosts === n).sort((x, y) => y.sessionsAtSteady - x.sessionsAtSteady)[0]!;
  const [a, b] = [top(one), top(many)];
  const perSession = (r: LoadFigures) => sum(r.busyPct) / Math.max(1, r.sessionsAtSteady);
  lines.push(
    `${many} hosts / ${one} process, CPU per session at ${b.sessionsAtSteady} sessions: ${(perSession(b) / perSession(a)).toFixed(2)}× ` +
      `(${f1(sum(b.busyPct))} % against ${f1(sum(a.busyPct))} % of a core at ${a.sessionsAtSteady})`,
  );
  const [fa, fb] = [fits.get(one), fits.get(many)];
  if (fa && fb) {
    const at = (f: { activePct: number; perSessionPct: number }, sessions: number) => f.activePct + f.perSessionPct * sessions;
    const extra = at(fb, b.sessionsAtSteady) - at(fa, b.sessionsAtSteady);
    lines.push(
      `where the ${f1(extra)} % more goes at ${b.sessionsAtSteady} sessions: ${f1(fb.activePct - fa.activePct)} % fixed (processes once active; ` +
        `${f1(sum(b.restPct) - sum(a.restPct))} % of it at rest), ${f1((fb.perSessionPct - fa.perSessionPct) * b.sessionsAtSteady)} % per session; ` +
        `by the fit, ${(at(fb, extrapolateTo) / at(fa, extrapolateTo)).toFixed(2)}× at ${extrapolateTo.toLocaleString('en')} sessions`,
    );
  }
  return lines.join('\n');
}
