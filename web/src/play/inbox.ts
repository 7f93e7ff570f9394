/**
 * The listener's inbox on /play (docs/PROTOCOL.md "Notifications"): a constellation shared with them, their
 * new top recommendation. The session room brings the unread ones after a join (`notifications`) and each
 * new one live (`notification`; the same id may come both ways: one entry per id); opening the tab reads
 * the whole inbox, read ones too (GET /api/notifications). The header's button and the tab carry the unread
 * count; an entry is marked read from the room (`notifications_read`) when opened or by its button.
 */
import type { InboxEntry, NotificationsMessage } from '../../../clients/ts/src/messages.js';
import { $, append, clear, el } from '../shared/dom.js';
import { authedFetch, jsonOf } from './api.js';
import type { DeviceAuth } from './auth.js';

interface InboxPage {
  notifications: InboxEntry[];
  unread: number;
}

export interface InboxActions {
  markRead(request: { ids: string[] } | { all: true }): void;
  /** A recommendation's station link (`deepstream://station/98.9`): tune there. */
  tune(frequency: number, name: string): void;
  /** Whether the listener's constellation holds this artist (a pick of it told live is dropped). */
  holds(artistId: string): boolean;
  /** A new entry arrived live: say so briefly. */
  announce(text: string): void;
}

const STATION_LINK = /^deepstream:\/\/station\/(\d{2,3}(?:\.\d)?)$/;

export class InboxPanel {
  private readonly entries = new Map<string, InboxEntry>();
  private unread = 0;
  private loaded = false;

  constructor(
    private readonly root: HTMLElement,
    private readonly auth: DeviceAuth,
    private readonly actions: InboxActions,
  ) {
    $('#inbox-read-all', root).addEventListener('click', () =>
      this.markRead(
        [...this.entries.values()].filter((e) => !e.read).map((e) => e.id),
        true,
      ),
    );
  }

  /** The unread entries a join or a reconnection brings, with the server's unread count. */
  received(msg: NotificationsMessage): void {
    for (const e of msg.notifications) this.entries.set(e.id, { ...this.entries.get(e.id), ...e });
    this.unread = msg.unread;
    this.render();
  }

  /** One new entry, live. */
  arrived(entry: InboxEntry): void {
    if (entry.type === 'top_recommendation' && entry.artistId && this.actions.holds(entry.artistId)) return;
    const known = this.entries.has(entry.id);
    this.entries.set(entry.id, entry);
    if (!known && !entry.read) {
      this.unread++;
      this.actions.announce(entry.title ?? 'Something new in your inbox');
    }
    this.render();
  }

  /**
   * The listener captured `artistId`: a pick of that artist is no pick any more (the server leaves it out of later
   * reads; this drops the one already shown, or one told live as the capture landed).
   */
  captured(artistId: string): void {
    let dropped = false;
    for (const [id, e] of this.entries)
      if (e.type === 'top_recommendation' && e.artistId === artistId) {
        this.entries.delete(id);
        if (!e.read) this.unread = Math.max(0, this.unread - 1);
        dropped = true;
      }
    if (dropped) this.render();
  }

  /** The tab was opened: the whole inbox (read ones too), newest first. */
  show(): void {
    void this.load();
  }

  private async load(): Promise<void> {
    const status = $('#inbox-status', this.root);
    if (!this.loaded) status.textContent = 'reading your inbox…';
    try {
      const page = await jsonOf<InboxPage>(await authedFetch(this.auth, '/api/notifications?limit=50'));
      this.loaded = true;
      for (const e of page.notifications) this.entries.set(e.id, e);
      this.unread = page.unread;
      status.textContent = '';
      this.render();
    } catch (err) {
      status.textContent = `your inbox could not be read: ${(err as Error).message}`;
    }
  }

  private markRead(ids: string[], all = false): void {
    if (!ids.length) return;
    this.actions.markRead(all ? { all: true } : { ids });
    for (const id of ids) {
      const e = this.entries.get(id);
      if (e && !e.read) {
        e.read = true;
        this.unread = Math.max(0, this.unread - 1);
      }
    }
    if (all) this.unread = 0;
    this.render();
  }

  private render(): void {
    for (const badge of [$('#inbox-badge'), $('#inbox-tab-badge')]) {
      badge.hidden = this.unread === 0;
      badge.textContent = String(this.unread);
    }
    const button = $('#inbox-button');
    button.setAttribute('aria-label', this.unread ? `Inbox, ${this.unread} unread` : 'Inbox');
    button.classList.toggle('has-unread', this.unread > 0);
    document.body.dataset.unread = String(this.unread);
    $<HTMLButtonElement>('#inbox-read-all', this.root).disabled = this.unread === 0;
    const list = $('#inbox-list', this.root);
    clear(list);
    const sorted = [...this.entries.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || Number(b.id) - Number(a.id));
    if (!sorted.length)
      return void append(list, el('li', { class: 'muted' }, 'Nothing yet: a constellation shared with you, or a new artist picked for you, lands here.'));
    for (const e of sorted) append(list, this.item(e));
  }

  private item(e: InboxEntry): HTMLElement {
    const actions = el('div', { class: 'actions' });
    const station = STATION_LINK.exec(e.deepLink ?? '');
    if (station) {
      const tune = el('button', { type: 'button' }, `Tune ${station[1]}`);
      tune.addEventListener('click', () => {
        this.markRead([e.id]);
        this.actions.tune(Number(station[1]), e.body?.split(' - ')[0] ?? station[1]);
      });
      append(actions, tune);
    } else if (e.deepLink?.startsWith('/')) {
      const open = el('a', { href: e.deepLink, target: '_blank', rel: 'noopener' }, 'Open');
      open.addEventListener('click', () => this.markRead([e.id]));
      append(actions, open);
    }
    if (!e.read) {
      const read = el('button', { type: 'button', class: 'mark-read' }, 'Mark read');
      read.addEventListener('click', () => this.markRead([e.id]));
      append(actions, read);
    }
    return el(
      'li',
      { class: e.read ? 'read' : 'unread', 'data-id': e.id },
      el('span', { class: 'title' }, e.title ?? 'Notification'),
      e.body ? el('span', { class: 'body' }, e.body) : null,
      el('span', { class: 'when' }, `${ago(e.createdAt)}${e.read ? '' : ' · unread'}`),
      actions,
    );
  }
}

/** "just now", "5 min ago", "3 h ago", "2 d ago". */
export function ago(iso: string, now = Date.now()): string {
  const s = Math.max(0, (now - Date.parse(iso)) / 1000);
  if (!Number.isFinite(s) || s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86_400)} d ago`;
}
