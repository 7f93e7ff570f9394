import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

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
  private readonly origin = randomUUID();
  private readonly channel: string;
  private subscriber?: Redis;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {
    super();
    this.channel = `${prefix}journal:invalidate`;
  }

  async start(): Promise<this> {
    this.subscriber = this.redis.duplicate();
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel !== this.channel) return;
      const sep = message.indexOf('|');
      // Our own messages were applied when published.
      if (sep > 0 && message.slice(0, sep) !== this.origin) super.publish(message.slice(sep + 1));
    });
    await this.subscriber.subscribe(this.channel);
    return this;
  }

  override publish(userId: string): void {
    super.publish(userId);
    this.redis.publish(this.channel, `${this.origin}|${userId}`).catch(this.onError);
  }

  override async close(): Promise<void> {
    await this.subscriber?.quit().catch(() => undefined);
  }
}
