/**
 * Per-message cost: `npm run bench:message-cost` (run it alone: `flock /tmp/bench.lock npm run bench:message-cost`).
 * Env: BENCH_SESSIONS (1000), BENCH_ROUNDS (3), BENCH_PER_SESSION (4 messages per session per window),
 * BENCH_SERVER_CPU (1: the server runs on that CPU alone, `none` to leave it free), BENCH_PROFILE (2: rounds
 * of the profiled pass; 0 skips it), BENCH_KINDS (every type: a comma list measures those, with the idle window).
 *
 * Counting pass: a spawned server (no profiler), N sessions on the real SDK. Windows in turn, every round:
 * idle (nothing sent), then each session-room input type sent at a fixed rate (each session every
 * `intervalMs`, sessions spread evenly), each window followed by a 3 s tail so locks, zoom arrivals and
 * passport flushes fall inside it. Server CPU per window is the sum of /proc/<pid>/task/* /schedstat (ns, all
 * threads); a message's cost is (window CPU − the round's idle CPU rate × window length) ÷ messages sent.
 * Statements are the server database's transactions over the window (pg_stat_database: each autocommit statement is
 * one) ÷ messages, not less the idle window's: a busy round's writes (badges, suggestions) still land in the next
 * idle window, so each window is charged whatever it holds, an upper bound. Write syscalls are less the idle rate:
 * they also count libuv's eventfd wakeups, which come in bursts.
 *
 * 1,000 sessions by default: swipes then arrive at 500 a second, as in the BENCHMARKS 1,500-session run, and the
 * budgets are what a message costs on a busy server. At 100 sessions the server sleeps between messages and each one
 * also pays the wakeup, the ticker's firings and an unshared write (BENCHMARKS.md, "Per-message cost").
 * Frames and payload bytes are counted where the SDK touches the socket. An idle session-second is the idle
 * rate minus the rate of the same server with no sessions, ÷ sessions.
 *
 * Profiled pass: the same windows again on a fresh server started with --cpu-prof; the samples of each
 * window are grouped by area (bench/support/cpuProfileAreas.ts), less the idle window's rate per area; when
 * `perf` is installed, the same server is also sampled on-CPU (bench/support/perfAreas.ts) for a second grouping.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { spawnServer, type SpawnedServer } from '../loadtest/spawnServer.js';
import { adminDatabaseUrl, preferLocalPostgres } from './support/postgres.js';
import { CostSession, FrameTally, tallies } from './support/costClient.js';
import { KINDS as ALL_KINDS, type Catalog, type Kind } from './support/messageKinds.js';
import { AREAS, groupProfile, type Area } from './support/cpuProfileAreas.js';
import { procDelta, sampleProc, type ProcSample } from './support/procStats.js';
import { groupPerf, PERF_AREAS, perfAvailable, startPerf } from './support/perfAreas.js';

const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PER_SESSION = Number(process.env.BENCH_PER_SESSION ?? 4);
const SERVER_CPU = process.env.BENCH_SERVER_CPU ?? '1';
const PROFILE_ROUNDS = Number(process.env.BENCH_PROFILE ?? 2);
const TAIL_MS = 3000;
// BENCH_KINDS=capture,tap_orb measures those types only (the idle window always runs: every cost is less its rate).
const ONLY = process.env.BENCH_KINDS?.split(',').map((k) => k.trim());
const KINDS = ALL_KINDS.filter((k) => k.name === 'idle' || !ONLY || ONLY.includes(k.name));
if (ONLY && KINDS.length !== ONLY.filter((k) => k !== 'idle').length + 1)
  throw new Error(`BENCH_KINDS names an unknown type; known: ${ALL_KINDS.map((k) => k.name).join(', ')}`);
const ROOT = path.resolve(import.meta.dirname, '..');

/** What a window is charged for: the server's /proc counters and its database's statements. */
type WindowSample = ProcSample & { statements: number };

