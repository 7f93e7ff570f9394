/**
 * Session handoff benchmark: `npm run bench:handoff -- [sessions…]` (default 1 100 1000). Run it alone
 * (`flock /tmp/bench.lock …`). For each size: process A (Redis backplane, fresh database and prefix) takes
 * that many listeners, each tuned to a station; process B starts; SIGTERM to A. Measured: A's drain (signal →
 * exit), every session back on B (signal → last `resumed`), the re-admission rate, each listener's outage
 * (its socket closed → its first patch on B; the listeners are idle, so the last patch before the move is older), and what A wrote (snapshot writes and bytes from /metrics).
 * Then the snapshot's own cost: its encoded size and the CPU of building and encoding one, in process.
 */
import { performance } from 'node:perf_hooks';
import { pack } from 'msgpackr';
import { spawnServer, clusterEnv, type SpawnedServer } from '../loadtest/spawnServer.js';
import { adminDatabaseUrl, preferLocalPostgres } from './support/postgres.js';
import { ResumingListener } from './support/resumingListener.js';
import { SNAPSHOT_VERSION, type SessionSnapshot } from '../systems/handoff/snapshot.js';

const SIZES = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const STATIONS = [88.1, 91.7, 95.3, 99.9, 101.3, 105.5];
const pct = (values: number[], p: number): number =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.max(0, Math.ceil(values.length * p) - 1))] ?? 0;

async function metric(server: SpawnedServer, name: string): Promise<number> {
  const text = await fetch(`${server.url.replace(/^ws/, 'http')}/metrics`, { headers: { authorization: `Bearer ${server.adminToken}` } }).then((r) => r.text());
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
}

/** Mean ms per join phase on `server` (ds_join_phase_seconds), to see where a resume's time goes. */
async function joinPhases(server: SpawnedServer): Promise<string> {
  const text = await fetch(`${server.url.replace(/^ws/, 'http')}/metrics`, { headers: { authorization: `Bearer ${server.adminToken}` } }).then((r) => r.text());
  const sums = new Map<string, number>();
  const counts = new Map<string, number>();
  for (const [, kind, labels, value] of text.matchAll(/^ds_join_phase_seconds_(sum|count)\{([^}]*)\} (\S+)$/gm))
    (kind === 'sum' ? sums : counts).set(labels, Number(value));
  return [...sums].map(([labels, sum]) => `${labels}: ${((sum / (counts.get(labels) || 1)) * 1000).toFixed(1)} ms × ${counts.get(labels)}`).join('\n');
}

async function inBatches<T>(items: T[], size: number, work: (item: T, i: number) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map((item, j) => work(item, i + j)));
}

function exitOf(pid: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      try {
        process.kill(pid, 0);
      } catch {
        clearInterval(timer);
        resolve();
      }
    }, 20);
  });
}

