/**
 * Coliseum benchmark: `npx tsx bench/coliseum.bench.ts`.
 *
 * A. Per store (local, redis): feeder throughput (passport events → coalesced incrementMany), and the
 *    cost of what a broadcaster tick reads — a top-10 leaderboard with trend columns (day, 30d), a trending
 *    leaderboard, the KPI tiles, and a whole tick of the 5 default leaderboards — on ~10,000 artists over 30 days.
 * B. Bytes per spectator per update: the coliseum state (5 default leaderboards × 10 rows + 8 KPI tiles)
 *    encoded exactly as the room does (one Encoder.encode per tick, the same frame for every spectator)
 *    while a synthetic load of ~100 events/s moves the leaderboards.
 * C. End to end: a server process (`src/main.ts`, Local store, the server's coliseum defaults unless BENCH_THROTTLE_MS sets COLISEUM_THROTTLE_MS),
 *    spectators as SDK clients in a worker thread, 20 background sessions tuning every 0.3–0.7 s, and a
 *    probe session locking a pre-seeded #1 station every 0.8–1.6 s. Lag = probe's `locked` message →
 *    the spectator's decoded state shows the new score; every spectator is a sample. Server CPU from
 *    /proc. Runs for 100 and 1,000 spectators.
 * Env: BENCH_SPECTATORS ("100,1000"), BENCH_PROBES (30), BENCH_THROTTLE_MS (unset: server default), BENCH_BACKGROUND (20 sessions; 0 = quiet coliseum), BENCH_SKIP ("A,B,C" parts to skip),
 * BENCH_SERVER_ENV (extra server settings for part C, e.g. "COLISEUM_COALESCE_MS=25,LEADERBOARD_FLUSH_MS=20"), BENCH_CPU_PROF (a directory: server CPU profile),
 * TEST_DATABASE_URL / DATABASE_URL (else an embedded Postgres), REDIS_URL.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import pino from 'pino';
import { Redis } from 'ioredis';
import { Encoder } from '@colyseus/schema';
import { Client, type Room } from '@colyseus/sdk';
import { makeEvent, type PassportEvent } from '../systems/passport/index.js';
import { DEFAULT_LEADERBOARDS, leaderboardDefinition } from '../systems/leaderboard/leaderboards.js';
import type { LeaderboardIncrement, LeaderboardStore } from '../systems/leaderboard/windows.js';
import { LocalLeaderboardStore } from '../persistence/leaderboard/LocalLeaderboardStore.js';
import { RedisLeaderboardStore } from '../persistence/leaderboard/RedisLeaderboardStore.js';
import { LeaderboardFeeder } from '../features/leaderboard/LeaderboardFeeder.js';
import { LeaderboardBroadcaster } from '../features/leaderboard/LeaderboardBroadcaster.js';
import { readLeaderboard, readKpis } from '../features/leaderboard/boards.js';
import { ColiseumState } from '../schema/ColiseumState.js';
import { applyTick } from '../rooms/coliseum/ColiseumRoom.js';
import { deleteKeysWithPrefix } from './support/redis.js';

/** The server's defaults (docs/CONFIG.md, leaderboard and coliseum groups): the benchmark measures what a default server runs. */
const FEEDER = {
  flushIntervalMs: 25,
  unwatchedFlushMs: 25,
  maxPendingKeys: 50_000,
  maxBatchKeys: 5_000,
  lookupCacheSize: 100_000,
  cityTtlMs: 600_000,
  maxRetryDelayMs: 5_000,
};
const BROADCASTER = { throttleMs: 200, coalesceMs: 50, refreshMs: 1000, previousRefreshMs: 30_000, maxBoards: 1000 };

const silent = pino({ level: 'silent' });
const HOUR = 3_600_000;
const ENTITIES = 10_000;
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const skip = new Set((process.env.BENCH_SKIP ?? '').split(',').filter(Boolean));

let seed = 12345;
const rnd = (n: number): number => Math.floor(((seed = (seed * 16807) % 2147483647) / 2147483647) * n);
/** Skewed pick: low indices are popular (so leaderboards have a stable head and a moving tail). */
const skewed = (n: number): number => Math.floor(n * Math.pow(rnd(1_000_000) / 1_000_000, 3));
const artist = (i: number): string => `artist-${String(i).padStart(5, '0')}`;
const pct = (sorted: number[], p: number): number => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] : NaN);
const f = (x: number, d = 2): string => (Number.isFinite(x) ? x.toFixed(d) : '—');

