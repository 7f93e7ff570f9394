import type { Redis } from 'ioredis';
import { OriginChannel } from '../../persistence/backplane/OriginChannel.js';

/** Leaderboard names carried by one notice; a flush that wrote more is announced as "everything changed". */
export const MAX_NAMES_PER_NOTICE = 64;

/** `null`: everything may have changed (too many names, or a notice we could not read). */
export type ChangedLeaderboards = readonly string[] | null;

/**
 * "These leaderboards were just written" across processes, so coliseum boards follow writes instead of a
 * timer. Local: in-process. Redis: one PUBLISH on `<prefix>lb:changed` per notice (the feeder sends at
 * most one per flush), heard on a connection of its own (subscriber mode). A notice lost while Redis is
 * down is covered by the broadcaster's periodic refresh (COLISEUM_REFRESH_MS).
 */
export interface BoardChanges {
  /** Tells every process (this one synchronously) that `leaderboards` changed. */
  publish(leaderboards: Iterable<string>): void;
  /** `listener` runs for every notice, local or remote. Returns an unsubscribe. */
  onChanged(listener: (leaderboards: ChangedLeaderboards) => void): () => void;
  close(): Promise<void>;
}

export class LocalBoardChanges implements BoardChanges {
  private readonly listeners = new Set<(leaderboards: ChangedLeaderboards) => void>();

  publish(leaderboards: Iterable<string>): void {
    this.emit(bounded(leaderboards));
  }

  onChanged(listener: (leaderboards: ChangedLeaderboards) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }

  protected emit(leaderboards: ChangedLeaderboards): void {
    for (const listener of this.listeners) listener(leaderboards);
  }
}

export class RedisBoardChanges extends LocalBoardChanges {
  private readonly channel: OriginChannel;

  constructor(redis: Redis, prefix: string, onError: (err: unknown) => void = () => undefined) {
    super();
    this.channel = new OriginChannel(redis, `${prefix}lb:changed`, onError);
  }

  async start(): Promise<this> {
    // Our own notices were heard when published.
    await this.channel.start((body) => this.emit(parseNames(body)));
    return this;
  }

  override publish(leaderboards: Iterable<string>): void {
    const names = bounded(leaderboards);
    this.emit(names);
    this.channel.publish(names === null ? '*' : names.join(' '));
  }

  override async close(): Promise<void> {
    await super.close();
    await this.channel.close();
  }
}

function bounded(leaderboards: Iterable<string>): ChangedLeaderboards {
  const names = [...new Set(leaderboards)];
  return names.length > MAX_NAMES_PER_NOTICE ? null : names;
}

/** A notice's body: `name name …` or `*`; leaderboard ids never contain whitespace. Anything else means "everything". */
export function parseNames(body: string): ChangedLeaderboards {
  const names = body.split(' ').filter(Boolean);
  return body !== '*' && names.length > 0 && names.length <= MAX_NAMES_PER_NOTICE ? names : null;
}
