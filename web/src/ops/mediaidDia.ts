/**
 * The ops console's users tab: the user list and its one search (./userList.ts), and one user page with the DIA card, the actions, sessions, the passport timeline (newest first, paged), the
 * MediaID DNA and the constellation. The open user is kept in the URL (#tab=users&user=…)
 * so a reload or a shared link opens the same page.
 */
import type { OpsSystemCounts, OpsTimelinePage, OpsUserDetail } from '../../../clients/ts/src/ops.js';
import { $, append, clear, el, fmtInt, fmtNum, fmtTime } from '../shared/dom.js';
import { api, qs } from './api.js';
import { toast } from './feedback.js';
import { DnaView } from './mediaidDna.js';
import { showDnaHistory } from './mediaidHistory.js';
import { ActivityFeed } from './opsActivity.js';
import { showTreasury } from './analyticsTreasury.js';
import { ConstellationMap } from '../play/constellation.js';
import { listenerName, UserList } from './userList.js';

const plural = (n: number, word: string): string => `${fmtInt(n)} ${word}${n === 1 ? '' : 's'}`;
const USER_IN_HASH = /[#&]user=([0-9a-f-]{36})/i;

export class DiaTools {
  private userId: string | null = null;
  private cursor: string | null = null;
  private types = '';
  private readonly dna: DnaView;
  private readonly activity: ActivityFeed;
  readonly list: UserList;

  constructor(
    private readonly root: HTMLElement,
    private readonly onError: (err: unknown) => void,
  ) {
    this.dna = new DnaView($('#dna-user', root), onError);
    this.activity = new ActivityFeed($('#dia-activity', root), $('#dia-activity-status', root), onError);
    this.list = new UserList(root, (id) => void this.open(id), onError);
    $<HTMLFormElement>('#dia-search', root).addEventListener('submit', (e) => {
      e.preventDefault();
      void this.list.show($<HTMLInputElement>('#dia-query', root).value.trim());
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
    this.list.reset();
    this.dna.reset();
    this.activity.stop();
    $('#dia-user', this.root).classList.add('hidden');
  }

  /** Opens the user named in the URL, if any (after sign-in). */
  openFromUrl(): void {
    const wanted = USER_IN_HASH.exec(location.hash)?.[1];
    if (wanted && wanted !== this.userId) void this.open(wanted);
  }

  async open(userId: string): Promise<void> {
    try {
      const detail = await api<OpsUserDetail>(`/api/ops/users/${encodeURIComponent(userId)}`);
      this.userId = userId;
      history.replaceState(null, '', `#tab=users&user=${userId}`);
      this.renderDetail(detail);
      this.activity.follow(userId);
      // The page opens below the list: bring it into view when it opened out of sight (a long list, a phone).
      const page = $('#dia-user', this.root);
      if (page.getBoundingClientRect().top > innerHeight * 0.6) page.scrollIntoView({ block: 'start' });
      await Promise.all([
        this.loadTimeline(true),
        this.dna.open(userId),
        showDnaHistory($('#dna-evolution', this.root), userId, this.onError),
        showTreasury($('#dia-money', this.root), userId, this.onError),
      ]);
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
      if (done && this.userId) await showDnaHistory($('#dna-evolution', this.root), this.userId, this.onError);
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
      // Headed by the person: a listener who gave no name or email is one, not a device id.
      el('div', { class: 'name' }, listenerName(u)),
      el('div', { class: 'small' }, `${u.email ?? 'no email'} · ${u.deviceModel ?? 'device'} `, el('code', {}, u.deviceId), ' · user ', el('code', {}, u.id)),
      el(
        'div',
        { class: 'muted small' },
        `created ${fmtTime(u.createdAt)} · last seen ${fmtTime(u.lastSeenAt)} · city ${u.city ?? 'unknown'} · ${fmtInt(d.passportEntries)} passport entries · ${plural(d.sessions.length, 'session')} · ${plural(d.constellation.stars.length, 'star')}`,
      ),
      el(
        'div',
        { class: 'badges' },
        ...(d.badges.length
          ? d.badges.map((b) => el('span', { class: 'badge', title: fmtTime(b.earnedAt) }, b.badge))
          : [el('span', { class: 'muted small' }, 'no badges')]),
      ),
    );
    renderSessions($('#dia-sessions', this.root), d.sessions);
    drawConstellation($<HTMLCanvasElement>('#dia-constellation', this.root), d.constellation);
  }

  private async loadTimeline(fromStart: boolean): Promise<void> {
    if (!this.userId) return;
    if (fromStart) this.cursor = null;
    const list = $('#dia-timeline', this.root);
    try {
      const page = await api<OpsTimelinePage>(
        `/api/ops/users/${encodeURIComponent(this.userId)}/timeline${qs({ before: this.cursor, limit: 50, types: this.types })}`,
      );
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
            el('td', { class: 'small payload' }, payloadCell(e.payload)),
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

/**
 * A passport entry's payload as a table reader wants it: a one-line summary (the first fields, short values)
 * that opens into the whole JSON, indented. A raw JSON string in a narrow cell wrapped at every character.
 */
function payloadCell(payload: unknown): HTMLElement {
  const fields = payload && typeof payload === 'object' ? Object.entries(payload as Record<string, unknown>) : [];
  if (!fields.length) return el('span', { class: 'muted' }, payload === null || payload === undefined ? '—' : String(payload));
  const short = (v: unknown) => {
    const text = typeof v === 'string' ? v : JSON.stringify(v);
    return text.length > 28 ? `${text.slice(0, 27)}…` : text;
  };
  const summary =
    fields
      .slice(0, 3)
      .map(([k, v]) => `${k}: ${short(v)}`)
      .join(' · ') + (fields.length > 3 ? ` · +${fields.length - 3}` : '');
  return el('details', {}, el('summary', {}, summary), el('pre', {}, JSON.stringify(payload, null, 2)));
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
        el('td', { class: 'small' }, s.deviceModel ?? el('span', { class: 'muted' }, 'device not named'), s.appVersion ? ` ${s.appVersion}` : ''),
        el('td', { class: 'num' }, fmtNum(s.frequency, 1)),
        el('td', { class: 'num' }, `${s.swipes} / ${s.orbsExplored} / ${s.captures}`),
        el('td', { class: 'num' }, fmtInt(s.interactions)),
      ),
    );
  }
  if (!sessions.length) append(body, el('tr', {}, el('td', { colspan: 6, class: 'muted' }, 'no sessions')));
}

/** The user's sky drawn the way /play and /shared draw it (one map per canvas, labels never overlapping). */
const skies = new WeakMap<HTMLCanvasElement, ConstellationMap>();
function drawConstellation(canvas: HTMLCanvasElement, c: OpsUserDetail['constellation']): void {
  let map = skies.get(canvas);
  if (!map) {
    const created = new ConstellationMap(canvas, { emptyText: 'no stars yet' });
    new ResizeObserver(() => created.render(performance.now())).observe(canvas);
    created.animate();
    skies.set(canvas, (map = created));
  }
  const now = performance.now();
  map.show(
    c.stars.map((s) => ({ artistId: s.artistId, name: s.artistName ?? s.artistId, position: { x: s.x, y: s.y, z: s.z } })),
    c.connections.map((l) => ({ from: l.from, to: l.to, strength: l.strength, type: l.type === 'discovery_path' ? 'discovery_path' : 'genre_similarity' })),
    now,
  );
  map.render(now);
}

/**
 * The system health tiles. "Live sessions" is the listeners connected now, counted where the overview counts
 * its clients (the matchmaker). The database's sessions not yet closed are another figure: a session row closes
 * when its room does, after the resume window, so it read 300 beside 105 connected clients.
 */
export function renderSystemCounts(root: HTMLElement, c: OpsSystemCounts, liveSessions: number | null): void {
  clear(root);
  const items: Array<[string, number | null]> = [
    ['Users', c.totalUsers],
    ['Active today', c.activeToday],
    ['Live sessions', liveSessions],
    ['Interactions 24h', c.interactions24h],
    ['Captures 24h', c.captures24h],
    ['Dead letters', c.deadLetters],
  ];
  for (const [label, value] of items)
    append(
      root,
      el(
        'div',
        { class: `tile small-tile${label === 'Dead letters' && value !== null && value > 0 ? ' bad' : ''}` },
        el('div', { class: 'label' }, label),
        el('div', { class: 'value num' }, value === null ? '—' : fmtInt(value)),
      ),
    );
}
