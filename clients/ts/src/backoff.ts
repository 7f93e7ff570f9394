/**
 * When to try again: jittered exponential backoff (full jitter, so thousands of clients dropped by one
 * restart do not come back in step) and the server's own `retryAfterMs=N` hint, which is a floor.
 * Pure: the random source is injected.
 */
export interface BackoffOptions {
  /** The first ceiling. Default 250 ms. */
  baseMs?: number;
  /** Each failure multiplies the ceiling by this. Default 2. */
  factor?: number;
  /** The ceiling never exceeds this. Default 8,000 ms. */
  maxMs?: number;
  /** A delay is never below this (a refused connection fails at once; do not spin). Default 50 ms. */
  minMs?: number;
  random?: () => number;
}

export class Backoff {
  private readonly baseMs: number;
  private readonly factor: number;
  private readonly maxMs: number;
  private readonly minMs: number;
  private readonly random: () => number;
  /** Failures since the last reset. */
  attempts = 0;

  constructor(options: BackoffOptions = {}) {
    this.baseMs = options.baseMs ?? 250;
    this.factor = options.factor ?? 2;
    this.maxMs = options.maxMs ?? 8000;
    this.minMs = options.minMs ?? 50;
    this.random = options.random ?? Math.random;
  }

  /** The ceiling of the next delay: base × factor^attempts, capped. */
  get ceilingMs(): number {
    return Math.min(this.maxMs, this.baseMs * this.factor ** this.attempts);
  }

  /** The delay before the next try after a failure: uniform in [minMs, ceiling]. */
  next(): number {
    const ceiling = this.ceilingMs;
    this.attempts++;
    return Math.max(this.minMs, Math.round(this.random() * ceiling));
  }

  /** After a refusal that named its own wait (`retryAfterMs=N`): at least N, plus jitter up to the current ceiling. */
  after(retryAfterMs: number): number {
    const ceiling = this.ceilingMs;
    this.attempts++;
    return Math.max(this.minMs, Math.round(retryAfterMs + this.random() * ceiling));
  }

  reset(): void {
    this.attempts = 0;
  }
}

/**
 * About `ms`, spread so a crowd told the same wait does not arrive at once: uniform in [ms, ms × 1.5],
 * and at least 0–100 ms of spread when `ms` is small.
 */
export function jittered(ms: number, random: () => number = Math.random): number {
  const base = Math.max(0, ms);
  return Math.round(base + random() * Math.max(100, base / 2));
}

/** The `retryAfterMs=N` hint of a refusal's message (RESUME_BUSY, 4503), or null. */
export function retryAfterOf(message: string | undefined): number | null {
  const m = /retryAfterMs=(\d+)/.exec(message ?? '');
  return m ? Number(m[1]) : null;
}
