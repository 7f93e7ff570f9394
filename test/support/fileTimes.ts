import fs from 'node:fs';

/**
 * Where a test run's time goes, per file (opt-in: TEST_TIMES=<file.jsonl>, read by `npm run test:times`).
 * Each worker appends one line when a file ends: the worker's own CPU and its finished children's (the
 * server processes the file started) since the previous file ended, so a file's line includes its import
 * (the tsx transform) and the next file's never. CPU seconds move less with the box's load than wall time.
 */
const out = process.env.TEST_TIMES;
let last = out ? sample() : undefined;

function childCpuMs(): number {
  // /proc/self/stat fields 16 and 17 (after the parenthesised name): CPU of waited-for children, in clock ticks.
  const stat = fs.readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

function sample() {
  const cpu = process.cpuUsage();
  return { wallMs: performance.now(), cpuMs: (cpu.user + cpu.system) / 1000, childCpuMs: childCpuMs() };
}

/** Appends the file that just ended (the root suite's first child names it). */
export function recordFileEnd(root: { suites: Array<{ file?: string }> } | undefined): void {
  if (!out || !last) return;
  const now = sample();
  const line = {
    file: root?.suites[0]?.file ?? '?',
    worker: process.env.MOCHA_WORKER_ID ?? String(process.pid),
    pid: process.pid,
    endedAtMs: Date.now(),
    wallMs: Math.round(now.wallMs - last.wallMs),
    cpuMs: Math.round(now.cpuMs - last.cpuMs),
    childCpuMs: Math.round(now.childCpuMs - last.childCpuMs),
    loadavg: fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0],
  };
  fs.appendFileSync(out, JSON.stringify(line) + '\n');
  last = now;
}