function table(header: string[], rows: string[][]): void {
  const width = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padStart(width[i])).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${width.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
}

function events(n: number, nowMs: number): PassportEvent[] {
  const out: PassportEvent[] = [];
  for (let i = 0; i < n; i++) {
    const a = skewed(ENTITIES);
    const k = rnd(10);
    const ids = { userId: null, sessionId: `s-${rnd(500)}`, deviceId: 'd', source: 'room' as const };
    if (k < 7)
      out.push(
        makeEvent(
          'station.visited',
          { payload: { artistId: artist(a), artistName: `Artist ${a}`, frequency: 99.9, method: 'swipe', city: `City ${skewed(50)}` } as never },
          ids,
          nowMs,
          randomUUID,
        ),
      );
    else if (k < 9) out.push(makeEvent('orb.tapped', { payload: { fromArtistId: artist(a), toArtistId: artist(skewed(ENTITIES)) } }, ids, nowMs, randomUUID));
    else
      out.push(
        makeEvent(
          'constellation.captured',
          { payload: { artistId: artist(a), artistName: `Artist ${a}`, position: { x: 0, y: 0, z: 0 } } as never },
          ids,
          nowMs,
          randomUUID,
        ),
      );
  }
  return out;
}

/** ~30k increments over 30 days on artists.visits (like bench/leaderboard.bench.ts) plus captures. */
async function populate(store: LeaderboardStore, nowMs: number): Promise<void> {
  const slots = new Map<number, LeaderboardIncrement[]>();
  for (let i = 0; i < ENTITIES; i++) {
    for (let k = 1 + rnd(5); k > 0; k--) {
      const slot = rnd(30 * 24);
      const items = slots.get(slot) ?? [];
      items.push({ leaderboard: 'artists.visits', entityId: artist(i), by: 1 + rnd(3), name: `Artist ${i}` });
      if (rnd(4) === 0) items.push({ leaderboard: 'artists.captures', entityId: artist(i), by: 1 });
      slots.set(slot, items);
    }
  }
  for (const [slot, items] of slots) await store.incrementMany(items, nowMs - slot * HOUR);
}

async function latency(fn: () => Promise<unknown>, n: number): Promise<{ p50: number; p95: number }> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: pct(times, 0.5), p95: pct(times, 0.95) };
}

async function partA(): Promise<void> {
  console.log(`\n## A. Store costs (${ENTITIES} artists over 30 days; reads are what one broadcaster tick does)\n`);
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const prefix = `bench:coliseum:${process.pid}:${randomUUID().slice(0, 8)}:`;
  const rows: string[][] = [];
  const now = Date.now();
  const feed = events(100_000, now);
  try {
    for (const [label, store] of [
      ['local', new LocalLeaderboardStore()],
      ['redis', new RedisLeaderboardStore({ redis, prefix, unionCacheMs: 1000 })],
    ] as Array<[string, LeaderboardStore]>) {
      seed = 12345;
      await populate(store, now);
      const feeder = new LeaderboardFeeder({ ...FEEDER, store, log: silent, flushIntervalMs: 50 });
      const t = performance.now();
      for (let i = 0; i < feed.length; i += 100) {
        feeder.accept(feed.slice(i, i + 100));
        if (i % 10_000 === 0) await new Promise((r) => setImmediate(r));
      }
      await feeder.flush();
      await feeder.flush();
      const eventsPerSec = feed.length / ((performance.now() - t) / 1000);
      const st = feeder.stats();
      await feeder.stop();
      const visits = leaderboardDefinition('artists.visits')!;
      const trending = leaderboardDefinition('artists.trending')!;
      const day = await latency(() => readLeaderboard(store, visits, 'day', 10, Date.now()), 300);
      const month = await latency(() => readLeaderboard(store, visits, '30d', 10, Date.now()), 300);
      const trend = await latency(() => readLeaderboard(store, trending, 'day', 10, Date.now()), 300);
      const kpi = await latency(() => readKpis(store, { activeSessions: 0, spectators: 0 }, Date.now()), 300);
      const broadcaster = new LeaderboardBroadcaster({ ...BROADCASTER, store, log: silent, throttleMs: 60_000 });
      broadcaster.subscribe(
        DEFAULT_LEADERBOARDS.map((leaderboard) => ({ leaderboard, window: 'day' as const })),
        10,
        () => undefined,
      );
      const tick = await latency(() => broadcaster.tickNow(), 100);
      await broadcaster.stop();
      rows.push([
        label,
        f(eventsPerSec, 0),
        String(st.flushes),
        f(day.p50, 3),
        f(day.p95, 3),
        f(month.p50, 3),
        f(month.p95, 3),
        f(trend.p95, 3),
        f(kpi.p95, 3),
        f(tick.p50, 2),
        f(tick.p95, 2),
      ]);
      await store.close();
    }
  } finally {
    await deleteKeysWithPrefix(redis, prefix);
    await redis.quit();
  }
  table(
    [
      'store',
      'feeder events/s',
      'flushes',
      'top10 day p50 ms',
      'p95',
      'top10 30d p50 ms',
      'p95',
      'trending p95 ms',
      'KPIs p95 ms',
      'tick(5 leaderboards) p50 ms',
      'p95',
    ],
    rows,
  );
  console.log('"top10" = top(10) + previousStandings + trend columns (readLeaderboard). Redis 30d reads a union cached ≤ 1 s.');
}

