/** Rate limits on the backplane, so a limit means the same on every process; a refusal is RATE_LIMITED (429) with Retry-After. */
import { type RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../../systems/errors.js';
import type { Backplane } from '../../persistence/backplane/Backplane.js';

/** Too many of something in a window; retry after `retryAfterSec`. */
export class RateLimitedError extends AppError<'RATE_LIMITED'> {
  constructor(message: string, retryAfterSec: number) {
    super('RATE_LIMITED', message, undefined, retryAfterSec);
  }
}

/** The shared counts could not be read (Redis away): refuse with a retryable code rather than count nothing. */
const storeDown = (err: unknown): AppError =>
  err instanceof AppError ? err : new AppError('REDIS_UNAVAILABLE', 'the shared rate-limit store does not answer; retry in a few seconds', undefined, 2);

const secondsOf = (res: RateLimiterRes): number => Math.max(1, Math.ceil(res.msBeforeNext / 1000));

/** One named limit: `points` per `durationSec` per key. */
export class Limit {
  private readonly limiter: RateLimiterAbstract;

  constructor(
    backplane: Backplane,
    readonly name: string,
    readonly points: number,
    readonly durationSec: number,
    /** What the refusal says was limited, e.g. "sign-ups from this address". */
    private readonly what: string,
  ) {
    this.limiter = backplane.rateLimiter({ name, points, durationSec });
  }

  /** Counts `points` for `key`. @throws RateLimitedError when that passes the limit; a refused request costs nothing. */
  async consume(key: string, points = 1): Promise<void> {
    try {
      await this.limiter.consume(key, points);
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw storeDown(err);
      // The limiter counted the points before refusing: give them back, the refused request did nothing.
      await this.refund(key, points);
      throw this.refusal(err);
    }
  }

  /** Returns points consumed for a request that was refused elsewhere. */
  async refund(key: string, points: number): Promise<void> {
    await this.limiter.reward(key, points).catch(() => undefined); // a lost refund only makes the limit stricter
  }

  /** @throws RateLimitedError when `key` has used its points, without counting anything. */
  async check(key: string): Promise<void> {
    const res = await this.limiter.get(key).catch((err: unknown) => {
      throw storeDown(err);
    });
    if (res && res.consumedPoints >= this.points) throw this.refusal(res);
  }

  private refusal(res: RateLimiterRes): RateLimitedError {
    const retryAfterSec = secondsOf(res);
    const window =
      this.durationSec >= 3600 ? `${this.durationSec / 3600} h` : this.durationSec >= 60 ? `${this.durationSec / 60} min` : `${this.durationSec} s`;
    return new RateLimitedError(`too many ${this.what} (at most ${this.points} per ${window}); retry after ${retryAfterSec} s`, retryAfterSec);
  }
}
