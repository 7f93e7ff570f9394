import type { Backplane, BackplaneChannel } from '../../persistence/backplane/Backplane.js';

/** Leaderboard names carried by one notice; a flush that wrote more is announced as "everything changed". */
export const MAX_NAMES_PER_NOTICE = 64;

/** `null`: everything may have changed (too many names, or a notice we could not read). */
export type ChangedLeaderboards = readonly string[] | null;

/**
 * "These leaderboards were just written" across processes, so coliseum boards follow writes instead of a
 * timer. Listeners in this process hear a notice at once; other processes hear it over the backplane's
 * `lb:changed` channel (one PUBLISH per notice; the feeder sends at most one per flush). A notice lost
 * while Redis is down is covered by the broadcaster's periodic refresh (COLISEUM_REFRESH_MS).
 */
export class LeaderboardChanges {
  private readonly listeners = new Set<(leaderboards: ChangedLeaderboards) => void>();
  private readonly channel: BackplaneChannel;

  constructor(backplane: Backplane, onError: (err: unknown) => void) {
    this.channel = backplane.channel('lb:changed', onError);
  }

  /** Hears the other processes' notices (ours were heard when published). */
  async start(): Promise<this> {
    await this.channel.subscribe((body) => this.emit(parseNames(body)));
    return this;
  }

  /** Tells every process (this one synchronously) that `leaderboards` changed. */
  publish(leaderboards: Iterable<string>): void {
    const names = bounded(leaderboards);
    this.emit(names);
    this.channel.publish(names === null ? '*' : names.join(' '));
  }

  /** `listener` runs for every notice, local or remote. Returns an unsubscribe. */
  onChanged(listener: (leaderboards: ChangedLeaderboards) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await this.channel.close();
  }

  private emit(leaderboards: ChangedLeaderboards): void {
    for (const listener of this.listeners) listener(leaderboards);
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