async function partB(): Promise<void> {
  console.log('\n## B. Bytes per spectator per update (one encode per room; every spectator gets the same frame)\n');
  const store = new LocalLeaderboardStore();
  seed = 777;
  const now = Date.now();
  await populate(store, now);
  const feeder = new LeaderboardFeeder({ ...FEEDER, store, log: silent });
  const broadcaster = new LeaderboardBroadcaster({ ...BROADCASTER, store, log: silent, throttleMs: 60_000 });
  const options = { leaderboards: [...DEFAULT_LEADERBOARDS].sort(), window: 'day' as const, limit: 10 };
  broadcaster.subscribe(
    options.leaderboards.map((leaderboard) => ({ leaderboard, window: options.window })),
    options.limit,
    () => undefined,
  );
  const state = new ColiseumState();
  state.window = options.window;
  const versions = new Map<string, number>();
  applyTick(
    state,
    options,
    await broadcaster.prime(
      options.leaderboards.map((leaderboard) => ({ leaderboard, window: options.window })),
      10,
    ),
    versions,
  );
  const encoder = new Encoder(state);
  const full = encoder.encodeAll({ offset: 1 }).length;
  encoder.discardChanges();
  const frames: number[] = [];
  let encodeMs = 0;
  for (let tick = 0; tick < 60; tick++) {
    feeder.accept(events(100, Date.now()));
    await feeder.flush();
    applyTick(state, options, await broadcaster.tickNow(), versions);
    const t = performance.now();
    if (encoder.hasChanges) {
      frames.push(encoder.encode({ offset: 1 }).length);
      encoder.discardChanges();
    } else frames.push(0);
    encodeMs += performance.now() - t;
  }
  await broadcaster.stop();
  await feeder.stop();
  const sorted = [...frames].sort((a, b) => a - b);
  const mean = frames.reduce((a, b) => a + b, 0) / frames.length;
  const json = JSON.stringify(state.toJSON()).length;
  table(
    ['full state (join) B', 'patch mean B', 'patch p50 B', 'patch p95 B', 'naive JSON/update B', 'encode ms/update (once per room)'],
    [[String(full), f(mean, 0), String(pct(sorted, 0.5)), String(pct(sorted, 0.95)), String(json), f(encodeMs / frames.length, 3)]],
  );
  console.log('100 events/s (70% visits, 20% orb taps, 10% captures) on 10k artists; 1 update/s. Add 2–4 B WebSocket header per frame.');
}

// ---------------------------------------------------------------- C. end to end (main thread + worker)

interface Probe {
  t0: number;
  score: number;
}

