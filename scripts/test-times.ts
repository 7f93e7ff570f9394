/**
 * Summarises a test run's per-file times (TEST_TIMES=<file.jsonl> npm test; test/support/fileTimes.ts):
 * the files that cost most CPU (their own and their server processes'), each worker's total and the file
 * it ended on (a long file landing last leaves the other worker idle). Usage: tsx scripts/test-times.ts <file.jsonl> [top].
 */
import fs from 'node:fs';
import path from 'node:path';

interface Line {
  file: string;
  worker: string;
  endedAtMs: number;
  wallMs: number;
  cpuMs: number;
  childCpuMs: number;
  loadavg: string;
}

const [input, topArg] = process.argv.slice(2);
if (!input) throw new Error('usage: tsx scripts/test-times.ts <times.jsonl> [top]');
const lines: Line[] = fs
  .readFileSync(input, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as Line);
const rel = (f: string) => path.relative(process.cwd(), f);
const s = (ms: number) => (ms / 1000).toFixed(1);
const cpu = (l: Line) => l.cpuMs + l.childCpuMs;

const top = Number(topArg ?? 25);
process.stdout.write(`files ${lines.length}; top ${top} by CPU (own + server processes), seconds\n`);
process.stdout.write('   cpu  child   wall  load  file\n');
for (const l of [...lines].sort((a, b) => cpu(b) - cpu(a)).slice(0, top))
  process.stdout.write(`${s(cpu(l)).padStart(6)} ${s(l.childCpuMs).padStart(6)} ${s(l.wallMs).padStart(6)} ${l.loadavg.padStart(5)}  ${rel(l.file)}\n`);

process.stdout.write('\nby wall (waits: wall far above CPU)\n');
for (const l of [...lines].sort((a, b) => b.wallMs - a.wallMs).slice(0, top))
  process.stdout.write(`${s(cpu(l)).padStart(6)} ${s(l.childCpuMs).padStart(6)} ${s(l.wallMs).padStart(6)} ${l.loadavg.padStart(5)}  ${rel(l.file)}\n`);

const start = Math.min(...lines.map((l) => l.endedAtMs - l.wallMs));
process.stdout.write('\nworkers: files, CPU s, wall s, ended at s, last file\n');
const byWorker = new Map<string, Line[]>();
for (const l of lines) byWorker.set(l.worker, [...(byWorker.get(l.worker) ?? []), l]);
for (const [worker, ls] of byWorker) {
  const lastLine = ls.reduce((a, b) => (a.endedAtMs > b.endedAtMs ? a : b));
  const total = ls.reduce((sum, l) => sum + cpu(l), 0);
  const wall = ls.reduce((sum, l) => sum + l.wallMs, 0);
  process.stdout.write(
    `  ${worker}: ${ls.length} files, ${s(total)} CPU, ${s(wall)} wall, ended at ${s(lastLine.endedAtMs - start)}, last ${rel(lastLine.file)} (${s(lastLine.wallMs)} s)\n`,
  );
}
const all = lines.reduce((sum, l) => sum + cpu(l), 0);
const end = Math.max(...lines.map((l) => l.endedAtMs));
process.stdout.write(`\ntotal CPU ${s(all)} s (own ${s(lines.reduce((a, l) => a + l.cpuMs, 0))}), span ${s(end - start)} s\n`);