interface WindowResult {
  kind: Kind;
  round: number;
  proc: WindowSample;
  wallNs: number;
  sent: number;
  answered: number;
  errors: number;
  tally: FrameTally;
  /** CLOCK_MONOTONIC µs, to cut a CPU profile. */
  start: number;
  end: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? NaN;
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

async function catalogOf(server: SpawnedServer): Promise<Catalog> {
  const body = (await fetch(`${server.url.replace(/^ws/, 'http')}/api/stations`).then((r) => r.json())) as { stations: Array<Record<string, unknown>> };
  const stations = body.stations.filter((s) => typeof s.frequency === 'number' && typeof s.artistId === 'string');
  if (!stations.length) throw new Error(`GET /api/stations listed no stations: ${JSON.stringify(body).slice(0, 300)}`);
  return {
    frequencies: stations.map((s) => s.frequency as number),
    artists: stations.map((s) => ({ artistId: s.artistId as string, name: String(s.artistName ?? s.name ?? s.artistId) })),
  };
}

const count = (sessions: CostSession[], type: string) => sessions.reduce((n, x) => n + (x.received.get(type) ?? 0), 0);

/** Statistics reach pg_stat_database within about a second of a commit; each read is one transaction of its own. */
const TRANSACTIONS = `SELECT (xact_commit + xact_rollback)::text AS n FROM pg_stat_database WHERE datname = current_database()`;

async function statementCounter(databaseUrl: string): Promise<{ read(): Promise<number>; end(): Promise<void> }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  return { read: async () => Number((await client.query<{ n: string }>(TRANSACTIONS)).rows[0].n), end: () => client.end() };
}

/** Sends `kind` once per session and waits (30 s at most) for the answers. */
async function prime(kind: Kind, sessions: CostSession[], round: number, catalog: Catalog): Promise<void> {
  const before = count(sessions, kind.answer!);
  let sent = 0;
  sessions.forEach((session, s) => {
    const payload = kind.payload!(session, s, -1, round, catalog);
    if (!payload) return;
    session.send(kind.name, payload);
    sent++;
  });
  for (let i = 0; i < 300 && count(sessions, kind.answer!) < before + sent; i++) await sleep(100);
}

async function runWindow(
  server: { pid: number; statements: () => Promise<number> },
  kind: Kind,
  sessions: CostSession[],
  round: number,
  catalog: Catalog,
): Promise<WindowResult> {
  const { pid } = server;
  if (kind.primed) await prime(kind, sessions, round, catalog);
  const tally = new FrameTally();
  const before = { answered: kind.answer ? count(sessions, kind.answer) : 0, errors: count(sessions, 'error') };
  let sent = 0;
  const timers: NodeJS.Timeout[] = [];
  tallies.current = tally;
  const s0 = await server.statements();
  const p0 = sampleProc(pid);
  const t0 = process.hrtime.bigint();
  if (kind.payload) {
    sessions.forEach((session, s) => {
      for (let k = 0; k < PER_SESSION; k++) {
        const at = (k + s / sessions.length) * kind.intervalMs;
        timers.push(
          setTimeout(() => {
            const payload = kind.payload!(session, s, k, round, catalog);
            if (!payload) return;
            session.send(kind.name, payload);
            sent++;
          }, at),
        );
      }
    });
  }
  await sleep(PER_SESSION * kind.intervalMs + TAIL_MS);
  const t1 = process.hrtime.bigint();
  const p1 = sampleProc(pid);
  const s1 = await server.statements();
  tallies.current = null;
  timers.forEach(clearTimeout);
  const start = Number(t0 / 1000n);
  return {
    kind,
    round,
    tally,
    sent,
    start,
    end: Number(t1 / 1000n),
    proc: { ...procDelta(p0, p1), statements: s1 - s0 - 1 }, // less the first read's own
    wallNs: Number(t1 - t0),
    answered: (kind.answer ? count(sessions, kind.answer) : 0) - before.answered,
    errors: count(sessions, 'error') - before.errors,
  };
}

async function joinAll(url: string): Promise<CostSession[]> {
  const sessions = Array.from({ length: SESSIONS }, () => new CostSession(url));
  for (let i = 0; i < sessions.length; i += 20) await Promise.all(sessions.slice(i, i + 20).map((x) => x.join()));
  await sleep(2000); // the joins' own work (station loads, passport writes) settles
  return sessions;
}

