import type { Redis } from 'ioredis';
import { OriginChannel } from '../backplane/OriginChannel.js';

/**
 * "This user's cached data changed" across processes (the journal cache): a capture on one process
 * drops the entry everywhere. Local: in-process only. Redis: pub/sub on `<prefix>journal:invalidate`,
 * on a connection of its own (subscriber mode), the users of a short window in one message (newline-
 * separated; a process older than that format reads it as one unknown user and keeps the old journal
 * until its TTL). A message lost while Redis is down is covered by the cache TTL.
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

export interface InvalidationBatching {
  /** Invalidations for other processes are gathered this long into one PUBLISH; 0 publishes each at once. */
  batchMs: number;
  /** Users per PUBLISH at most: reaching it publishes at once (the bound of the pending set). */
  batchMax: number;
}

/** Users in one message are separated by a newline (user ids never hold one). */
const SEPARATOR = '\n';

export class RedisUserInvalidations extends LocalUserInvalidations {
  private readonly channel: OriginChannel;
  /** Users invalidated here and not yet told to the other processes (at most `batchMax`). */
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    redis: Redis,
    prefix: string,
    onError: (err: unknown) => void = () => undefined,
    private readonly batching: InvalidationBatching = { batchMs: 0, batchMax: 1 },
  ) {
    super();
    this.channel = new OriginChannel(redis, `${prefix}journal:invalidate`, onError);
  }

  async start(): Promise<this> {
    // Our own messages were applied when published.
    await this.channel.start((body) => {
      for (const userId of body.split(SEPARATOR)) if (userId) super.publish(userId);
    });
    return this;
  }

  /** Applied here at once; other processes hear it within `batchMs` (one PUBLISH carries every user gathered meanwhile). */
  override publish(userId: string): void {
    super.publish(userId);
    this.pending.add(userId);
    if (this.pending.size >= this.batching.batchMax || this.batching.batchMs <= 0) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.batching.batchMs);
  }

  /** Shutdown tells the other processes what is still gathered before the channel closes. */
  override async close(): Promise<void> {
    this.flush();
    await this.channel.close();
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size === 0) return;
    this.channel.publish([...this.pending].join(SEPARATOR));
    this.pending.clear();
  }
}
