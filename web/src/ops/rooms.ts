/** The room list (every process, via the matchmaker) with a JSON inspector per room. */
import type { RoomListing } from '../../../src/ops/types.js';
import { $, append, clear, el, fmtDuration } from '../shared/dom.js';
import { api } from './api.js';

export class RoomsPanel {
  private inspecting: string | null = null;

  constructor(
    private readonly root: HTMLElement,
    private readonly onError: (err: unknown) => void,
  ) {
    $('#inspect-close', root).addEventListener('click', () => this.close());
  }

  async refresh(): Promise<void> {
    try {
      const { rooms } = await api<{ rooms: RoomListing[] }>('/api/ops/rooms');
      const body = $('#rooms-body', this.root);
      clear(body);
      const sorted = [...rooms].sort((a, b) => a.name.localeCompare(b.name) || b.clients - a.clients).slice(0, 200);
      for (const r of sorted) {
        const inspect = el('button', { type: 'button', class: 'link' }, 'inspect');
        inspect.addEventListener('click', () => void this.inspect(r.roomId));
        const dispose = el('button', { type: 'button', class: 'link danger', 'data-action': 'dispose' }, 'dispose');
        dispose.addEventListener('click', () => void this.dispose(r.roomId, r.clients));
        const age = r.createdAt ? fmtDuration((Date.now() - new Date(r.createdAt).getTime()) / 1000) : '';
        append(body, el('tr', { 'data-room': r.roomId }, el('td', {}, el('code', {}, r.roomId)), el('td', {}, r.name), el('td', { class: 'num' }, `${r.clients}/${r.maxClients}`), el('td', { class: 'small' }, r.processId), el('td', { class: 'num' }, age), el('td', {}, inspect, ' ', dispose)));
      }
      if (!rooms.length) append(body, el('tr', {}, el('td', { colspan: 6, class: 'muted' }, 'no rooms')));
      if (rooms.length > sorted.length) append(body, el('tr', {}, el('td', { colspan: 6, class: 'muted' }, `… and ${rooms.length - sorted.length} more`)));
      if (this.inspecting) await this.inspect(this.inspecting);
    } catch (err) {
      this.onError(err);
    }
  }

  private async inspect(roomId: string): Promise<void> {
    this.inspecting = roomId;
    const box = $('#inspect', this.root);
    box.classList.remove('hidden');
    $('#inspect-title', this.root).textContent = roomId;
    try {
      const view = await api<{ clientList?: Array<{ sessionId: string; userId: string | null }> }>(`/api/ops/rooms/${encodeURIComponent(roomId)}`);
      this.renderClients(roomId, view.clientList ?? []);
      $('#inspect-json', this.root).textContent = JSON.stringify(view, null, 2);
    } catch (err) {
      $('#inspect-json', this.root).textContent = (err as Error).message;
      this.inspecting = null;
    }
  }

  /** Who is in the room (the token's userId per client), each with a kick button. */
  private renderClients(roomId: string, clients: Array<{ sessionId: string; userId: string | null }>): void {
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
      append(list, el('li', { 'data-session': c.sessionId }, el('code', {}, c.sessionId), ' user ', el('code', {}, c.userId ?? '—'), ' ', kick));
    }
    if (!clients.length) append(list, el('li', { class: 'muted' }, 'no clients'));
  }

  /** Admin action, audited by the server (an `ops-audit` log line). */
  private async dispose(roomId: string, clients: number): Promise<void> {
    if (!confirm(`Dispose room ${roomId}? Its ${clients} client(s) will be disconnected.`)) return;
    try {
      await api(`/api/ops/rooms/${encodeURIComponent(roomId)}/dispose`, { method: 'POST' });
      if (this.inspecting === roomId) this.close();
      await this.refresh();
    } catch (err) {
      this.onError(err);
    }
  }

  private async kick(roomId: string, sessionId: string): Promise<void> {
    if (!confirm(`Remove client ${sessionId} from ${roomId}?`)) return;
    try {
      await api(`/api/ops/rooms/${encodeURIComponent(roomId)}/clients/${encodeURIComponent(sessionId)}/kick`, { method: 'POST' });
      await this.refresh();
    } catch (err) {
      this.onError(err);
    }
  }

  private close(): void {
    this.inspecting = null;
    $('#inspect', this.root).classList.add('hidden');
  }
}