/** Every kind in turn, `rounds` times, on one server: the windows, plus the empty server's CPU rate before anyone joined. */
async function pass(server: SpawnedServer, rounds: number): Promise<{ windows: WindowResult[]; emptyRate: number }> {
  const catalog = await catalogOf(server);
  await sleep(2000);
  const c0 = sampleProc(server.pid).cpuNs;
  const t0 = process.hrtime.bigint();
  await sleep(6000);
  const emptyRate = (sampleProc(server.pid).cpuNs - c0) / Number(process.hrtime.bigint() - t0);
  const sessions = await joinAll(server.url);
  const counter = await statementCounter(server.databaseUrl);
  const host = { pid: server.pid, statements: counter.read };
  // A warm-up round first (not counted): the JIT, the station cache and the connection pools get going.
  for (const kind of KINDS) await runWindow(host, kind, sessions, -1, catalog);
  const windows: WindowResult[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const kind of KINDS) windows.push(await runWindow(host, kind, sessions, round, catalog));
    console.error(`round ${round + 1}/${rounds} done (load ${load()})`);
  }
  await counter.end();
  await Promise.all(sessions.map((x) => x.leave()));
  return { windows, emptyRate };
}

async function spawn(admin: string, cpuProfDir?: string, extraEnv: Record<string, string> = {}): Promise<SpawnedServer> {
  return spawnServer({
    transport: 'uws',
    adminDatabaseUrl: admin,
    logDir: '/tmp/ds-bench-message-cost',
    // A capture's recommendations are recomputed at most every RECOMMENDATION_MIN_INTERVAL_MS: at the default
    // 30 s the folded recomputation lands ~30 s later, in another type's window; at 3 s it lands in the capture
    // window's tail (4 captures 1 s apart: one at once, one folded, as the default does over a journey).
    env: { JOBS_ENABLED: 'false', RECOMMENDATION_MIN_INTERVAL_MS: '3000', ...extraEnv },
    ...(SERVER_CPU === 'none' ? {} : { cpu: Number(SERVER_CPU) }),
    ...(cpuProfDir ? { cpuProfDir } : {}),
  });
}

/** `key` per message in window `w`, less the same round's idle rate of it over the window's length. */
function net(windows: WindowResult[], w: WindowResult, key: keyof WindowSample): number {
  const idle = windows.find((x) => x.round === w.round && x.kind.name === 'idle')!;
  return (w.proc[key] - (idle.proc[key] / idle.wallNs) * w.wallNs) / w.sent;
}

const range = (xs: number[], digits: number) => `${median(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)})`;
const repliesOf = (w: WindowResult) =>
  [...w.tally.replies.values()].reduce((m, c) => ({ frames: m.frames + c.frames, bytes: m.bytes + c.bytes }), { frames: 0, bytes: 0 });

function idleRow(ws: WindowResult[], emptyRate: number): string {
  const perSessionSec = ws.map((w) => ((w.proc.cpuNs / w.wallNs - emptyRate) / SESSIONS) * 1e6);
  const frames = ws.reduce((n, w) => n + w.tally.patches.frames + repliesOf(w).frames, 0);
  const secs = ws.reduce((n, w) => n + w.wallNs / 1e9, 0) * SESSIONS;
  return `| idle session-second | ${range(perSessionSec, 1)} | | | | | | 0 | ${(frames / secs).toFixed(3)} | | | | the server with no sessions: ${(emptyRate * 100).toFixed(2)} % of a core |`;
}

/** The hot path's budget per message (µs of server CPU; pg statements ≤ 0.05 each): the lean-hot-path goal. */
const BUDGET_US: Record<string, number> = { swipe: 150, tune: 150, tap_orb: 250, capture: 400, search: 300, journal: 300, sensor_batch: 100 };
const PG_STATEMENTS_BUDGET = 0.05;

