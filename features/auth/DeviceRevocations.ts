/**
 * A revoked device is told to every process over `auth:device-revoked`: each drops its cached validity and closes the
 * device's rooms (4401). A message lost while Redis is away is covered by the reconnection re-check and the cache
 * TTL. Whatever removes a device must raise its generation and call `revoked`, or its live rooms run on.
 */
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import type { Backplane, BackplaneChannel } from '../../persistence/backplane/Backplane.js';
import { UUID_RE } from '../../systems/passport/payloads.js';

export interface RevocableRoom {
  close(code: number, reason: string): void;
}

/** Close code and reason a revoked device's live sessions get. */
export const DEVICE_REVOKED_CLOSE_CODE = 4401;
export const DEVICE_REVOKED_REASON = 'DEVICE_REVOKED';

export class DeviceRevocations {
  private readonly channel: BackplaneChannel;
  private readonly rooms = new Map<string, Set<RevocableRoom>>();
  private readonly listeners: Array<(deviceId: string) => void> = [];
  /** The generation each recently revoked device moved to: a join verified with an older one (racing the revocation) is refused. */
  private readonly recent = new LRUCache<string, number>({ max: 10_000, ttl: 3_600_000 });

  constructor(
    backplane: Backplane,
    private readonly log: Logger,
  ) {
    this.channel = backplane.channel('auth:device-revoked', (err) =>
      log.warn({ err: (err as Error).message }, 'device revocation not published; other processes close its rooms at their reconnection re-check'),
    );
  }

  /** Hears the other processes' revocations. */
  async start(): Promise<void> {
    await this.channel.subscribe((body) => {
      const [deviceId = '', generation = ''] = body.split(' ');
      if (UUID_RE.test(deviceId) && /^\d{1,9}$/.test(generation)) this.apply(deviceId.toLowerCase(), Number(generation));
    });
  }

  async stop(): Promise<void> {
    await this.channel.close();
  }

  /** Also told of every revocation, this process's and the others' (e.g. the device cache drops the device). */
  onRevoked(listener: (deviceId: string) => void): void {
    this.listeners.push(listener);
  }

  /** The device was revoked here (its token generation is now `generation`): every process forgets it and closes its live rooms. */
  revoked(deviceId: string, generation: number): void {
    this.channel.publish(`${deviceId} ${generation}`);
    this.apply(deviceId, generation);
  }

  /** Whether this process heard of a revocation after a token of `generation` was issued (a join racing its revocation). */
  revokedSince(deviceId: string, generation: number): boolean {
    return (this.recent.get(deviceId) ?? 0) > generation;
  }

  /** Registers a live room of `deviceId` on this process; returns its leave. */
  enter(deviceId: string, room: RevocableRoom): () => void {
    let rooms = this.rooms.get(deviceId);
    if (!rooms) this.rooms.set(deviceId, (rooms = new Set()));
    rooms.add(room);
    return () => {
      const current = this.rooms.get(deviceId);
      current?.delete(room);
      if (current?.size === 0) this.rooms.delete(deviceId);
    };
  }

  private apply(deviceId: string, generation: number): void {
    if (generation > (this.recent.get(deviceId) ?? 0)) this.recent.set(deviceId, generation);
    for (const listener of this.listeners) listener(deviceId);
    const rooms = this.rooms.get(deviceId);
    if (!rooms) return;
    this.rooms.delete(deviceId);
    this.log.warn({ deviceId, rooms: rooms.size }, 'device revoked: closing its live sessions');
    for (const room of rooms) {
      try {
        room.close(DEVICE_REVOKED_CLOSE_CODE, DEVICE_REVOKED_REASON);
      } catch (err) {
        this.log.error({ err, deviceId }, "a revoked device's room could not be closed");
      }
    }
  }
}