/** Worker: N spectators; reports, per probe, the lag of every spectator. */
async function spectatorWorker(): Promise<void> {
  const { baseUrl, count, probeArtist } = workerData as { baseUrl: string; count: number; probeArtist: string };
  const rooms: Room[] = [];
  const pending: Array<Probe & { seen: Set<number>; lags: number[] }> = [];
  const scoreOf = (room: Room): number => {
    const rows = (room.state as unknown as { leaderboards?: Map<string, { rows: Iterable<{ entityId: string; score: number }> }> })?.leaderboards?.get(
      'artists.visits',
    )?.rows;
    if (!rows) return -1;
    for (const r of rows) if (r.entityId === probeArtist) return r.score;
    return -1;
  };
  for (let i = 0; i < count; i++) {
    const room = await new Client(baseUrl.replace(/^http/, 'ws')).joinOrCreate('coliseum', {});
    const index = i;
    room.onStateChange(() => {
      if (pending.length === 0) return;
      const now = Date.now();
      const score = scoreOf(room);
      for (const p of pending) {
        if (!p.seen.has(index) && score >= p.score) {
          p.seen.add(index);
          p.lags.push(now - p.t0);
        }
      }
    });
    rooms.push(room);
  }
  parentPort!.postMessage({ type: 'ready', roomIds: [...new Set(rooms.map((r) => r.roomId))].length });
  parentPort!.on('message', async (msg: { type: string } & Partial<Probe>) => {
    if (msg.type === 'probe') {
      const entry = { t0: msg.t0!, score: msg.score!, seen: new Set<number>(), lags: [] as number[] };
      pending.push(entry);
      const deadline = Date.now() + 10_000;
      while (entry.seen.size < rooms.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      pending.splice(pending.indexOf(entry), 1);
      parentPort!.postMessage({ type: 'lags', lags: entry.lags, missing: rooms.length - entry.seen.size });
    } else if (msg.type === 'close') {
      await Promise.all(rooms.map((r) => r.leave(true).catch(() => undefined)));
      parentPort!.postMessage({ type: 'closed' });
    }
  });
}

/** This file in a worker thread, with tsx registered there first (workers do not inherit `--import tsx`). */
function spawnWorker(data: Record<string, unknown>): Worker {
  const boot = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => { m.register(); return import(${JSON.stringify(import.meta.url)}); })`;
  return new Worker(boot, { eval: true, workerData: data });
}

function cpuTicks(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime (after pid and comm)
}

async function partC(): Promise<void> {
  const { spawnServer } = await import('../loadtest/spawnServer.js');
  const { signInNewDevice } = await import('../loadtest/auth.js');
  const { adminDatabaseUrl } = await import('./support/postgres.js');
  const counts = (process.env.BENCH_SPECTATORS ?? '100,1000').split(',').map(Number);
  const probes = Number(process.env.BENCH_PROBES ?? 30);
  const throttleMs = process.env.BENCH_THROTTLE_MS ? Number(process.env.BENCH_THROTTLE_MS) : null;
  // Probes land at a uniform phase over 500 ms (the old fixed throttle), whatever the server does.
  const phaseMs = throttleMs ?? 500;
  const backgroundSessions = Number(process.env.BENCH_BACKGROUND ?? 20);
  const serverEnv = Object.fromEntries(
    (process.env.BENCH_SERVER_ENV ?? '')
      .split(',')
      .filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  );
  console.log(
    `\n## C. End to end: spectators ${counts.join(', ')}; ${probes} probe locks each; COLISEUM_THROTTLE_MS ${throttleMs ?? 'server default'}; ${backgroundSessions} background sessions${process.env.BENCH_SERVER_ENV ? `; ${process.env.BENCH_SERVER_ENV}` : ''}\n`,
  );
  // Its own database and ADMIN_TOKEN (the service token below); no Redis: one process.
  const server = await spawnServer({
    transport: 'uws',
    adminDatabaseUrl: await adminDatabaseUrl(),
    env: {
      REDIS_URL: '',
      LOG_LEVEL: 'warn',
      CLIENT_MESSAGE_RATE: '100',
      ...(throttleMs === null ? {} : { COLISEUM_THROTTLE_MS: String(throttleMs) }),
      ...serverEnv,
    },
    logDir: path.join(os.tmpdir(), 'ds-bench-coliseum'),
    cpuProfDir: process.env.BENCH_CPU_PROF || undefined,
    bootTimeoutMs: 60_000,
  });
  const baseUrl = server.url.replace(/^ws/, 'http');
  const serviceToken = server.adminToken;
  const rows: string[][] = [];
  const sessions: Room[] = [];
  try {
    const stations: Array<{ frequency: number; artistId: string }> = (await (await fetch(`${baseUrl}/api/stations`)).json()).stations;
    const [probe, other, ...rest] = stations;
    // Seed the probe artist to #1 for the day through the passport HTTP API (setup only; as a service: the admin token).
    for (let i = 0; i < 5; i++) {
      const batch = Array.from({ length: 1000 }, () => ({
        eventType: 'station.visited',
        payload: { artistId: probe.artistId, frequency: probe.frequency, method: 'tune' },
      }));
      const res = await fetch(`${baseUrl}/api/passport/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${serviceToken}` },
        body: JSON.stringify({ events: batch }),
      });
      if (res.status !== 202) throw new Error(`seeding failed: ${res.status} ${await res.text()}`);
    }
    await new Promise((r) => setTimeout(r, 500));
    const join = async () => {
      const client = new Client(server.url);
      client.auth.token = (await signInNewDevice(server.url, 'bench-coliseum')).accessToken;
      const room = await client.create('session', {});
      room.onMessage('*', () => undefined);
      sessions.push(room);
      return room;
    };
    const background = await Promise.all(Array.from({ length: backgroundSessions }, join));
    let running = true;
    const loops = background.map(async (room) => {
      while (running) {
        await new Promise((r) => setTimeout(r, 300 + Math.random() * 400));
        room.send('tune', { frequency: rest[Math.floor(Math.random() * rest.length)].frequency });
      }
    });
    const prober = await join();
    await new Promise((r) => setTimeout(r, 500));

    for (const count of counts) {
      const worker = spawnWorker({ baseUrl, count, probeArtist: probe.artistId });
      const messages: Array<Record<string, unknown>> = [];
      let wake: (() => void) | null = null;
      worker.on('message', (m) => (messages.push(m), wake?.()));
      worker.on('error', (err) => console.error('worker error', err));
      const next = async (type: string, timeoutMs = 120_000): Promise<Record<string, unknown>> => {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const i = messages.findIndex((m) => m.type === type);
          if (i >= 0) return messages.splice(i, 1)[0];
          if (Date.now() > deadline) throw new Error(`worker sent no ${type}`);
          await new Promise<void>((r) => ((wake = r), setTimeout(r, 200)));
        }
      };
      const ready = await next('ready');
      await new Promise((r) => setTimeout(r, 2000));
      const lags: number[] = [];
      let missing = 0;
      const cpu0 = cpuTicks(server.pid);
      const wall0 = performance.now();
      const top = await (await fetch(`${baseUrl}/api/leaderboards/artists.visits?window=day&limit=1`)).json();
      if (top.entries?.[0]?.entityId !== probe.artistId) throw new Error(`the probe artist is not #1: ${JSON.stringify(top)}`);
      let score = top.entries[0].score as number;
      for (let p = 0; p < probes; p++) {
        const away = new Promise<void>((resolve) => {
          const off = prober.onMessage('locked', () => (off(), resolve()));
        });
        prober.send('tune', { frequency: other.frequency });
        await away;
        // A uniform delay over a whole throttle period: the probe lands at a random phase of the tick.
        await new Promise((r) => setTimeout(r, 200 + Math.random() * phaseMs));
        const locked = new Promise<number>((resolve) => {
          const off = prober.onMessage('locked', () => (off(), resolve(Date.now())));
        });
        prober.send('tune', { frequency: probe.frequency });
        const t0 = await locked;
        score += 1;
        worker.postMessage({ type: 'probe', t0, score });
        const result = await next('lags', 30_000);
        lags.push(...(result.lags as number[]));
        missing += result.missing as number;
        await new Promise((r) => setTimeout(r, 200 + Math.random() * 600));
      }
      const cpuPct = ((cpuTicks(server.pid) - cpu0) / 100 / ((performance.now() - wall0) / 1000)) * 100;
      worker.postMessage({ type: 'close' });
      await next('closed');
      await worker.terminate();
      lags.sort((a, b) => a - b);
      rows.push([
        String(count),
        String(ready.roomIds),
        String(lags.length),
        String(pct(lags, 0.5)),
        String(pct(lags, 0.95)),
        String(pct(lags, 0.99)),
        String(lags.at(-1)),
        String(missing),
        f(cpuPct, 1),
      ]);
      await new Promise((r) => setTimeout(r, 1500));
    }
    running = false;
    await Promise.all(loops);
  } finally {
    await Promise.all(sessions.map((r) => r.leave(true).catch(() => undefined)));
    await server.stop();
  }
  table(['spectators', 'rooms', 'samples', 'lag p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'missed', 'server CPU %'], rows);
  console.log('Lag: probe session receives `locked` → the spectator decodes a patch showing the new score (same clock, one machine).');
  console.log('Server CPU: whole server process (20 background sessions + probe + spectators), % of one core, during the probes.');
}

async function main(): Promise<void> {
  if (!skip.has('A')) await partA();
  if (!skip.has('B')) await partB();
  if (!skip.has('C')) await partC();
  const { stopEmbeddedPostgres } = await import('./support/postgres.js');
  await stopEmbeddedPostgres();
}

if (isMainThread) {
  main().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
} else {
  spectatorWorker().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
