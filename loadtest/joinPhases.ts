/**
 * Where a join's time goes, client side and server side, for joins that go through process
 * A (sign-in and matchmaking at the first server) and land on another process or on A itself:
 *
 *   npx tsx loadtest/joinPhases.ts --probes 200 --probe-rate 10 -- --spawn uws --processes 2 \
 *     --sessions 300 --duration 30 --ramp 10 --drop-fraction 0 --seed 7 --quiet
 *
 * Everything after `--` is the load test's own options (loadtest/args.ts): the servers it spawns and
 * the background sessions. The probes start once the background ramp is over, paced at --probe-rate,
 * each a new device: `POST /api/auth/device`, `POST /matchmake/create/session`, the room's WebSocket
 * at the seat's publicAddress, JOIN_ROOM, the first full state. Server phases are the difference of
 * `ds_join_phase_seconds` (src/joinPhases.ts) across every process between the probes' first and last.
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import { ArgsError, parseArgs, type LoadTestOptions } from './args.js';
import { withSpawned } from './cli.js';
import { signInNewDevice } from './auth.js';
import { PROTOCOL } from './lightSessionBot.js';
import { bucketsOf, parsePrometheusText, quantileBetween, valueOf, type Sample } from './promText.js';
import { RedisSampler, type RedisSummary } from './redisSampler.js';
import { runLoad } from './runner.js';
import { withTimeout } from './sessionBot.js';

const CLIENT_PHASES = ['auth', 'matchmake', 'ws_open', 'join', 'first_state', 'total'] as const;
type ClientPhase = (typeof CLIENT_PHASES)[number];
const SERVER_PHASES = [
  'matchmake',
  'select_process',
  'ipc_create_room',
  'remote_create_room',
  'ipc_reserve_seat',
  'remote_reserve_seat',
  'on_auth',
  'on_join',
] as const;
const ROOM_STATE = 14;

interface ProbeOptions {
  probes: number;
  ratePerSec: number;
  load: LoadTestOptions;
}

export function parseProbeArgs(argv: readonly string[]): ProbeOptions {
  const split = argv.indexOf('--');
  const own = split < 0 ? argv : argv.slice(0, split);
  const loadArgs = split < 0 ? ['--spawn', 'uws', '--processes', '2', '--duration', '1'] : argv.slice(split + 1);
  // No background sessions is a valid probe run (the load test itself refuses to run nothing).
  const load = parseArgs([...loadArgs, '--sessions', '1']);
  const sessions = loadArgs.lastIndexOf('--sessions');
  load.sessions = sessions >= 0 ? parseArgs(['--sessions', loadArgs[sessions + 1], '--spectators', '1']).sessions : 0;
  if (!load.spawn) throw new ArgsError('the load options after -- need --spawn uws|ws (the probes talk to spawned servers)');
  const o: ProbeOptions = { probes: 100, ratePerSec: 10, load };
  for (let i = 0; i < own.length; i += 2) {
    const value = Number(own[i + 1]);
    if (own[i] === '--probes' && Number.isInteger(value) && value >= 1 && value <= 10_000) o.probes = value;
    else if (own[i] === '--probe-rate' && value > 0 && value <= 200) o.ratePerSec = value;
    else throw new ArgsError(`unknown or bad option ${own[i]} ${own[i + 1] ?? ''}: --probes 1..10000, --probe-rate 0..200 (joins/s)`);
  }
  return o;
}

type Timings = Partial<Record<ClientPhase, number>>;

/**
 * One join through `viaUrl`: every client phase in ms, and whether the seat was on another process.
 * The session stays (its room counts for placement, like a real one) until every probe has joined.
 */
