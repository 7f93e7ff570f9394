/**
 * The processes that host rooms, announced on the presence (`{prefix}roomhosts`: process id → epoch ms). Colyseus lists
 * a ROOMS_ENABLED=false process too; placement takes only those that announced recently. Re-announced every
 * ROOM_HOST_ANNOUNCE_MS (an announcement lost with a Redis restart comes back), withdrawn on stop.
 */
import type { Presence } from '@colyseus/core';
import type { Logger } from './logger.js';
import { forgottenRoomHosts, freshRoomHosts, ROOM_HOST_ANNOUNCE_MS } from '../systems/placement.js';

type HashPresence = Pick<Presence, 'hset' | 'hgetall' | 'hdel'> & Partial<Pick<Presence, 'channels'>>;

export class RoomHosts {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly presence: HashPresence,
    /** Processes of one deployment only. */
    readonly key: string,
    /** For forgetting the gone ones. */
    private readonly listed: () => Promise<readonly string[]>,
    private readonly log: Pick<Logger, 'warn'>,
    private readonly now: () => number = Date.now,
    /** Colyseus removes a gone process's room listings only when a request to it times out with health checks on, never on a create. */
    private readonly onGone?: (processId: string) => Promise<unknown>,
  ) {}

  private readonly sweeping = new Set<string>();

  /** A process killed a moment ago drops its IPC subscription at once while its announcement stays fresh, and a create sent to it would wait out the 2 s IPC timeout. */
  async fresh(): Promise<Set<string>> {
    const [announced, channels] = await Promise.all([this.presence.hgetall(this.key), this.presence.channels?.('p:*')]);
    const fresh = freshRoomHosts(announced ?? {}, this.now());
    if (!channels) return fresh;
    const live = new Set(channels.map((channel) => channel.slice(2)));
    for (const processId of fresh) if (!live.has(processId)) this.sweep(processId);
    return new Set([...fresh].filter((processId) => live.has(processId)));
  }

  private sweep(processId: string): void {
    if (!this.onGone || this.sweeping.has(processId)) return;
    this.sweeping.add(processId);
    void this.onGone(processId)
      .then(() => this.presence.hdel(this.key, processId))
      .catch((err: Error) => this.log.warn({ err: err.message, processId }, 'a gone room host was not swept; the next placement tries again'))
      .finally(() => this.sweeping.delete(processId));
  }

  /** A failed announcement is retried by the next. */
  async start(processId: string): Promise<void> {
    const announce = () =>
      this.announce(processId).catch((err: Error) =>
        this.log.warn({ err: err.message, processId }, 'room host announcement failed; other processes place no room here until the next one succeeds'),
      );
    await announce();
    this.timer = setInterval(() => void announce(), ROOM_HOST_ANNOUNCE_MS);
    this.timer.unref();
  }

  /** Placement stops choosing it before its rooms are disposed. */
  async stop(processId: string): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    // Not withdrawn (Redis gone): it goes stale in ROOM_HOST_FRESH_MS, and the matchmaker drops the process anyway.
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