async function handoff(sessions: number, admin: string) {
  const env = clusterEnv({ JOBS_ENABLED: 'false', SHUTDOWN_TIMEOUT_MS: '30000', RESUME_QUEUE_MAX: '100000' });
  const common = { transport: 'uws' as const, adminDatabaseUrl: admin, env, logDir: '/tmp/ds-bench-handoff', publicAddress: true };
  const a = await spawnServer(common);
  const dbName = new URL(a.databaseUrl).pathname.slice(1);
  const shared = { adminToken: a.adminToken, authSecret: a.authSecret, sharedDatabase: dbName };
  let b: SpawnedServer | undefined;
  try {
    const endpoints = [a.url.replace(/^ws/, 'http')];
    const listeners = Array.from({ length: sessions }, () => new ResumingListener(endpoints));
    await inBatches(listeners, 50, async (l, i) => {
      await l.join();
      const locked = l.next('locked', 30_000);
      l.send('tune', { frequency: STATIONS[i % STATIONS.length] });
      await locked;
    });
    // BENCH_PROFILE_DIR: B writes a V8 CPU profile there when it stops (what a re-admission costs).
    b = await spawnServer({ ...common, ...shared, ...(process.env.BENCH_PROFILE_DIR ? { cpuProfDir: process.env.BENCH_PROFILE_DIR } : {}) });
    for (const l of listeners) l.addEndpoint(b.url.replace(/^ws/, 'http'));
    await new Promise((r) => setTimeout(r, 500)); // the live snapshots of the last locks are written
    const writes = await metric(a, 'ds_session_snapshot_writes');
    const bytes = await metric(a, 'ds_session_snapshot_bytes');
    const t0 = performance.now();
    process.kill(a.pid, 'SIGTERM');
    const drained = exitOf(a.pid).then(() => performance.now() - t0);
    await Promise.all(listeners.map((l) => l.back(120_000)));
    const allBackMs = performance.now() - t0;
    const drainMs = await drained;
    const gaps = listeners.flatMap((l) => l.record.outagesMs);
    const same = listeners.filter((l) => new Set(l.record.sessionIds).size === 1 && l.record.restoredFrom[0] === 'handoff').length;
    const busy = await metric(b, 'ds_resumes_refused');
    if (process.env.BENCH_PHASES) console.log(await joinPhases(b));
    await Promise.all(listeners.map((l) => l.room.leave(true).catch(() => undefined)));
    return {
      sessions,
      drainMs,
      allBackMs,
      perSec: sessions / (allBackMs / 1000),
      gapP50: pct(gaps, 0.5),
      gapP99: pct(gaps, 0.99),
      same,
      busy,
      liveWritesPerSession: writes / sessions,
      bytesPerWrite: bytes / writes,
    };
  } finally {
    await b?.stop();
    await a.stop();
  }
}

/** A snapshot as a listener mid-journey has it: a station, a camera, tallies and a path of 20 artists. */
function sampleSnapshot(i: number): SessionSnapshot {
  return {
    v: SNAPSHOT_VERSION,
    sessionId: '9b2e4c1a-0d7f-4e3b-8a61-5c2f9e7d1b03',
    userId: '1c6d2f8e-3b4a-4d5e-9f60-7a8b9c0d1e2f',
    generation: 3,
    roomId: 'dL7bGarXY',
    reason: 'live',
    writtenAt: 1_767_225_600_000 + i,
    appliedSeq: 40 + i,
    dial: { target: 105.5, locked: true, predicted: 105.73 },
    station: { artistId: 'artist_burna_boy', frequency: 105.5 },
    camera: { position: [0.25, 1.5, 8], fov: 60 },
    counters: { interactions: 57, swipes: 31, orbsExplored: 6, captures: 4, sensorEngagements: 12, sensorSeconds: 42.5 },
    visitedPath: Array.from({ length: 20 }, (_, k) => `artist_catalog_artist_${k}`),
  };
}

function snapshotCost() {
  const n = 200_000;
  let size = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) size = pack(sampleSnapshot(i)).length;
  const us = ((performance.now() - t0) * 1000) / n;
  return { bytes: size, usPerWrite: us };
}

await preferLocalPostgres();
const admin = await adminDatabaseUrl();
const cost = snapshotCost();
console.log(`snapshot: ${cost.bytes} B encoded (msgpack, a 20-artist path), ${cost.usPerWrite.toFixed(2)} µs to build and encode, 1 Redis SET PX per write`);
console.log(
  '| sessions | A drained (SIGTERM → exit) | all back on B | re-admitted/s | outage p50 | p99 | same session, from handoff | RESUME_BUSY | live snapshot writes/session | bytes/write |',
);
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const n of SIZES.length ? SIZES : [1, 100, 1000]) {
  const r = await handoff(n, admin);
  console.log(
    `| ${r.sessions} | ${r.drainMs.toFixed(0)} ms | ${r.allBackMs.toFixed(0)} ms | ${r.perSec.toFixed(0)} | ${r.gapP50} ms | ${r.gapP99} ms | ${r.same}/${r.sessions} | ${r.busy} | ${r.liveWritesPerSession.toFixed(2)} | ${r.bytesPerWrite.toFixed(0)} |`,
  );
}
process.exit(0);
