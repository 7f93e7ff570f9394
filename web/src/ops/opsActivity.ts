/**
 * The live activity feed of the DIA user page: the user's events as they
 * arrive, polled every {@link POLL_MS} with the cursor the server gave (GET /api/ops/users/:userId/activity),
 * only while the console shows that user's page and the browser tab is visible, at most {@link MAX_ROWS} rows kept.
 */
import { append, clear, el, fmtTime } from '../shared/dom.js';
import { api, qs } from './api.js';

export const POLL_MS = 3000;
export const MAX_ROWS = 50;

interface Entry {
  id: string;
  eventType: string;
  occurredAt: string;
  entityId: string | null;
  source: string;
  payload: unknown;
}

/** What the event was about, in a few words: its entity, else its payload's first fields (short values). */
export function gist(e: Pick<Entry, 'entityId' | 'payload' | 'source'>): string {
  if (e.entityId) return e.entityId;
  const fields = e.payload && typeof e.payload === 'object' ? Object.entries(e.payload as Record<string, unknown>) : [];
  const short = (v: unknown) => {
    const text = typeof v === 'string' ? v : JSON.stringify(v);
    return text.length > 24 ? `${text.slice(0, 23)}…` : text;
  };
  return fields.length
    ? fields
        .slice(0, 2)
        .map(([k, v]) => `${k}: ${short(v)}`)
        .join(' · ')
    : e.source;
}

export class ActivityFeed {
  private userId: string | null = null;
  private cursor: string | null = null;
  /** The first answer came: what arrives after it is new (highlighted). */
  private primed = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private generation = 0;

  constructor(
    private readonly body: HTMLElement,
    private readonly status: HTMLElement,
    private readonly onError: (err: unknown) => void,
  ) {
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible' && this.userId && !this.timer) this.schedule(0);
    });
  }

  /** Follows a user: the newest events first, then what arrives. */
  follow(userId: string): void {
    this.stop();
    this.userId = userId;
    this.cursor = null;
    this.primed = false;
    clear(this.body);
    append(this.body, el('tr', { class: 'empty' }, el('td', { colspan: 3, class: 'muted' }, 'waiting for events…')));
    this.schedule(0);
  }

  stop(): void {
    this.generation++;
    this.userId = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.status.textContent = 'paused';
  }

  private schedule(ms: number): void {
    const generation = this.generation;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (generation === this.generation && document.visibilityState === 'visible') void this.poll(generation);
    }, ms);
  }

  private async poll(generation: number): Promise<void> {
    const userId = this.userId;
    if (!userId) return;
    // Another tab of the console is showing: ask nothing until the user page is back.
    if (this.body.getClientRects().length === 0) {
      this.status.textContent = 'paused';
      return this.schedule(POLL_MS);
    }
    try {
      const page = await api<{ entries: Entry[]; cursor: string | null; truncated: boolean; windowSec: number }>(
        `/api/ops/users/${encodeURIComponent(userId)}/activity${qs({ after: this.cursor, limit: MAX_ROWS })}`,
      );
      if (generation !== this.generation) return;
      this.show(page.entries, this.primed);
      this.primed = true;
      this.cursor = page.cursor;
      this.status.textContent = `live · every ${POLL_MS / 1000} s · last ${Math.round(page.windowSec / 60)} min${page.truncated ? ' · busy: older skipped' : ''}`;
    } catch (err) {
      this.status.textContent = 'not updating';
      this.onError(err);
    }
    if (generation === this.generation) this.schedule(POLL_MS);
  }

  private show(entries: Entry[], fresh: boolean): void {
    if (!entries.length) return;
    this.body.querySelector('tr.empty')?.remove();
    const rows = entries.map((e) =>
      el(
        'tr',
        { class: fresh ? 'fresh' : null, 'data-event': e.eventType, 'data-id': e.id },
        el('td', { class: 'small nowrap' }, fmtTime(e.occurredAt)),
        el('td', {}, el('code', {}, e.eventType)),
        el('td', { class: 'small' }, gist(e)),
      ),
    );
    this.body.prepend(...rows);
    while (this.body.children.length > MAX_ROWS) this.body.lastElementChild?.remove();
  }
}
