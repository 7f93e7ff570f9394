/**
 * Whether this process reaches its Redis now, kept by a ping once a second. A Redis cut off silently (a
 * partition: packets dropped, no reset) raises no connection error for minutes; commands just wait. Until
 * then every request that needs Redis would hang on this process while the other processes could serve it.
 * So, while a ping goes unanswered: `/health/ready` answers 503 at once, and the routes that cannot work
 * without Redis (matchmaking, sign-in) answer 503 REDIS_UNAVAILABLE at the edge, which the nginx entry
 * (deploy/nginx) passes on to another process (`proxy_next_upstream http_503`).
 */
import { AppError } from '../../systems/errors.js';
import type { Backplane } from '../../persistence/backplane/Backplane.js';
import type { Logger } from '../logger.js';
import type { EdgeGate } from './edgeGates.js';

/**
 * One ping a second, each given two: a partition shows within ≈ 3 s; a slow Redis (p99 ≪ 1 s) does not trip it, nor
 * (seen on the fleet testbed with one) an event loop stalled for a second on a box at load 19.
 */
const PING_EVERY_MS = 1000;
const PING_TIMEOUT_MS = 2000;
const STUCK_PING_MS = 10_000;

export class RedisLiveness {
  /** Since when the last ping went unanswered (ms epoch), or null: Redis answers. */
  private downSince: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** When the ping still out was sent (ms epoch), or null. */
  private pingingSince: number | null = null;

  constructor(
    private readonly backplane: Pick<Backplane, 'kind' | 'ping'>,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  get down(): boolean {
    return this.downSince !== null;
  }

  start(): void {
    if (this.backplane.kind !== 'redis' || this.timer) return;
    this.timer = setInterval(() => void this.check(), PING_EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /**
   * One ping. One that takes longer than PING_TIMEOUT_MS marks Redis down and is left to answer in the
   * background (that answer marks it up again); no new ping is sent while it is out, unless it has been out
   * for STUCK_PING_MS (its connection may have been replaced under it).
   */
  async check(): Promise<void> {
    if (this.pingingSince !== null && this.now() - this.pingingSince < STUCK_PING_MS) return;
    const since = (this.pingingSince = this.now());
    const done = () => {
      if (this.pingingSince === since) this.pingingSince = null;
    };
    const ping = this.backplane.ping().then(
      () => true,
      () => false,
    );
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), PING_TIMEOUT_MS)));
    const answer = await Promise.race([ping, late]);
    clearTimeout(timer);
    if (answer !== 'late') {
      this.note(answer);
      return done();
    }
    this.note(false);
    void ping.then((up) => {
      if (up && this.pingingSince === since) this.note(true);
      done();
    });
  }

  private note(up: boolean): void {
    if (up && this.downSince !== null) {
      this.log.info({ downMs: this.now() - this.downSince }, 'redis answers again; taking matchmaking and sign-ins again');
      this.downSince = null;
    } else if (!up && this.downSince === null) {
      this.downSince = this.now();
      this.log.warn(
        { pingTimeoutMs: PING_TIMEOUT_MS },
        'redis does not answer; not ready, refusing matchmaking and sign-ins (503) so the entry sends them elsewhere',
      );
    }
  }
}

/** Matchmaking (Colyseus's presence) and sign-in (per-user limits) need Redis on every request. */
const NEEDS_REDIS = /^\/+(matchmake|api\/auth)\//i;

/** Refuses what needs Redis while it does not answer (before the Redis-backed matchmaking limit, which would hang). */
export function redisGate(liveness: Pick<RedisLiveness, 'down'>): EdgeGate {
  return {
    applies: (_method, path) => liveness.down && NEEDS_REDIS.test(path),
    admit: async () => {
      if (liveness.down) throw new AppError('REDIS_UNAVAILABLE', 'this server cannot reach its Redis; retry (another server can serve this)', undefined, 1);
    },
  };
}
