/**
 * Live inbox delivery: handed to this process's sessions of the user and published on `notifications:live` for the
 * others. Pub/sub is at most once: a lost message is sent at the next join or resume with every unread entry.
 */
import type { Logger } from 'pino';
import type { Backplane, BackplaneChannel } from '../../persistence/backplane/Backplane.js';
import { UUID_RE } from '../../systems/passport/payloads.js';
import type { InboxEntry } from './Notifications.js';

export type LiveListener = (entry: InboxEntry) => void;

export class LiveInbox {
  private readonly channel: BackplaneChannel;
  private readonly listeners = new Map<string, Set<LiveListener>>();

  constructor(
    backplane: Backplane,
    private readonly log: Logger,
  ) {
    this.channel = backplane.channel('notifications:live', (err) =>
      log.warn({ err: (err as Error).message }, 'live notification not published; other processes deliver it at the next join'),
    );
  }

  /** Hears the other processes' entries. */
  async start(): Promise<void> {
    await this.channel.subscribe((body) => {
      const message = parse(body);
      if (message) this.deliverHere(message.userId, message.entry);
    });
  }

  async stop(): Promise<void> {
    await this.channel.close();
  }

  /** A live session of `userId` on this process; returns its leave. */
  enter(userId: string, listener: LiveListener): () => void {
    const key = userId.toLowerCase();
    let set = this.listeners.get(key);
    if (!set) this.listeners.set(key, (set = new Set()));
    set.add(listener);
    return () => {
      const current = this.listeners.get(key);
      current?.delete(listener);
      if (current?.size === 0) this.listeners.delete(key);
    };
  }

  /** A new entry for `userId`: to its sessions here and on every other process. */
  publish(userId: string, entry: InboxEntry): void {
    this.channel.publish(JSON.stringify({ userId, entry }));
    this.deliverHere(userId, entry);
  }

  get sessions(): number {
    let sessions = 0;
    for (const set of this.listeners.values()) sessions += set.size;
    return sessions;
  }

  private deliverHere(userId: string, entry: InboxEntry): void {
    const set = this.listeners.get(userId.toLowerCase());
    if (!set) return;
    for (const listener of [...set]) {
      try {
        listener(entry);
      } catch (err) {
        this.log.error({ err, userId }, 'live notification not handed to a session');
      }
    }
  }
}

/** A message from another process, or null when it is not one of ours. */
function parse(body: string): { userId: string; entry: InboxEntry } | null {
  try {
    const message = JSON.parse(body) as { userId?: unknown; entry?: Partial<InboxEntry> };
    if (typeof message.userId !== 'string' || !UUID_RE.test(message.userId)) return null;
    const entry = message.entry;
    if (!entry || typeof entry.id !== 'string' || typeof entry.type !== 'string' || typeof entry.createdAt !== 'string') return null;
    return { userId: message.userId, entry: entry as InboxEntry };
  } catch {
    return null;
  }
}
