/**
 * Live inbox entries reach the session at once as `notification` (from any process); its join, resume or
 * reconnection gets its unread as `notifications`. An entry may come twice (live, and in a racing join's list):
 * clients keep one per id.
 */
import type { Client } from '@colyseus/core';
import type { Logger } from 'pino';
import type { InboxEntry } from '../../systems/notifications/index.js';
import { send, type Outcome, type SessionView } from './outcome.js';
import { reply } from './replies.js';

export interface NotificationsPort {
  /** Returns its leave. */
  enter(userId: string, listener: (entry: InboxEntry) => void): () => void;
  /** At most `joinUnreadMax`, and the unread count. */
  unread(userId: string): Promise<{ notifications: InboxEntry[]; unread: number }>;
  markRead(userId: string, ids: string[] | 'all'): Promise<{ marked: number }>;
  /** 0: nothing is sent at a join. */
  joinUnreadMax: number;
}

/** Absent: no notifications in the room (tests of other things). */
export interface NotificationPorts {
  notifications?: NotificationsPort;
}

interface InboxRoom {
  /** In a ride, the host's. */
  readonly owner: Client | undefined;
  log: Logger;
}

/** Kept here so the room holds no field for it. */
const exits = new WeakMap<InboxRoom, () => void>();

export function enterInbox(room: InboxRoom, ports: NotificationPorts, userId: string): void {
  const port = ports.notifications;
  if (!port) return;
  exits.get(room)?.();
  const leave = port.enter(userId, (entry) => reply(room.owner, 'notification', entry));
  exits.set(room, leave);
  void sendUnread(room, ports, userId, room.owner);
}

/** A failure is logged, never the session's. */
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

export function leaveInbox(room: InboxRoom): void {
  exits.get(room)?.();
  exits.delete(room);
}

export async function markNotificationsRead(s: SessionView, msg: { ids?: string[]; all?: true }, ports: NotificationPorts): Promise<Outcome> {
  if (!ports.notifications) return { replies: [send('notifications_marked', { marked: 0 })] };
  const { marked } = await ports.notifications.markRead(s.identity.userId, msg.all ? 'all' : [...new Set(msg.ids ?? [])]);
  return { replies: [send('notifications_marked', { marked })] };
}