async function probe(viaUrl: string, sockets: WebSocket[]): Promise<{ timings: Timings; remote: boolean }> {
  const timings: Timings = {};
  const t0 = performance.now();
  const { accessToken } = await signInNewDevice(viaUrl, 'join-probe');
  const t1 = performance.now();
  timings.auth = t1 - t0;
  const http = viaUrl.replace(/^ws/, 'http');
  const res = await fetch(`${http}/matchmake/create/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${accessToken}` },
    body: JSON.stringify({ deviceModel: 'join-probe' }),
  });
  const seat = (await res.json().catch(() => ({}))) as { roomId?: string; sessionId?: string; processId?: string; publicAddress?: string; error?: string };
  if (!res.ok || !seat.roomId || !seat.sessionId) throw new Error(`matchmake ${res.status} ${seat.error ?? ''}`);
  const t2 = performance.now();
  timings.matchmake = t2 - t1;
  const host = seat.publicAddress ? `ws://${seat.publicAddress}` : viaUrl;
  const socket = new WebSocket(
    `${host}/${seat.processId}/${seat.roomId}?sessionId=${encodeURIComponent(seat.sessionId)}&_authToken=${encodeURIComponent(accessToken)}`,
    { perMessageDeflate: false },
  );
  sockets.push(socket);
  await withTimeout(
    new Promise<void>((resolve, reject) => {
      socket.once('open', () => (timings.ws_open = performance.now() - t2));
      socket.on('message', (data: Buffer) => {
        if (data[0] === PROTOCOL.JOIN_ROOM && timings.join === undefined) {
          timings.join = performance.now() - t2 - (timings.ws_open ?? 0);
          socket.send(Buffer.from([PROTOCOL.JOIN_ROOM]));
        } else if ((data[0] & 31) === ROOM_STATE && timings.first_state === undefined) {
          timings.first_state = performance.now() - t2 - (timings.ws_open ?? 0) - (timings.join ?? 0);
          timings.total = performance.now() - t0;
          resolve();
        }
      });
      socket.once('error', reject);
      socket.once('close', (code) => reject(new Error(`closed ${code} before the first state`)));
    }),
    15_000,
    'join',
  );
  return { timings, remote: seat.publicAddress !== undefined && `ws://${seat.publicAddress}` !== viaUrl };
}

const pct = (values: number[], q: number): number | null => {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
};
const ms = (v: number | null): string => (v === null ? '–' : v.toFixed(1));

async function scrape(urls: string[], adminToken: string): Promise<Sample[][]> {
  return Promise.all(
    urls.map(async (u) =>
      parsePrometheusText(await (await fetch(`${u.replace(/^ws/, 'http')}/metrics`, { headers: { authorization: `Bearer ${adminToken}` } })).text()),
    ),
  );
}

/** Server phase rows over all processes: count, mean and p50/p95/p99 (bucket-interpolated) in ms. */
function serverPhases(before: Sample[][], after: Sample[][]): Array<Record<string, string | number>> {
  return SERVER_PHASES.map((phase) => {
    const sum = (s: Sample[][], suffix: string) => s.reduce((acc, p) => acc + (valueOf(p, `ds_join_phase_seconds_${suffix}`, { phase }) ?? 0), 0);
    const merge = (s: Sample[][]) => {
      const out = new Map<number, number>();
      for (const p of s) for (const [le, n] of bucketsOf(p, 'ds_join_phase_seconds', { phase })) out.set(le, (out.get(le) ?? 0) + n);
      return out;
    };
    const [b, a] = [merge(before), merge(after)];
    const count = sum(after, 'count') - sum(before, 'count');
    const q = (x: number) => ms(count > 0 ? (quantileBetween(b, a, x) ?? 0) * 1000 : null);
    return { phase, count, mean: ms(count > 0 ? ((sum(after, 'sum') - sum(before, 'sum')) / count) * 1000 : null), p50: q(0.5), p95: q(0.95), p99: q(0.99) };
  });
}

