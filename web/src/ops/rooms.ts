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
        const age = r.createdAt ? fmtDuration((Date.now() - new Date(r.createdAt).getTime()) / 1000) : '';
        append(body, el('tr', { 'data-room': r.roomId }, el('td', {}, el('code', {}, r.roomId)), el('td', {}, r.name), el('td', { class: 'num' }, `${r.clients}/${r.maxClients}`), el('td', { class: 'small' }, r.processId), el('td', { class: 'num' }, age), el('td', {}, inspect)));
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
      const view = await api<unknown>(`/api/ops/rooms/${encodeURIComponent(roomId)}`);
      $('#inspect-json', this.root).textContent = JSON.stringify(view, null, 2);
    } catch (err) {
      $('#inspect-json', this.root).textContent = (err as Error).message;
      this.inspecting = null;
    }
  }

  private close(): void {
    this.inspecting = null;
    $('#inspect', this.root).classList.add('hidden');
  }
}
