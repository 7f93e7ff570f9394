/**
 * A coliseum spectator: joins `coliseum` with the run's leaderboard/window options and receives its
 * throttled leaderboard patches. Probes (a few per worker) also walk the decoded state on every patch
 * and report each leaderboard entry whose score changed, for the spectator-lag measurement.
 * When the server has no `coliseum` room the bot reports "coliseum unavailable" instead of failing.
 */
import { MeteredClient, type FrameMeter, type MeteredRoom } from './meteredClient.js';
import { epochNow, type BotPlan, type WorkerContext } from './context.js';
import { describe, withTimeout } from './sessionBot.js';
import { extractLeaderboardEntries } from './spectatorLag.js';
import { bump, countFrameIn, countFrameOut, emptyTraffic, overlap } from './stats.js';

const NO_HANDLER = 520; // @colyseus/shared-types ErrorCode.MATCHMAKE_NO_HANDLER
/** A draining process closes its coliseum with this (Colyseus' server shutdown): spectators join one elsewhere. */
const SERVER_SHUTDOWN = 4001;

/** A first join is tried this many times before the spectator counts as failed. */
const FIRST_JOIN_TRIES = 3;

export class SpectatorBot implements FrameMeter {
  readonly traffic = emptyTraffic();
  private readonly client: MeteredClient;
  private room: MeteredRoom | null = null;
  private connectedSince: number | null = null;
  private connectedMsInWindow = 0;
  private lastPatchAt = 0;
  private active = false;
  private readonly scores = new Map<string, number>();

  constructor(
    private readonly ctx: WorkerContext,
    private readonly plan: BotPlan,
  ) {
    this.client = new MeteredClient(ctx.urlFor(plan), this);
  }

  get connected(): boolean {
    return this.active;
  }

  frameIn(bytes: number, isPatch: boolean, _full: boolean, now: number): void {
    if (isPatch) {
      if (this.lastPatchAt && this.ctx.measuring) this.ctx.record('spectatorPatchInterval', now - this.lastPatchAt);
      this.lastPatchAt = now;
    }
    if (this.ctx.measuring) countFrameIn(this.traffic, bytes, isPatch);
  }

  frameOut(bytes: number): void {
    if (this.ctx.measuring) countFrameOut(this.traffic, bytes);
  }

  /**
   * `rejoin`: the how-manyth attempt to find another coliseum after ours closed (0: the first join); `retry`: the
   * how-manyth try of the first join (a deploy can send it to a process that is draining, as it can a rejoin).
   */
  async start(rejoin = 0, retry = 0): Promise<void> {
    if (this.ctx.stopping) return;
    const c = this.ctx.counters.spectators;
    if (!rejoin && !retry) c.attempted++;
    const t0 = performance.now();
    let gaveUp = false;
    try {
      const options: Record<string, unknown> = { window: this.ctx.init.window };
      if (this.ctx.init.leaderboards?.length) options.leaderboards = this.ctx.init.leaderboards;
      const joining = this.client.joinOrCreate('coliseum', options);
      joining.then(
        (late) => {
          if (gaveUp) void late.leave(true).catch(() => undefined);
        },
        () => undefined,
      );
      const room = (await withTimeout(joining, 30_000, 'join')) as unknown as MeteredRoom;
      if (rejoin) c.rejoined++;
      else {
        this.ctx.record('joinSpectator', performance.now() - t0);
        c.connected++;
      }
      this.attach(room);
      if (this.ctx.stopping) await this.leave();
    } catch (err) {
      gaveUp = true;
      const e = err as { code?: number; message?: string };
      if (rejoin && !this.ctx.stopping) {
        // The entry may still send the join to the draining or booting process: try again, backing off.
        bump(this.ctx.counters.joinFailures, `coliseum rejoin: ${describe(err)}`);
        return void setTimeout(() => void this.start(rejoin + 1), Math.min(2000, 100 * 2 ** rejoin) * (0.5 + this.ctx.random()));
      }
      const unavailable = e?.code === NO_HANDLER || /not defined/.test(e?.message ?? '');
      if (!unavailable && retry < FIRST_JOIN_TRIES - 1 && !this.ctx.stopping) {
        bump(this.ctx.counters.joinFailures, `coliseum (tried again): ${describe(err)}`);
        return void setTimeout(() => void this.start(0, retry + 1), Math.min(2000, 200 * 2 ** retry) * (0.5 + this.ctx.random()));
      }
      if (unavailable) {
        c.unavailable++;
        this.ctx.coliseumUnavailable ??= `coliseum unavailable: ${e?.message ?? 'no handler'}`;
      } else {
        c.failed++;
        bump(this.ctx.counters.joinFailures, `coliseum: ${describe(err)}`);
      }
    }
  }

  async leave(): Promise<void> {
    const room = this.room;
    const was = this.active;
    this.active = false;
    this.markDisconnected();
    if (room && was) await withTimeout(room.leave(true), 5000, 'leave').catch(() => undefined);
  }

  finish(): void {
    this.markDisconnected();
    this.traffic.botSeconds = this.connectedMsInWindow / 1000;
    if (this.traffic.botSeconds > 0.5) this.ctx.recordRate('spectatorBytesInPerSec', this.traffic.bytesIn / this.traffic.botSeconds);
  }

  private attach(room: MeteredRoom): void {
    this.room = room;
    this.active = true;
    this.connectedSince = epochNow();
    room.onMessage('*', () => undefined);
    if (this.plan.probe) room.onStateChange((state: any) => this.sight(state));
    room.onDrop(() => {
      this.ctx.counters.reconnects.sdkAutomatic++;
      this.markDisconnected();
    });
    room.onReconnect(() => (this.connectedSince ??= epochNow()));
    room.onLeave((code: number) => {
      if (!this.active) return;
      this.active = false;
      this.markDisconnected();
      // Spectators are not moved (docs/PROTOCOL.md "Moving and resuming"): the board comes back from another process.
      if (code === SERVER_SHUTDOWN && !this.ctx.stopping) return void setTimeout(() => void this.start(1), Math.round(100 + this.ctx.random() * 400));
      this.ctx.counters.spectators.dropped++;
    });
  }

  private sight(state: any): void {
    const t = epochNow();
    const json = typeof state?.toJSON === 'function' ? state.toJSON() : state;
    const probe = `${this.ctx.init.workerId}:${this.plan.index}`;
    const present = new Set<string>();
    for (const e of extractLeaderboardEntries(json)) {
      const key = `${e.leaderboard}\u0000${e.entityId}`;
      present.add(key);
      if (this.scores.get(key) === e.score) continue;
      this.scores.set(key, e.score);
      this.ctx.sightings.push({ probe, leaderboard: e.leaderboard, entityId: e.entityId, score: e.score, t });
    }
    // Entries that left the displayed rows: a NaN sighting ends their visible stretch.
    for (const key of this.scores.keys()) {
      if (present.has(key)) continue;
      this.scores.delete(key);
      const [leaderboard, entityId] = key.split('\u0000');
      this.ctx.sightings.push({ probe, leaderboard, entityId, score: NaN, t });
    }
  }

  private markDisconnected(): void {
    if (this.connectedSince === null) return;
    this.connectedMsInWindow += overlap(this.connectedSince, epochNow(), this.ctx.start.windowStart, this.ctx.start.windowEnd);
    this.connectedSince = null;
  }
}