export async function runProbes(o: ProbeOptions): Promise<Record<string, unknown>> {
  const dir = path.dirname(o.load.out ?? 'loadtest-results/x.json');
  fs.mkdirSync(dir, { recursive: true });
  return withSpawned(o.load, o.load.spawn!, dir, async (servers, load) => {
    const background = load.sessions > 0 ? runLoad({ ...load, quiet: true }, 'background', () => undefined) : null;
    await new Promise((r) => setTimeout(r, (load.sessions > 0 ? load.rampSec + 2 : 0) * 1000));
    const urls = servers.map((s) => s.url);
    const before = await scrape(urls, servers[0].adminToken);
    // Redis-wide counters: per join only when nothing else uses this Redis (e.g. a private redis-server).
    const redis = load.redisUrl ? new RedisSampler(load.redisUrl) : null;
    await redis?.markStart();
    const results: Array<{ timings: Timings; remote: boolean }> = [];
    const failures: string[] = [];
    const sockets: WebSocket[] = [];
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: o.probes }, async (_, i) => {
        await new Promise((r) => setTimeout(r, (i * 1000) / o.ratePerSec));
        await probe(urls[0], sockets).then(
          (r) => results.push(r),
          (err: Error) => failures.push(err.message),
        );
      }),
    );
    const probeSec = (performance.now() - t0) / 1000;
    for (const socket of sockets) {
      if (socket.readyState === WebSocket.OPEN) socket.send(Buffer.from([PROTOCOL.LEAVE_ROOM]));
      setTimeout(() => socket.terminate(), 2000).unref();
    }
    const after = await scrape(urls, servers[0].adminToken);
    await redis?.markEnd();
    const redisWindow = redis?.summarize(probeSec, 0, 20);
    await redis?.close();
    const backgroundResult = await background;
    const client = (remote: boolean) =>
      CLIENT_PHASES.map((phase) => {
        const v = results
          .filter((r) => r.remote === remote)
          .map((r) => r.timings[phase])
          .filter((x): x is number => x !== undefined);
        return { phase, count: v.length, p50: ms(pct(v, 0.5)), p95: ms(pct(v, 0.95)), p99: ms(pct(v, 0.99)), max: ms(pct(v, 1)) };
      });
    return {
      at: new Date().toISOString(),
      processes: servers.length,
      backgroundSessions: load.sessions,
      probes: o.probes,
      probeRatePerSec: o.ratePerSec,
      probeSec: Math.round(probeSec * 10) / 10,
      failures,
      clientOtherProcess: client(true),
      clientSameProcess: client(false),
      server: serverPhases(before, after),
      redis: redisWindow && {
        ...redisWindow,
        commandsPerJoin: redisWindow.commandsTotal !== undefined ? Math.round((redisWindow.commandsTotal / o.probes) * 10) / 10 : null,
        top: redisWindow.top,
      },
      background: backgroundResult && {
        machine: backgroundResult.machine,
        serverCpuPercentAvg: backgroundResult.server.cpuPercentAvg,
        joinSessionMs: backgroundResult.latencyMs.joinSession,
        connected: backgroundResult.counters.sessions.connected,
        failed: backgroundResult.counters.sessions.failed,
      },
    };
  });
}

function table(title: string, rows: Array<Record<string, string | number>>): string {
  if (!rows.length) return '';
  const cols = Object.keys(rows[0]);
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join(' | ');
  return [title, line(cols), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map((r) => line(cols.map((c) => String(r[c]))))].join('\n');
}

function redisLine(r: (RedisSummary & { commandsPerJoin: number | null }) | undefined): string {
  if (!r?.available) return `redis: ${r?.reason ?? 'not sampled'}`;
  return `redis over the probes (Redis-wide): ${r.commandsTotal} commands, ${r.commandsPerJoin} per join: ${(r.top ?? []).map((c) => `${c.command} ${c.calls}`).join(', ')}\n`;
}

if (process.argv[1]?.endsWith('loadtest/joinPhases.ts')) {
  let options: ProbeOptions;
  try {
    options = parseProbeArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
  runProbes(options).then(
    (r) => {
      const out = options.load.out ?? path.join('loadtest-results', `join-phases-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
      fs.writeFileSync(out, JSON.stringify(r, null, 2));
      const head = `${r.probes} joins through process 1 of ${r.processes} at ${r.probeRatePerSec}/s (${r.probeSec} s) with ${r.backgroundSessions} background sessions; failures ${(r.failures as string[]).length}`;
      process.stdout.write(
        `${head}\n\n${table('client, seat on another process (ms)', r.clientOtherProcess as never)}\n\n${table('client, seat on process 1 (ms)', r.clientSameProcess as never)}\n\n${table('server phases, all processes (ms)', r.server as never)}\n\n${redisLine(r.redis as never)}\nresults: ${out}\n`,
      );
      process.exit(0);
    },
    (err: Error) => {
      process.stderr.write(`join probes failed: ${err.stack ?? err.message}\n`);
      process.exit(1);
    },
  );
}
