import type { Backplane, BackplaneChannel } from '../../persistence/backplane/Backplane.js';

export interface InvalidationBatching {
  /** Invalidations for other processes are gathered this long into one PUBLISH; 0 publishes each at once. */
  batchMs: number;
  /** Users per PUBLISH at most: reaching it publishes at once (the bound of the pending set). */
  batchMax: number;
}

/** Users in one message are separated by a newline (user ids never hold one). */
const SEPARATOR = '\n';

/**
 * Drops a user's journal cache entry on every process: here at once, elsewhere over `journal:invalidate` (a window's
 * users in one newline-separated message). A message lost while Redis is down is covered by the cache TTL.
 */
export class JournalInvalidations {
  private readonly listeners: Array<(userId: string) => void> = [];
  private readonly channel: BackplaneChannel;
  private readonly shared: boolean;
  /** Users invalidated here and not yet told to the other processes (at most `batchMax`). */
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    backplane: Backplane,
    private readonly batching: InvalidationBatching,
    onError: (err: unknown) => void,
  ) {
    this.channel = backplane.channel('journal:invalidate', onError);
    this.shared = backplane.kind !== 'local';
  }

  /** Hears the other processes' invalidations (ours were applied when published). */
  async start(): Promise<this> {
    await this.channel.subscribe((body) => {
      for (const userId of body.split(SEPARATOR)) if (userId) this.emit(userId);
    });
    return this;
  }

  /** Applied here at once; other processes hear it within `batchMs` (one PUBLISH carries every user gathered meanwhile). */
  publish(userId: string): void {
    this.emit(userId);
    if (!this.shared) return;
    this.pending.add(userId);
    if (this.pending.size >= this.batching.batchMax || this.batching.batchMs <= 0) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.batching.batchMs);
  }

  /** `listener` runs for every invalidation, local or remote. */
  onInvalidated(listener: (userId: string) => void): void {
    this.listeners.push(listener);
  }

  /** Shutdown tells the other processes what is still gathered before the channel closes. */
  async close(): Promise<void> {
    this.flush();
    await this.channel.close();
  }

  private emit(userId: string): void {
    for (const listener of this.listeners) listener(userId);
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size === 0) return;
    this.channel.publish([...this.pending].join(SEPARATOR));
    this.pending.clear();
  }
}
