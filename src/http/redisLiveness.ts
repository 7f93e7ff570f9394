/**
 * Whether this process reaches Redis now, by a ping every `redisPingEveryMs`. A silently partitioned Redis raises no
 * error for minutes while commands wait; so while a ping goes unanswered, `/health/ready` is 503 and routes that need
 * Redis answer 503 REDIS_UNAVAILABLE at the edge, which nginx passes on to another process.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../../systems/errors.js';
import type { Backplane } from '../../persistence/backplane/Backplane.js';
import type { LivenessConfig } from '../config/liveness.js';
import type { Logger } from '../logger.js';
import type { EdgeGate } from './edge.js';

export type LivenessSettings = Pick<LivenessConfig, 'redisPingEveryMs' | 'redisTripMs' | 'redisPingStuckMs'>;

export class RedisLiveness {
  /** Since when the last ping went unanswered (ms epoch), or null: Redis answers. */
  private downSince: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** When the ping still out was sent (ms epoch), or null. */
  private pingingSince: number | null = null;
  /** Called once at the next trip (requests waiting on Redis: the edge answers them then). */
  private readonly onTrip = new Set<() => void>();

  constructor(
    private readonly backplane: Pick<Backplane, 'kind' | 'ping'>,
    private readonly settings: LivenessSettings,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  get down(): boolean {
    return this.downSince !== null;
  }

  start(): void {
    if (this.backplane.kind !== 'redis' || this.timer) return;
    this.timer = setInterval(() => void this.check(), this.settings.redisPingEveryMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** `then` at the next trip (at once if down now); the returned function forgets it. */
  whenDown(then: () => void): () => void {
    if (this.down) {
      then();
      return () => undefined;
    }
    this.onTrip.add(then);
    return () => void this.onTrip.delete(then);
  }

  /**
   * A ping slower than `redisTripMs` marks Redis down and is left to answer in the background; no new ping while it is out,
   * unless out for `redisPingStuckMs` (its connection may have been replaced).
   */
  async check(): Promise<void> {
    if (this.pingingSince !== null && this.now() - this.pingingSince < this.settings.redisPingStuckMs) return;
    const since = (this.pingingSince = this.now());
    const done = () => {
      if (this.pingingSince === since) this.pingingSince = null;
    };
    const ping = this.backplane.ping().then(
      () => true,
      () => false,
    );
    const answer = await Promise.race([ping, sleep(this.settings.redisTripMs, 'late' as const, { ref: false })]);
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
        { tripMs: this.settings.redisTripMs, waiting: this.onTrip.size },
        'redis does not answer; not ready, refusing matchmaking and sign-ins (503) so the entry sends them elsewhere',
      );
      const waiting = [...this.onTrip];
      this.onTrip.clear();
      for (const then of waiting) then();
    }
  }
}

/** Matchmaking (Colyseus's presence) and sign-in (per-user limits) need Redis on every request. */
const NEEDS_REDIS = /^\/+(matchmake|api\/auth)\//i;

const unavailable = () => new AppError('REDIS_UNAVAILABLE', 'this server cannot reach its Redis; retry (another server can serve this)', undefined, 1);

/** Refuses what needs Redis while it does not answer, including requests already waiting, which the entry can still pass on. */
export function redisGate(liveness: Pick<RedisLiveness, 'down' | 'whenDown'>): EdgeGate {
  return {
    applies: (_method, path) => NEEDS_REDIS.test(path),
    admit: async () => {
      if (liveness.down) throw unavailable();
    },
    whileServed: () => {
      let forget: () => void = () => undefined;
      const refused = new Promise<never>((_, reject) => (forget = liveness.whenDown(() => reject(unavailable()))));
      refused.catch(() => undefined); // handled where it is raced; a request that never got that far must not leave it unhandled
      return { refused, stop: forget };
    },
  };
}
