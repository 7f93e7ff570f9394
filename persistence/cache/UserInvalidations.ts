import type { Redis } from 'ioredis';
import { OriginChannel } from './OriginChannel.js';

/**
 * "This user's cached data changed" across processes (the journal cache): a capture on one process
 * drops the entry everywhere. Local: in-process only. Redis: pub/sub on `<prefix>journal:invalidate`,
 * on a connection of its own (subscriber mode). A message lost while Redis is down is covered by the
 * cache TTL.
 */
export interface UserInvalidations {
  /** Tells every process (this one included, synchronously) that `userId` changed. */
  publish(userId: string): void;
  /** `listener` runs for every invalidation, local or remote. */
  onInvalidated(listener: (userId: string) => void): void;
  close(): Promise<void>;
}

export class LocalUserInvalidations implements UserInvalidations {
  protected readonly listeners: Array<(userId: string) => void> = [];

  publish(userId: string): void {
    for (const l of this.listeners) l(userId);
  }

  onInvalidated(listener: (userId: string) => void): void {
    this.listeners.push(listener);
  }

  async close(): Promise<void> {}
}

export class RedisUserInvalidations extends LocalUserInvalidations {
  private readonly channel: OriginChannel;

  constructor(redis: Redis, prefix: string, onError: (err: unknown) => void = () => undefined) {
    super();
    this.channel = new OriginChannel(redis, `${prefix}journal:invalidate`, onError);
  }

  async start(): Promise<this> {
    // Our own messages were applied when published.
    await this.channel.start((userId) => super.publish(userId));
    return this;
  }

  override publish(userId: string): void {
    super.publish(userId);
    this.channel.publish(userId);
  }

  override async close(): Promise<void> {
    await this.channel.close();
  }
}
