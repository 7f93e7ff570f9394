/**
 * HTTP ingest benchmark: `npm run bench:ingest -- [--baseline DIR] [--seconds 15] [--concurrency 8] [--batch 200]`.
 * Spawns the server (this checkout; with --baseline, first another checkout of the project, e.g. a
 * worktree of an older commit, for a same-run A/B) on a fresh database, drives `POST /api/passport/batch`
 * from `concurrency` keep-alive clients for `seconds`, and prints events/s acknowledged, requests/s and
 * the acknowledgement latency p50/p99/max. Uses DATABASE_URL or the local Postgres at 127.0.0.1:5432.
 */
import path from 'node:path';
import os from 'node:os';
import { spawnServer } from '../loadtest/spawnServer.js';
import { startIngestLoad } from '../loadtest/ingest.js';

interface Row {
  label: string;
  events: number;
  eventsPerSec: number;
  requestsPerSec: number;
  p50: number;
  p99: number;
  max: number;
  non202: string;
}

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

async function run(label: string, cwd: string | undefined, seconds: number, concurrency: number, batch: number): Promise<Row> {
  const adminDatabaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const server = await spawnServer({ transport: 'uws', adminDatabaseUrl, logDir: path.join(os.tmpdir(), 'ds-bench-ingest'), cwd });
  try {
    const load = startIngestLoad({ baseUrl: server.url.replace(/^ws/, 'http'), concurrency, batchSize: batch, token: server.adminToken });
    await new Promise((r) => setTimeout(r, seconds * 1000));
    load.stop();
    const result = await load.done;
    const secs = result.elapsedMs / 1000;
    const h = result.ackLatency;
    const non202 =
      [...result.statuses]
        .filter(([s]) => s !== 202)
        .map(([s, n]) => `${s}×${n}`)
        .join(' ') || '-';
    return {
      label,
      events: result.acknowledged.size,
      eventsPerSec: Math.round(result.acknowledged.size / secs),
      requestsPerSec: Math.round(result.requests / secs),
      p50: h.getValueAtPercentile(50) / 1000,
      p99: h.getValueAtPercentile(99) / 1000,
      max: h.maxValue / 1000,
      non202,
    }; // histogram holds µs
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  const seconds = Number(flag('seconds', '15'));
  const concurrency = Number(flag('concurrency', '8'));
  const batch = Number(flag('batch', '200'));
  const baseline = process.argv.includes('--baseline') ? path.resolve(flag('baseline', '')) : undefined;
  const rows: Row[] = [];
  if (baseline) rows.push(await run(`baseline (${baseline})`, baseline, seconds, concurrency, batch));
  rows.push(await run('this checkout', undefined, seconds, concurrency, batch));
  process.stdout.write(`\nHTTP ingest, ${concurrency} keep-alive clients × ${batch} events per request, ${seconds} s each, uws\n\n`);
  process.stdout.write(
    '| server | events acknowledged | events/s | requests/s | ack p50 ms | ack p99 ms | ack max ms | other answers |\n|---|---|---|---|---|---|---|---|\n',
  );
  for (const r of rows)
    process.stdout.write(`| ${r.label} | ${r.events} | ${r.eventsPerSec} | ${r.requestsPerSec} | ${r.p50} | ${r.p99} | ${r.max} | ${r.non202} |\n`);
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);
