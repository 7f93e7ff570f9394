/** Timing helpers for `npm run bench:orm`: interleaved A/B runs, a fixed number in flight, percentiles. */
import { performance } from 'node:perf_hooks';

export interface Sample {
  /** Milliseconds per operation. */
  ms: number[];
  /** Statements sent through the ORM connection per operation (BEGIN/COMMIT not counted). */
  statementsPerOp: number;
  /** Wall time of the whole run, seconds (for throughput under concurrency). */
  seconds: number;
}

export type Op = (i: number) => Promise<unknown>;

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export function stats(s: Sample): { p50: number; p99: number; mean: number; opsPerSec: number } {
  const sorted = [...s.ms].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    mean: sorted.reduce((a, b) => a + b, 0) / sorted.length,
    opsPerSec: s.ms.length / s.seconds,
  };
}

/**
 * Runs `n` operations of each side one at a time, alternating which goes first, so both see the same
 * machine (other engineers' jobs share these 2 cores). `warmup` unrecorded operations each first.
 */
export async function interleaved(n: number, warmup: number, a: Op, b: Op, statements: () => number): Promise<[Sample, Sample]> {
  for (let i = 0; i < warmup; i++) {
    await a(i);
    await b(i);
  }
  const out: [Sample, Sample] = [
    { ms: [], statementsPerOp: 0, seconds: 0 },
    { ms: [], statementsPerOp: 0, seconds: 0 },
  ];
  const stmts = [0, 0];
  for (let i = warmup; i < warmup + n; i++) {
    const order = i % 2 === 0 ? [0, 1] : [1, 0];
    for (const side of order) {
      const before = statements();
      const t0 = performance.now();
      await (side === 0 ? a : b)(i);
      out[side].ms.push(performance.now() - t0);
      out[side].seconds += (performance.now() - t0) / 1000;
      stmts[side] += statements() - before;
    }
  }
  out[0].statementsPerOp = stmts[0] / n;
  out[1].statementsPerOp = stmts[1] / n;
  return out;
}

/** `n` operations with `inFlight` at a time (a join or capture storm on the pool); per-operation latency and wall time. */
export async function concurrent(n: number, inFlight: number, op: Op, offset = 0): Promise<Sample> {
  const ms: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < n) {
        const i = offset + next++;
        const started = performance.now();
        await op(i);
        ms.push(performance.now() - started);
      }
    }),
  );
  return { ms, statementsPerOp: Number.NaN, seconds: (performance.now() - t0) / 1000 };
}

/** Two halves of each side, A B A B, merged: a storm of `n` per side with less drift between them. */
export async function concurrentAb(n: number, inFlight: number, a: Op, b: Op): Promise<[Sample, Sample]> {
  const half = Math.floor(n / 2);
  const a1 = await concurrent(half, inFlight, a, 0);
  const b1 = await concurrent(half, inFlight, b, 0);
  const a2 = await concurrent(n - half, inFlight, a, half);
  const b2 = await concurrent(n - half, inFlight, b, half);
  const merge = (x: Sample, y: Sample): Sample => ({ ms: [...x.ms, ...y.ms], statementsPerOp: Number.NaN, seconds: x.seconds + y.seconds });
  return [merge(a1, a2), merge(b1, b2)];
}
