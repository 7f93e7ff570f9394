/**
 * What Node's promise hooks cost once an AsyncLocalStorage has been entered (MikroORM's `em.flush()` does;
 * on Node 20–22 the hooks then stay on for every promise of the process). Each case runs in a fresh child
 * process, hooks off, then the same after one `AsyncLocalStorage.run`: CPU ns per promise created (an
 * `async` call awaiting another, like a query's promise chain), same run.
 *   npm run bench:promise-hooks [-- rounds]
 * Times a server's promise rate (counted by an async_hooks init probe, docs/benchmarks-archive.md "Micro-benchmarks: prepared statements and promise hooks"), this is its CPU share.
 */
import { execFileSync } from 'node:child_process';
import { AsyncLocalStorage } from 'node:async_hooks';

const ITERATIONS = 2_000_000;
/** Promises each iteration creates: the two async functions' results and one awaited value. */
const PROMISES_PER_ITERATION = 3;

async function leaf(i: number): Promise<number> {
  return i & 7;
}
async function step(i: number): Promise<number> {
  return (await leaf(i)) + (await Promise.resolve(1));
}

async function child(mode: string): Promise<void> {
  if (mode === 'on') new AsyncLocalStorage<boolean>().run(true, () => undefined);
  let sum = 0;
  for (let i = 0; i < ITERATIONS / 10; i++) sum += await step(i); // warm-up
  const start = process.cpuUsage();
  for (let i = 0; i < ITERATIONS; i++) sum += await step(i);
  const used = process.cpuUsage(start);
  const ns = ((used.user + used.system) * 1000) / (ITERATIONS * PROMISES_PER_ITERATION);
  process.stdout.write(JSON.stringify({ ns, sum }));
}

function runChild(mode: 'off' | 'on'): number {
  const out = execFileSync(process.execPath, [...process.execArgv, new URL(import.meta.url).pathname, '--child', mode], { encoding: 'utf8' });
  return (JSON.parse(out) as { ns: number }).ns;
}

if (process.argv[2] === '--child') {
  await child(process.argv[3]);
} else {
  const rounds = Number(process.argv[2] ?? 3);
  process.stdout.write(`node ${process.version}, ${ITERATIONS.toLocaleString('en-US')} iterations × ${PROMISES_PER_ITERATION} promises per case\n`);
  for (let r = 1; r <= rounds; r++) {
    const off = runChild('off');
    const on = runChild('on');
    process.stdout.write(
      `round ${r}: CPU ns per promise, hooks off ${off.toFixed(1)} · on ${on.toFixed(1)} · the hooks add ${(on - off).toFixed(1)} ns (${(on / off).toFixed(2)}×)\n`,
    );
  }
}
