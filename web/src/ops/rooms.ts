/**
 * The room list (every process, via the matchmaker), filtered (type, text in the room or process id, held rooms
 * with no client left out on request) and paged, with a JSON inspector per room. After a kick or a
 * dispose the page shows the outcome at once: the matchmaker lists a leaving client or a closing room for
 * a moment longer, so those stay hidden here until the server stops listing them.
 */
import type { RoomListing } from '../../../clients/ts/src/ops.js';
import { $, append, clear, el, fmtDuration, labelCells } from '../shared/dom.js';
import { api } from './api.js';
import { confirmInPage, failureInWords, toast } from './feedback.js';

type Client = { sessionId: string; userId: string | null };
/** How long an action's outcome overrides the listing (the matchmaker catches up well within this). */
const SETTLE_MS = 8000;
/** Rooms a page. */
export const ROOMS_PAGE = 25;

export interface RoomFilter {
  /** A room type ('' = all). */
  type: string;
  /** Text in the room id or the process id, any case ('' = all). */
  text: string;
  /** Only rooms with a client connected (a session room waiting out its resume window has none). */
  occupied: boolean;
}

/** The rooms the filter keeps, fullest first then newest, and the page `page` (0-based, clamped) of them. */
export function roomPage(rooms: readonly RoomListing[], f: RoomFilter, page: number): { rows: RoomListing[]; matched: number; page: number; pages: number } {
  const text = f.text.trim().toLowerCase();
  const kept = rooms
    .filter((r) => (!f.type || r.name === f.type) && (!f.occupied || r.clients > 0))
    .filter((r) => !text || r.roomId.toLowerCase().includes(text) || r.processId.toLowerCase().includes(text))
    .sort((a, b) => b.clients - a.clients || new Date(b.createdAt ?? 0).getTime() - new Date(a.createdAt ?? 0).getTime() || a.roomId.localeCompare(b.roomId));
  const pages = Math.max(1, Math.ceil(kept.length / ROOMS_PAGE));
  const at = Math.min(Math.max(0, page), pages - 1);
  return { rows: kept.slice(at * ROOMS_PAGE, (at + 1) * ROOMS_PAGE), matched: kept.length, page: at, pages };
}

export class RoomsPanel {
  private inspecting: string | null = null;
  /** Kicked clients ("roomId/sessionId") and disposed rooms the server may still list for a moment (→ when). */
  private readonly kicked = new Map<string, { at: number; listedBefore: number }>();
  private readonly disposed = new Map<string, number>();
  /** Clients per room in the last listing shown. */
  private listed = new Map<string, number>();

  private readonly filter: RoomFilter = { type: '', text: '', occupied: false };
  private page = 0;
  private rooms: RoomListing[] = [];
  private readonly types: HTMLSelectElement;
  private readonly pager: HTMLElement;

  constructor(
    private readonly root: HTMLElement,
    private readonly onError: (err: unknown) => void,
  ) {
    $('#inspect-close', root).addEventListener('click', () => this.close());
    this.types = el('select', { id: 'rooms-type', 'aria-label': 'room type' }, el('option', { value: '' }, 'all types'));
    const text = el('input', { id: 'rooms-filter', type: 'search', placeholder: 'room or process id', 'aria-label': 'filter rooms by room or process id' });
    const occupied = el('input', { id: 'rooms-occupied', type: 'checkbox' });
    this.pager = el('span', { id: 'rooms-pager', class: 'pager' });
    const again = () => {
      this.page = 0;
      this.render();
    };
    this.types.addEventListener('change', () => ((this.filter.type = this.types.value), again()));
    text.addEventListener('input', () => ((this.filter.text = text.value), again()));
    occupied.addEventListener('change', () => ((this.filter.occupied = occupied.checked), again()));
    const bar = el('div', { class: 'row rooms-filter' }, this.types, text, el('label', { class: 'small' }, occupied, ' with clients only'), this.pager);
    $('h2', root).after(bar);
  }

