/**
 * The ops console's users tab: one search (user id, device id, email or display name) and one user
 * page with the DIA card, the actions, sessions, the passport timeline (newest first, paged), the
 * MediaID DNA and the constellation (seed 002). The open user is kept in the URL (#tab=users&user=…)
 * so a reload or a shared link opens the same page.
 */
import type { OpsSystemCounts, OpsTimelinePage, OpsUser, OpsUserDetail } from '../../../src/ops/types.js';
import { $, append, clear, el, fitCanvas, fmtInt, fmtNum, fmtTime } from '../shared/dom.js';
import { api, qs } from './api.js';
import { toast } from './feedback.js';
import { DnaView } from './mediaidDna.js';

const MATCHED_BY: Record<NonNullable<OpsUser['matchedBy']>, string> = { id: 'user id', device: 'device id', email: 'email', displayName: 'display name' };
const plural = (n: number, word: string): string => `${fmtInt(n)} ${word}${n === 1 ? '' : 's'}`;
const USER_IN_HASH = /[#&]user=([0-9a-f-]{36})/i;

export class DiaTools {
  private userId: string | null = null;
  private cursor: string | null = null;
  private types = '';
  private readonly dna: DnaView;

  constructor(
    private readonly root: HTMLElement,
    private readonly onError: (err: unknown) => void,
  ) {
    this.dna = new DnaView($('#dna-user', root), onError);
    $<HTMLFormElement>('#dia-search', root).addEventListener('submit', (e) => {
      e.preventDefault();
      void this.search($<HTMLInputElement>('#dia-query', root).value.trim());
    });
    $<HTMLFormElement>('#dia-filter', root).addEventListener('submit', (e) => {
      e.preventDefault();
      this.types = $<HTMLInputElement>('#dia-types', root).value.trim();
      if (this.userId) void this.loadTimeline(true);
    });
    $('#dia-more', root).addEventListener('click', () => void this.loadTimeline(false));
    this.buildActions();
  }

  reset(): void {
    this.userId = null;
    clear($('#dia-results', this.root));
    $('#dia-note', this.root).textContent = '';
    this.dna.reset();
    $('#dia-user', this.root).classList.add('hidden');
  }

  /** Opens the user named in the URL, if any (after sign-in). */
  openFromUrl(): void {
    const wanted = USER_IN_HASH.exec(location.hash)?.[1];
    if (wanted && wanted !== this.userId) void this.open(wanted);
  }

  async search(query: string): Promise<void> {
    const results = $('#dia-results', this.root);
    const note = $('#dia-note', this.root);
    clear(results);
    note.textContent = '';
    if (!query) return;
    try {
      const { users } = await api<{ users: OpsUser[] }>(`/api/ops/users${qs({ q: query })}`);
      if (!users.length) note.textContent = `No user has the id, device id, email or display name "${query}"${query.length < 4 ? ' (a partial name, email or device id needs 4+ characters)' : ''}.`;
      for (const u of users) {
        const button = el('button', { type: 'button', class: 'link', 'data-user': u.id }, u.displayName ?? u.email ?? u.deviceId);
        button.addEventListener('click', () => void this.open(u.id));
        const by = u.matchedBy ? ` · by ${MATCHED_BY[u.matchedBy]}` : '';
        append(results, el('li', {}, button, el('span', { class: 'muted small' }, ` ${u.email ?? 'no email'} · device ${u.deviceId} · last seen ${fmtTime(u.lastSeenAt)}${by}`)));
      }
      if (users.length === 1) await this.open(users[0].id);
    } catch (err) {
      this.onError(err);
    }
  }

  async open(userId: string): Promise<void> {
    try {
      const detail = await api<OpsUserDetail>(`/api/ops/users/${encodeURIComponent(userId)}`);
      this.userId = userId;
      history.replaceState(null, '', `#tab=users&user=${userId}`);
      this.renderDetail(detail);
      await Promise.all([this.loadTimeline(true), this.dna.open(userId)]);
    } catch (err) {
      this.onError(err);
    }
  }

  /** The page's actions: they act on the open user and say what they did in a toast. */
  private buildActions(): void {
    const recompute = el('button', { type: 'button', id: 'dna-recompute' }, 'Recompute DNA');
    recompute.addEventListener('click', async () => {
      recompute.disabled = true;
      const done = await this.dna.recompute();
      recompute.disabled = false;
      if (done) {
        $('#dia-note', this.root).textContent = done;
        toast(done);
      }
    });
    const exportButton = el('button', { type: 'button', id: 'dna-export' }, 'Export passport (JSON lines)');
    exportButton.addEventListener('click', () => void this.dna.exportPassport());
    const copy = el('button', { type: 'button', id: 'dia-copy-link' }, 'Copy link to this page');
    copy.addEventListener('click', () => {
      navigator.clipboard?.writeText(location.href).then(
        () => toast('Link to this user page copied'),
        () => toast(`Copy this address: ${location.href}`),
      );
    });
    append($('#dia-actions', this.root), recompute, exportButton, copy);
  }

  private renderDetail(d: OpsUserDetail): void {
    $('#dia-user', this.root).classList.remove('hidden');
    const u = d.user;
    const card = $('#dia-card', this.root);
    clear(card);
    append(
      card,
      el('div', { class: 'name' }, u.displayName ?? u.email ?? u.deviceId),
      el('div', { class: 'small' }, `${u.email ?? 'no email'} · device `, el('code', {}, u.deviceId), ' · user ', el('code', {}, u.id)),
      el('div', { class: 'muted small' }, `created ${fmtTime(u.createdAt)} · last seen ${fmtTime(u.lastSeenAt)} · city ${u.city ?? 'unknown'} · ${fmtInt(d.passportEntries)} passport entries · ${plural(d.sessions.length, 'session')} · ${plural(d.constellation.stars.length, 'star')}`),
      el('div', { class: 'badges' }, ...(d.badges.length ? d.badges.map((b) => el('span', { class: 'badge', title: fmtTime(b.earnedAt) }, b.badge)) : [el('span', { class: 'muted small' }, 'no badges')])),
    );
    renderSessions($('#dia-sessions', this.root), d.sessions);
    drawConstellation($<HTMLCanvasElement>('#dia-constellation', this.root), d.constellation);
  }

  private async loadTimeline(fromStart: boolean): Promise<void> {
    if (!this.userId) return;
    if (fromStart) this.cursor = null;
    const list = $('#dia-timeline', this.root);
    try {
      const page = await api<OpsTimelinePage>(`/api/ops/users/${encodeURIComponent(this.userId)}/timeline${qs({ before: this.cursor, limit: 50, types: this.types })}`);
      if (fromStart) clear(list);
      for (const e of page.entries) {
        append(
          list,
          el(
            'tr',
            { 'data-event': e.eventType },
            el('td', { class: 'small nowrap' }, fmtTime(e.occurredAt)),
            el('td', {}, el('code', {}, e.eventType)),
            el('td', { class: 'small' }, e.entityId ?? ''),
            el('td', { class: 'small muted payload' }, JSON.stringify(e.payload)),
          ),
        );
      }
      if (fromStart && !page.entries.length) append(list, el('tr', {}, el('td', { colspan: 4, class: 'muted' }, 'no passport entries')));
      this.cursor = page.nextCursor;
      $('#dia-more', this.root).classList.toggle('hidden', !page.nextCursor);
    } catch (err) {
      this.onError(err);
    }
  }
}

function renderSessions(body: HTMLElement, sessions: OpsUserDetail['sessions']): void {
  clear(body);
  for (const s of sessions) {
    append(
      body,
      el(
        'tr',
        {},
        el('td', { class: 'small' }, fmtTime(s.startedAt)),
        el('td', { class: 'small' }, s.endedAt ? fmtTime(s.endedAt) : 'open'),
        el('td', { class: 'small' }, `${s.deviceModel ?? '?'} ${s.appVersion ?? ''}`),
        el('td', { class: 'num' }, fmtNum(s.frequency, 1)),
        el('td', { class: 'num' }, `${s.swipes} / ${s.orbsExplored} / ${s.captures}`),
        el('td', { class: 'num' }, fmtInt(s.interactions)),
      ),
    );
  }
  if (!sessions.length) append(body, el('tr', {}, el('td', { colspan: 6, class: 'muted' }, 'no sessions')));
}

/** Top view (x, z) of the stars with their connections. */
function drawConstellation(canvas: HTMLCanvasElement, c: OpsUserDetail['constellation']): void {
  const { ctx, width, height } = fitCanvas(canvas);
  ctx.fillStyle = '#0b0a14';
  ctx.fillRect(0, 0, width, height);
  if (!c.stars.length) {
    ctx.fillStyle = '#908caa';
    ctx.font = '12px system-ui, sans-serif';
    ctx.textAlign = 'center';
    ctx.fillText('no stars yet', width / 2, height / 2);
    return;
  }
  const extent = Math.max(120, ...c.stars.map((s) => Math.max(Math.abs(s.x), Math.abs(s.z)))) * 1.2;
  const k = Math.min(width, height) / 2 / extent;
  const pos = new Map(c.stars.map((s) => [s.artistId, { x: width / 2 + s.x * k, y: height / 2 + s.z * k }]));
  for (const link of c.connections) {
    const a = pos.get(link.from);
    const b = pos.get(link.to);
    if (!a || !b) continue;
    ctx.strokeStyle = link.type === 'discovery_path' ? `rgba(246,193,119,${0.3 + link.strength * 0.6})` : `rgba(156,207,216,${0.2 + link.strength * 0.5})`;
    ctx.beginPath();
    ctx.moveTo(a.x, a.y);
    ctx.lineTo(b.x, b.y);
    ctx.stroke();
  }
  ctx.font = '11px system-ui, sans-serif';
  ctx.textAlign = 'center';
  for (const s of c.stars) {
    const p = pos.get(s.artistId)!;
    ctx.fillStyle = '#fff4e0';
    ctx.beginPath();
    ctx.arc(p.x, p.y, 3.5, 0, Math.PI * 2);
    ctx.fill();
    ctx.fillStyle = '#e0def4bb';
    ctx.fillText(s.artistName ?? s.artistId, p.x, p.y - 8);
  }
}

export function renderSystemCounts(root: HTMLElement, c: OpsSystemCounts): void {
  clear(root);
  const items: Array<[string, number]> = [
    ['Users', c.totalUsers],
    ['Active today', c.activeToday],
    ['Open sessions', c.openSessions],
    ['Interactions 24h', c.interactions24h],
    ['Captures 24h', c.captures24h],
    ['Dead letters', c.deadLetters],
  ];
  for (const [label, value] of items) append(root, el('div', { class: `tile small-tile${label === 'Dead letters' && value > 0 ? ' bad' : ''}` }, el('div', { class: 'label' }, label), el('div', { class: 'value num' }, fmtInt(value))));
}
