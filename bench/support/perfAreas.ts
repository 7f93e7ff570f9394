/**
 * On-CPU grouping with Linux perf, next to the V8 profile: V8's samples are wall time on the main thread (a
 * server preempted inside `writev` on a loaded core is charged to pg), perf's cpu-clock samples are CPU time
 * of every thread. The server runs with --perf-basic-prof-only-functions (NODE_OPTIONS) so JIT frames have
 * names; `perf record -k CLOCK_MONOTONIC` stamps samples on the clock of process.hrtime, so windows cut them.
 * A sample counts for the first named JS frame from its leaf up (native and kernel frames for their JS
 * caller), GC when a GC frame is on it; "unnamed" is interpreted code and native work with no JS caller.
 */
import { spawn, spawnSync } from 'node:child_process';

export const PERF_AREAS = [
  'pg',
  'rooms/',
  'features/',
  'persistence/',
  'systems/',
  'src/',
  'msgpack',
  'uWS',
  'schema',
  'colyseus core',
  'zod',
  'other deps',
  'GC',
  'unnamed',
] as const;
type PerfArea = (typeof PERF_AREAS)[number];

const GC = /(Heap::|Scavenge|Marking|Sweeper|MarkCompact|Evacuat)/;

function areaOf(url: string): PerfArea {
  if (/@colyseus\/schema\//.test(url)) return 'schema';
  if (/(uWebSockets|uwebsockets-transport)/.test(url)) return 'uWS';
  if (/@colyseus\//.test(url)) return 'colyseus core';
  if (/\/zod\//.test(url)) return 'zod';
  if (/msgpackr/.test(url)) return 'msgpack';
  if (/node_modules\/(pg|pg-protocol|pg-pool|pg-types|kysely|@mikro-orm)\//.test(url)) return 'pg';
  const ours = /\/(rooms|features|systems|persistence|src)\//.exec(url.replace(/.*node_modules\/.*/, ''));
  return ours ? (`${ours[1]}/` as PerfArea) : 'other deps';
}

export const perfAvailable = () => spawnSync('perf', ['--version']).status === 0;

/** Starts sampling `pid`; the returned function stops perf and waits for its file. */
export function startPerf(pid: number, file: string): () => Promise<void> {
  const perf = spawn('perf', ['record', '-k', 'CLOCK_MONOTONIC', '-e', 'cpu-clock', '-F', '999', '-g', '-p', String(pid), '-o', file], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => perf.on('exit', () => resolve()));
  return async () => {
    perf.kill('SIGINT');
    await exited;
  };
}

/** Samples per area inside each [start, end) window (CLOCK_MONOTONIC µs). */
export function groupPerf(file: string, windows: Array<{ start: number; end: number }>): Array<Map<PerfArea, number>> {
  const out = windows.map(() => new Map<PerfArea, number>());
  const script = spawnSync('perf', ['script', '-i', file, '-F', 'time,ip,sym,dso'], { maxBuffer: 1 << 30, encoding: 'utf8' });
  for (const block of script.stdout.split(/\n\s*\n/)) {
    const lines = block.trim().split('\n');
    const t = Number(/^([\d.]+):/.exec(lines[0] ?? '')?.[1]) * 1e6;
    const w = windows.findIndex((win) => t >= win.start && t < win.end);
    if (w < 0) continue;
    let area: PerfArea = 'unnamed';
    if (lines.some((l) => GC.test(l))) area = 'GC';
    else
      for (const l of lines.slice(1)) {
        const js = /JS:\S* (\S+):\d+:\d+/.exec(l);
        if (js && !js[1].startsWith('node:')) {
          area = areaOf(js[1]);
          break;
        }
      }
    out[w].set(area, (out[w].get(area) ?? 0) + 1);
  }
  return out;
}
