/**
 * The session's notifications, outside the room's own file: while a session is live its user's new
 * inbox entries reach it at once as `notification` (from any process: features/notifications/LiveInbox.ts),
 * at its join, resume or reconnection it is sent its unread entries as `notifications`, and
 * `notifications_read` marks entries read. An entry may come twice (live, and again in the unread list of a
 * join that raced it): clients keep one per id.
 */
import type { Client } from '@colyseus/core';
import type { Logger } from 'pino';
import type { InboxEntry } from '../../systems/notifications/index.js';
import { send, type Outcome, type SessionView } from './outcome.js';
import { reply } from './replies.js';

/** The notifications feature as a session room uses it. */
export interface NotificationsPort {
  /** Registers a live session of `userId` on this process; returns its leave. */
  enter(userId: string, listener: (entry: InboxEntry) => void): () => void;
  /** The newest unread entries (at most `joinUnreadMax`) and the unread count. */
  unread(userId: string): Promise<{ notifications: InboxEntry[]; unread: number }>;
  markRead(userId: string, ids: string[] | 'all'): Promise<{ marked: number }>;
  /** 0: nothing is sent at a join (NOTIFY_JOIN_UNREAD_MAX). */
  joinUnreadMax: number;
}

/** The notifications' own port; absent: no notifications in the room (tests of other things). */
export interface NotificationPorts {
  notifications?: NotificationsPort;
}

interface InboxRoom {
  /** The session's own client (in a ride, the host's). */
  readonly owner: Client | undefined;
  log: Logger;
}

/** What each live room undoes when its client leaves (kept here so the room holds no field for it). */
const exits = new WeakMap<InboxRoom, () => void>();

/** The session is live: new entries of its user go to its client as they are made, and its unread ones now. */
export function enterInbox(room: InboxRoom, ports: NotificationPorts, userId: string): void {
  const port = ports.notifications;
  if (!port) return;
  exits.get(room)?.();
  exits.set(
    room,
    port.enter(userId, (entry) => reply(room.owner, 'notification', entry)),
  );
  void sendUnread(room, ports, userId, room.owner);
}

/** The unread entries, to `client` (a join, a resume, a reconnection); a failure is logged, never the session's. */
export async function sendUnread(room: InboxRoom, ports: NotificationPorts, userId: string, client: Client | undefined): Promise<void> {
  const port = ports.notifications;
  if (!port || port.joinUnreadMax === 0 || !client) return;
  try {
    const { notifications, unread } = await port.unread(userId);
    if (unread > 0) reply(client, 'notifications', { notifications, unread });
  } catch (err) {
    room.log.warn({ err: (err as Error).message }, 'unread notifications not sent; the client reads them with GET /api/notifications');
  }
}

/** The room's client left for good: its new entries stop coming here. */
export function leaveInbox(room: InboxRoom): void {
  exits.get(room)?.();
  exits.delete(room);
}

/** `notifications_read`: the session user's entries (the ids, or all) marked read; `notifications_marked` answers. */
export async function markNotificationsRead(s: SessionView, msg: { ids?: string[]; all?: true }, ports: NotificationPorts): Promise<Outcome> {
  if (!ports.notifications) return { replies: [send('notifications_marked', { marked: 0 })] };
  const { marked } = await ports.notifications.markRead(s.identity.userId, msg.all ? 'all' : [...new Set(msg.ids ?? [])]);
  return { replies: [send('notifications_marked', { marked })] };
}
