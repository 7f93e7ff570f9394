/**
 * Paces a client's room inputs so it never floods the server (holding an arrow key once filled
 * the log with RATE_LIMITED). Inputs pass through a token bucket below the server's per-client rate;
 * inputs that a newer one supersedes (a swipe, a tune, a clock sync) wait as "latest wins" instead of
 * queuing; others (captures, orb taps, offline syncs) wait in a short bounded queue. When the server
 * still answers RATE_LIMITED, the pacer pauses for a backoff that doubles on each refusal (capped) and
 * resets after a quiet period. Pure: time and sending are injected, so it runs anywhere and is testable.
 */
export interface InputPacerOptions {
  /** Sustained inputs per second (the server's CLIENT_MESSAGE_RATE default is 30). Default 10. */
  ratePerSec?: number;
  /** Bucket size: a burst of this many inputs goes out at once. Default 5. */
  burst?: number;
  /** First pause after a RATE_LIMITED reply. Default 1,000 ms; doubles up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Inputs that are not superseded and wait their turn; beyond it the oldest is dropped. Default 20. */
  maxQueued?: number;
}

interface Pending {
  type: string;
  payload: unknown;
}

/** Message types where only the newest matters: a newer one replaces a waiting one. */
const LATEST_WINS = new Set(['swipe', 'tune', 'clock']);

export class InputPacer {
  private readonly rate: number;
  private readonly burst: number;
  private readonly baseBackoff: number;
  private readonly maxBackoff: number;
  private readonly maxQueued: number;
  private tokens: number;
  private refilledAt: number;
  private pausedUntil = 0;
  private backoff = 0;
  private lastRefusal = -Infinity;
  private readonly latest = new Map<string, Pending>();
  private readonly queue: Pending[] = [];
  /** Inputs dropped because the queue was full (for a status line or a test). */
  dropped = 0;
  /** While held (no connection), nothing goes out: inputs wait here, latest-wins and bounded as always. */
  held = false;

  constructor(
    private readonly send: (type: string, payload: unknown) => void,
    private readonly now: () => number,
    options: InputPacerOptions = {},
  ) {
    this.rate = options.ratePerSec ?? 10;
    this.burst = options.burst ?? 5;
    this.baseBackoff = options.backoffMs ?? 1000;
    this.maxBackoff = options.maxBackoffMs ?? 8000;
    this.maxQueued = options.maxQueued ?? 20;
    this.tokens = this.burst;
    this.refilledAt = now();
  }

  /** Sends now if the bucket allows, else keeps it for {@link flush}. */
  input(type: string, payload: unknown): void {
    if (LATEST_WINS.has(type)) this.latest.set(type, { type, payload });
    else {
      if (this.queue.length >= this.maxQueued) {
        this.queue.shift();
        this.dropped++;
      }
      this.queue.push({ type, payload });
    }
    this.flush();
  }

  /** The server refused an input for its rate: pause, longer each time it happens again soon. */
  rateLimited(): void {
    const now = this.now();
    this.backoff = now - this.lastRefusal < this.maxBackoff * 2 ? Math.min(this.maxBackoff, Math.max(this.baseBackoff, this.backoff * 2)) : this.baseBackoff;
    this.lastRefusal = now;
    this.pausedUntil = now + this.backoff;
    this.tokens = 0;
  }

  /** How long until something waiting can go out (0: nothing waits, or it can go now). Call flush() then. */
  get waitMs(): number {
    if (!this.pending) return 0;
    const now = this.now();
    if (now < this.pausedUntil) return this.pausedUntil - now;
    this.refill(now);
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) * 1000) / this.rate);
  }

  get pending(): number {
    return this.queue.length + this.latest.size;
  }

  /** Sends what the bucket allows now: queued inputs first (in order), then the latest of each kind. */
  flush(): void {
    const now = this.now();
    if (this.held || now < this.pausedUntil) return;
    this.refill(now);
    while (this.tokens >= 1 && this.pending) {
      const next = this.queue.shift() ?? this.takeLatest();
      if (!next) break;
      this.tokens -= 1;
      this.send(next.type, next.payload);
    }
  }

  private takeLatest(): Pending | undefined {
    const [type, pending] = this.latest.entries().next().value ?? [];
    if (type === undefined) return undefined;
    this.latest.delete(type);
    return pending;
  }

  private refill(now: number): void {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.refilledAt) * this.rate) / 1000);
    this.refilledAt = now;
  }
}
