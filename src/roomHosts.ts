/**
 * The processes that host rooms, announced on the matchmaker's presence (a hash `{prefix}roomhosts`:
 * process id → epoch ms of its last announcement). Colyseus lists every process that started the
 * matchmaker in `roomcount`, a process run with ROOMS_ENABLED=false too; room placement
 * (systems/placement.ts) takes as candidates only the listed processes that announced themselves here
 * recently. A room process announces at start and every ROOM_HOST_ANNOUNCE_MS (so an announcement lost
 * with a Redis restart comes back, as Colyseus re-persists `roomcount` within a minute), withdraws on
 * stop, and deletes announcements of processes long gone. A process with rooms off never announces.
 */
import type { Presence } from '@colyseus/core';
import type { Logger } from './logger.js';
import { forgottenRoomHosts, freshRoomHosts, ROOM_HOST_ANNOUNCE_MS } from '../systems/placement.js';

type HashPresence = Pick<Presence, 'hset' | 'hgetall' | 'hdel'> & Partial<Pick<Presence, 'channels'>>;

export class RoomHosts {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly presence: HashPresence,
    /** `{REDIS_PREFIX}roomhosts`: processes of one deployment only. */
    readonly key: string,
    /** The process ids Colyseus lists (`matchMaker.stats.fetchAll()`), for forgetting the gone ones. */
    private readonly listed: () => Promise<readonly string[]>,
    private readonly log: Pick<Logger, 'warn'>,
    private readonly now: () => number = Date.now,
    /**
     * A process that announced itself and whose IPC channel is gone (killed, or cut from Redis): its room
     * listings must go too. Colyseus removes them only when a request to that process times out with health
     * checks on, and not even then on a create (its listings then stayed for good).
     */
    private readonly onGone?: (processId: string) => Promise<unknown>,
  ) {}

  private readonly sweeping = new Set<string>();

  /**
   * The processes announced recently whose IPC channel is still subscribed: a process killed a moment ago
   * drops its subscription with its connection at once, while its announcement stays fresh for a minute, and
   * a create sent to it would wait out Colyseus's 2 s IPC timeout (every resume after a crash would pay it).
   */
  async fresh(): Promise<Set<string>> {
    const [announced, channels] = await Promise.all([this.presence.hgetall(this.key), this.presence.channels?.('p:*')]);
    const fresh = freshRoomHosts(announced ?? {}, this.now());
    if (!channels) return fresh;
    const live = new Set(channels.map((channel) => channel.slice(2)));
    for (const processId of fresh) if (!live.has(processId)) this.sweep(processId);
    return new Set([...fresh].filter((processId) => live.has(processId)));
  }

  /** Once per gone process: its listings are cleaned (onGone), then its announcement withdrawn. */
  private sweep(processId: string): void {
    if (!this.onGone || this.sweeping.has(processId)) return;
    this.sweeping.add(processId);
    void this.onGone(processId)
      .then(() => this.presence.hdel(this.key, processId))
      .catch((err: Error) => this.log.warn({ err: err.message, processId }, 'a gone room host was not swept; the next placement tries again'))
      .finally(() => this.sweeping.delete(processId));
  }

  /** Announces `processId` now and every ROOM_HOST_ANNOUNCE_MS until {@link stop}; a failed announcement is retried by the next. */
  async start(processId: string): Promise<void> {
    const announce = () =>
      this.announce(processId).catch((err: Error) =>
        this.log.warn({ err: err.message, processId }, 'room host announcement failed; other processes place no room here until the next one succeeds'),
      );
    await announce();
    this.timer = setInterval(() => void announce(), ROOM_HOST_ANNOUNCE_MS);
    this.timer.unref();
  }

  /** Stops announcing and withdraws `processId`: placement stops choosing it before its rooms are disposed. */
  async stop(processId: string): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    // Not withdrawn (Redis gone): the announcement goes stale in ROOM_HOST_FRESH_MS, and the matchmaker drops the process anyway.
    await this.presence
      .hdel(this.key, processId)
      .catch((err: Error) => this.log.warn({ err: err.message, processId }, 'room host not withdrawn; its announcement goes stale within a minute'));
  }

  private async announce(processId: string): Promise<void> {
    await this.presence.hset(this.key, processId, String(this.now()));
    const [announced, listed] = await Promise.all([this.presence.hgetall(this.key), this.listed()]);
    for (const gone of forgottenRoomHosts(announced ?? {}, new Set(listed), this.now())) await this.presence.hdel(this.key, gone);
  }
}