function messageRow(windows: WindowResult[], kind: Kind): string {
  const ws = windows.filter((w) => w.kind === kind);
  const sent = ws.reduce((n, w) => n + w.sent, 0);
  const sum = (f: (w: WindowResult) => number) => ws.reduce((n, w) => n + f(w), 0);
  const us = ws.map((w) => net(windows, w, 'cpuNs') / 1000);
  const kernel = sum((w) => net(windows, w, 'sysTicks')) / sum((w) => net(windows, w, 'sysTicks') + net(windows, w, 'userTicks'));
  const offMain = 1 - sum((w) => net(windows, w, 'mainNs')) / sum((w) => net(windows, w, 'cpuNs'));
  const writes = sum((w) => net(windows, w, 'syscw') * w.sent) / sent;
  const statements = sum((w) => w.proc.statements) / sent;
  const patches = sum((w) => w.tally.patches.frames);
  const patchBytes = sum((w) => w.tally.patches.bytes);
  const types = new Map<string, { frames: number; bytes: number }>();
  for (const w of ws)
    for (const [t, c] of w.tally.replies) types.set(t, { frames: (types.get(t)?.frames ?? 0) + c.frames, bytes: (types.get(t)?.bytes ?? 0) + c.bytes });
  const replies = [...types]
    .sort((a, b) => b[1].frames - a[1].frames)
    .map(([t, c]) => `${t} ${(c.frames / sent).toFixed(2)} (${(c.bytes / c.frames).toFixed(0)})`)
    .join(', ');
  const answered = `${kind.answer} ${sum((w) => w.answered)}/${sent}${sum((w) => w.errors) ? `, errors ${sum((w) => w.errors)}` : ''}`;
  const budget = BUDGET_US[kind.name];
  const cells = [
    kind.name,
    range(us, 0),
    budget ? `${budget}: ${median(us) <= budget && statements <= PG_STATEMENTS_BUDGET ? 'met' : 'missed'}` : '',
    `${(kernel * 100).toFixed(0)} %`,
    `${(offMain * 100).toFixed(0)} %`,
    statements.toFixed(2),
    writes.toFixed(1),
    (sum((w) => w.tally.out.bytes) / sent).toFixed(0),
    ((patches + sum((w) => repliesOf(w).frames)) / sent).toFixed(2),
    ((patchBytes + sum((w) => repliesOf(w).bytes)) / sent).toFixed(0),
    `${(patches / sent).toFixed(2)} (${patches ? (patchBytes / patches).toFixed(0) : '–'})`,
    replies,
    answered,
  ];
  return `| ${cells.join(' | ')} |`;
}

function costTable(windows: WindowResult[], emptyRate: number): string[] {
  return [
    `| message | µs server CPU / msg, median (min–max) | budget µs (and ≤ ${PG_STATEMENTS_BUDGET} pg statements) | kernel | off main thread | pg statements / msg | write syscalls / msg | bytes in / msg | frames out / msg | bytes out / msg | patches / msg (B each) | replies / msg (B each) | answered |`,
    '| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |',
    ...KINDS.map((kind) =>
      kind.name === 'idle'
        ? idleRow(
            windows.filter((w) => w.kind === kind),
            emptyRate,
          )
        : messageRow(windows, kind),
    ),
  ];
}

const SHOWN: Area[] = ['schema', 'colyseus core', 'uWS', 'zod', 'msgpack', 'pg', 'rooms/', 'features/', 'systems/', 'persistence/', 'src/', 'GC'];

function areaTable(windows: WindowResult[], profile: string): string[] {
  const grouped = groupProfile(profile, ROOT, windows);
  const lines = [`| message | ${SHOWN.join(' | ')} | other | total |`, `| --- |${' ---: |'.repeat(SHOWN.length + 2)}`];
  const encode = { schema: 0, msgpack: 0, patches: 0, replies: 0 };
  for (const kind of KINDS.filter((k) => k.name !== 'idle')) {
    const perArea = new Map<Area, number>();
    let sent = 0;
    windows.forEach((w, i) => {
      if (w.kind !== kind) return;
      const idle = windows.findIndex((x) => x.round === w.round && x.kind.name === 'idle');
      const scale = (w.end - w.start) / (windows[idle].end - windows[idle].start);
      for (const a of AREAS) perArea.set(a, (perArea.get(a) ?? 0) + (grouped[i].get(a) ?? 0) - (grouped[idle].get(a) ?? 0) * scale);
      sent += w.sent;
      encode.schema += grouped[i].get('schema') ?? 0;
      encode.msgpack += grouped[i].get('msgpack') ?? 0;
      encode.patches += w.tally.patches.frames;
      encode.replies += repliesOf(w).frames;
    });
    const per = (a: Area) => (perArea.get(a) ?? 0) / sent;
    const other = AREAS.filter((a) => !SHOWN.includes(a)).reduce((n, a) => n + per(a), 0);
    lines.push(
      `| ${kind.name} | ${SHOWN.map((a) => per(a).toFixed(0)).join(' | ')} | ${other.toFixed(0)} | ${AREAS.reduce((n, a) => n + per(a), 0).toFixed(0)} |`,
    );
  }
  lines.push(
    '',
    `@colyseus/schema (change tracking + encode) per patch frame: ${(encode.schema / encode.patches).toFixed(1)} µs; msgpack per reply frame: ${(encode.msgpack / encode.replies).toFixed(1)} µs (all input windows of the profiled pass).`,
  );
  return lines;
}