  async refresh(): Promise<void> {
    try {
      this.rooms = this.settled((await api<{ rooms: RoomListing[] }>('/api/ops/rooms')).rooms);
      this.render();
      // A room that closed (its last client kicked, say) takes its inspector with it.
      if (this.inspecting && !this.rooms.some((r) => r.roomId === this.inspecting)) this.close();
      if (this.inspecting) await this.inspect(this.inspecting);
    } catch (err) {
      this.onError(err);
    }
  }

  /** The page of the filtered rooms, the type choices and the pager. */
  private render(): void {
    const rooms = this.rooms;
    const names = [...new Set(rooms.map((r) => r.name))].sort();
    if (this.types.dataset.names !== names.join()) {
      this.types.dataset.names = names.join();
      this.types.replaceChildren(el('option', { value: '' }, 'all types'), ...names.map((n) => el('option', { value: n }, n)));
      this.types.value = names.includes(this.filter.type) ? this.filter.type : '';
    }
    const { rows, matched, page, pages } = roomPage(rooms, this.filter, this.page);
    this.page = page;
    const body = $('#rooms-body', this.root);
    clear(body);
    for (const r of rows) {
      const inspect = el('button', { type: 'button', class: 'link' }, 'inspect');
      inspect.addEventListener('click', () => void this.inspect(r.roomId));
      const dispose = el('button', { type: 'button', class: 'link danger', 'data-action': 'dispose' }, 'dispose');
      dispose.addEventListener('click', () => void this.dispose(r.roomId, r.clients));
      const age = r.createdAt ? fmtDuration((Date.now() - new Date(r.createdAt).getTime()) / 1000) : '';
      append(
        body,
        el(
          'tr',
          { 'data-room': r.roomId },
          el('td', {}, el('code', {}, r.roomId)),
          el('td', {}, r.name),
          el('td', { class: 'num' }, `${r.clients}/${r.maxClients}`),
          el('td', { class: 'small' }, r.processId),
          el('td', { class: 'num' }, age),
          el('td', {}, inspect, ' ', dispose),
        ),
      );
    }
    if (!rows.length) append(body, el('tr', {}, el('td', { colspan: 6, class: 'muted' }, rooms.length ? 'no room matches the filter' : 'no rooms')));
    labelCells(body);
    const prev = el('button', { type: 'button', class: 'small', 'data-page': 'prev', ...(page === 0 ? { disabled: '' } : {}) }, '‹ prev');
    const next = el('button', { type: 'button', class: 'small', 'data-page': 'next', ...(page >= pages - 1 ? { disabled: '' } : {}) }, 'next ›');
    prev.addEventListener('click', () => ((this.page = page - 1), this.render()));
    next.addEventListener('click', () => ((this.page = page + 1), this.render()));
    const shown = matched ? `${page * ROOMS_PAGE + 1}–${page * ROOMS_PAGE + rows.length} of ${matched}` : '0';
    this.pager.replaceChildren(prev, el('span', { class: 'small muted num' }, ` ${shown}${matched < rooms.length ? ` (${rooms.length} in all)` : ''} `), next);
  }

  private async inspect(roomId: string): Promise<void> {
    this.inspecting = roomId;
    const box = $('#inspect', this.root);
    box.classList.remove('hidden');
    $('#inspect-title', this.root).textContent = roomId;
    try {
      const view = await api<{ clientList?: Client[] }>(`/api/ops/rooms/${encodeURIComponent(roomId)}`);
      const listed = view.clientList ?? [];
      this.renderClients(
        roomId,
        listed.filter((c) => !this.kicked.has(`${roomId}/${c.sessionId}`)),
      );
      $('#inspect-json', this.root).textContent = JSON.stringify(view, null, 2);
    } catch (err) {
      this.renderClients(roomId, []);
      $('#inspect-json', this.root).textContent = failureInWords(err, `Room ${roomId}`);
      this.inspecting = null;
    }
  }

