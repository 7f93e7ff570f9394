/**
 * The users tab's list: every user, most recently seen first, a page at a time ("Load more"), and the one
 * search (user id, device id, email, display name or device model) showing its matches in the same table.
 * A row opens the user page.
 */
import type { OpsUser, OpsUsers as OpsUserPage } from '../../../clients/ts/src/ops.js';
import { $, append, clear, el, fmtInt, fmtTime } from '../shared/dom.js';
import { api, qs } from './api.js';

const MATCHED_BY: Record<NonNullable<OpsUser['matchedBy']>, string> = {
  id: 'user id',
  device: 'device id',
  email: 'email',
  displayName: 'display name',
  deviceModel: 'device model',
};
const PAGE = 50;

/**
 * How a listener is called: their name, else their email, else "Anonymous" with the start of their id (and where
 * they listen from), so two listeners who gave nothing never read alike.
 */
export const listenerName = (u: Pick<OpsUser, 'id' | 'displayName' | 'email' | 'city'>): string =>
  u.displayName ?? u.email ?? `Anonymous ${u.id.slice(0, 8)}${u.city ? ` in ${u.city}` : ''}`;

/** The line under the name: the email of a named listener, else when the listener first appeared. */
export const listenerDetail = (u: Pick<OpsUser, 'id' | 'displayName' | 'email' | 'createdAt'>): string =>
  u.displayName && u.email ? u.email : u.displayName || u.email ? `user ${u.id.slice(0, 8)}` : `first seen ${fmtTime(u.createdAt)}`;

export class UserList {
  private cursor: string | null = null;
  private query = '';
  /** Bumped by every new list or search: an answer to an older one is dropped. */
  private generation = 0;

  constructor(
    private readonly root: HTMLElement,
    private readonly onOpen: (userId: string) => void,
    private readonly onError: (err: unknown) => void,
  ) {
    $('#dia-list-more', root).addEventListener('click', () => void this.more());
  }

  reset(): void {
    this.generation++;
    this.cursor = null;
    this.query = '';
    clear(this.body);
    this.note.textContent = '';
    this.moreButton.classList.add('hidden');
  }

  /** The first page of every user (an empty query), or the search's matches. */
  async show(query: string): Promise<void> {
    this.reset();
    this.query = query;
    const mine = this.generation;
    try {
      if (!query) return await this.more();
      const { users } = await api<OpsUserPage>(`/api/ops/users${qs({ q: query })}`);
      if (mine !== this.generation) return;
      this.caption(query ? `${fmtInt(users.length)} ${users.length === 1 ? 'user matches' : 'users match'} "${query}"` : '');
      if (!users.length)
        this.note.textContent = `No user has the id, device id, email, display name or device model "${query}"${query.length < 4 ? ' (a partial name, email, device id or model needs 4+ characters)' : ''}.`;
      this.rows(users);
      if (users.length === 1) this.onOpen(users[0].id);
    } catch (err) {
      this.onError(err);
    }
  }

  private get body(): HTMLElement {
    return $('#dia-results', this.root);
  }
  private get note(): HTMLElement {
    return $('#dia-note', this.root);
  }
  private get moreButton(): HTMLElement {
    return $('#dia-list-more', this.root);
  }

  private caption(text: string): void {
    $('#dia-list-caption', this.root).textContent = text || 'All users, most recently seen first';
  }

  private async more(): Promise<void> {
    if (this.query) return;
    const mine = this.generation;
    try {
      const page = await api<OpsUserPage>(`/api/ops/users${qs({ before: this.cursor, limit: PAGE })}`);
      if (mine !== this.generation) return;
      this.caption('');
      this.rows(page.users);
      this.cursor = page.nextCursor;
      this.moreButton.classList.toggle('hidden', !page.nextCursor);
      if (!this.body.childElementCount) this.note.textContent = 'No users yet: a device that signs in becomes one.';
    } catch (err) {
      this.onError(err);
    }
  }

  private rows(users: OpsUser[]): void {
    for (const u of users) {
      const open = el('button', { type: 'button', class: 'link', 'data-user': u.id }, listenerName(u));
      open.addEventListener('click', () => this.onOpen(u.id));
      append(
        this.body,
        el(
          'tr',
          { 'data-user-row': u.id },
          el('td', {}, open, el('div', { class: 'muted sub' }, listenerDetail(u))),
          el('td', { class: 'small' }, u.deviceModel ?? el('span', { class: 'muted' }, 'unknown')),
          el('td', { class: 'small' }, u.city ?? el('span', { class: 'muted' }, '—')),
          el('td', { class: 'num small' }, fmtInt(u.sessionCount)),
          el('td', { class: 'small nowrap' }, fmtTime(u.lastSeenAt)),
          el('td', { class: 'small muted' }, u.matchedBy ? `by ${MATCHED_BY[u.matchedBy]}` : ''),
        ),
      );
    }
  }
}