/** µs of on-CPU time per message by area (perf samples at 999 Hz, less the idle window's, summed over rounds). */
function perfTable(windows: WindowResult[], file: string): string[] {
  const grouped = groupPerf(file, windows);
  const lines = [`| message | ${PERF_AREAS.join(' | ')} | total |`, `| --- |${' ---: |'.repeat(PERF_AREAS.length + 1)}`];
  for (const kind of KINDS.filter((k) => k.name !== 'idle')) {
    const per = new Map<string, number>();
    let sent = 0;
    windows.forEach((w, i) => {
      if (w.kind !== kind) return;
      const idle = windows.findIndex((x) => x.round === w.round && x.kind.name === 'idle');
      const scale = (w.end - w.start) / (windows[idle].end - windows[idle].start);
      for (const a of PERF_AREAS) per.set(a, (per.get(a) ?? 0) + (grouped[i].get(a) ?? 0) - (grouped[idle].get(a) ?? 0) * scale);
      sent += w.sent;
    });
    const us = (a: string) => ((per.get(a) ?? 0) * (1e6 / 999)) / sent;
    lines.push(`| ${kind.name} | ${PERF_AREAS.map((a) => us(a).toFixed(0)).join(' | ')} | ${PERF_AREAS.reduce((n, a) => n + us(a), 0).toFixed(0)} |`);
  }
  return lines;
}

async function profiledPass(admin: string): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-message-cost-prof-'));
  const perf = perfAvailable();
  const server = await spawn(admin, dir, perf ? { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --perf-basic-prof-only-functions`.trim() } : {});
  const perfFile = path.join(dir, 'perf.data');
  const stopPerf = perf ? startPerf(server.pid, perfFile) : null;
  let windows: WindowResult[];
  try {
    ({ windows } = await pass(server, PROFILE_ROUNDS));
  } finally {
    await stopPerf?.();
    await server.stop();
  }
  const file = fs.readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  const lines = file
    ? [
        `Profile: ${path.join(dir, file)} (V8, main thread, wall time while not idle: µs per message by area, less the idle window's rate per area; --cpu-prof adds its own overhead)`,
        '',
        ...areaTable(windows, path.join(dir, file)),
      ]
    : [`(no .cpuprofile in ${dir})`];
  if (perf)
    lines.push(
      '',
      `perf (${perfFile}): on-CPU µs per message by area, all threads (cpu-clock at 999 Hz, less the idle window's)`,
      '',
      ...perfTable(windows, perfFile),
    );
  return lines;
}

await preferLocalPostgres();
const admin = await adminDatabaseUrl();
const startedAt = new Date().toISOString();
const loadBefore = load();
const server = await spawn(admin);
let counted: Awaited<ReturnType<typeof pass>>;
try {
  counted = await pass(server, ROUNDS);
} finally {
  await server.stop();
}
const profileLines = PROFILE_ROUNDS > 0 ? await profiledPass(admin) : [];
console.log(
  `Per-message cost: ${SESSIONS} sessions, ${ROUNDS} rounds (after a warm-up round), ${PER_SESSION} messages per session per window, server on CPU ${SERVER_CPU}; ${startedAt}; ${os.cpus()[0]?.model} × ${os.cpus().length}; load average ${loadBefore} → ${load()}`,
);
console.log('');
console.log(costTable(counted.windows, counted.emptyRate).join('\n'));
if (profileLines.length) console.log(['', ...profileLines].join('\n'));
process.exit(0);