  /** Who is in the room (the token's userId per client), each with a kick button. */
  private renderClients(roomId: string, clients: Client[]): void {
    const box = $('#inspect', this.root);
    let list = box.querySelector<HTMLElement>('#inspect-clients');
    if (!list) {
      list = el('ul', { id: 'inspect-clients', class: 'clients' });
      box.insertBefore(list, $('#inspect-json', this.root));
    }
    clear(list);
    for (const c of clients) {
      const kick = el('button', { type: 'button', class: 'link danger', 'data-action': 'kick' }, 'kick');
      kick.addEventListener('click', () => void this.kick(roomId, c.sessionId));
      append(
        list,
        el(
          'li',
          { 'data-session': c.sessionId },
          el('code', {}, c.sessionId),
          ' user ',
          c.userId ? el('a', { href: `#tab=users&user=${c.userId}`, title: 'open the user page' }, el('code', {}, c.userId)) : el('code', {}, '—'),
          ' ',
          kick,
        ),
      );
    }
    if (!clients.length) append(list, el('li', { class: 'muted' }, 'no clients'));
  }

  /** The listing as the operator's actions left it: disposed rooms gone, kicked clients not counted. */
  private settled(rooms: RoomListing[]): RoomListing[] {
    const expired = Date.now() - SETTLE_MS;
    for (const [key, at] of this.disposed) if (at < expired) this.disposed.delete(key);
    for (const [key, kick] of this.kicked) if (kick.at < expired) this.kicked.delete(key);
    const settled = rooms
      .filter((r) => !this.disposed.has(r.roomId))
      .map((r) => {
        const kicks = [...this.kicked].filter(([key]) => key.startsWith(`${r.roomId}/`)).map(([, kick]) => kick);
        // Until the listing catches up (still the count from before the kicks), the kicked are not counted.
        const stale = kicks.length > 0 && r.clients >= Math.max(...kicks.map((k) => k.listedBefore));
        return stale ? { ...r, clients: Math.max(0, r.clients - kicks.length) } : r;
      });
    this.listed = new Map(settled.map((r) => [r.roomId, r.clients]));
    return settled;
  }

  /** Admin action, audited by the server (an `ops-audit` log line). */
  private async dispose(roomId: string, clients: number): Promise<void> {
    if (!(await confirmInPage(`Dispose room ${roomId}? Its ${clients} client(s) will be disconnected.`, 'Dispose room'))) return;
    try {
      await api(`/api/ops/rooms/${encodeURIComponent(roomId)}/dispose`, { method: 'POST' });
      this.disposed.set(roomId, Date.now());
      if (this.inspecting === roomId) this.close();
      toast(`Room ${roomId} disposed; its clients were disconnected.`);
    } catch (err) {
      toast(failureInWords(err, `Room ${roomId}`), 'error');
    }
    await this.refresh();
  }

  private async kick(roomId: string, sessionId: string): Promise<void> {
    if (!(await confirmInPage(`Remove client ${sessionId} from room ${roomId}? It is disconnected (it may join again).`, 'Remove client'))) return;
    try {
      await api(`/api/ops/rooms/${encodeURIComponent(roomId)}/clients/${encodeURIComponent(sessionId)}/kick`, { method: 'POST' });
      this.kicked.set(`${roomId}/${sessionId}`, { at: Date.now(), listedBefore: this.listed.get(roomId) ?? 0 });
      toast(`Client ${sessionId} removed from room ${roomId}.`);
    } catch (err) {
      toast(failureInWords(err, `Client ${sessionId}`), 'error');
    }
    await this.refresh();
  }

  private close(): void {
    this.inspecting = null;
    $('#inspect', this.root).classList.add('hidden');
    this.root.querySelector('#inspect-clients')?.replaceChildren();
  }
}
