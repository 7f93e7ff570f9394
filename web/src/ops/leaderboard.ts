/**
 * /ops leaderboards section: every board with its top rows for the chosen window
 * (GET /api/ops/leaderboards), a reset button on counter boards (confirmed here, then POST
 * /api/ops/leaderboards/:id/reset with the id repeated as `confirm`; audited and durable on the server),
 * and the latest resets. Builds its own DOM inside #dashboard, like the jobs section.
 */
import { append, clear, el, fmtInt, fmtTime } from '../shared/dom.js';
import { formatMoney } from '../../../systems/money.js';
import { moneyBoardCurrency } from '../../../systems/leaderboard/leaderboards.js';
import { api, qs } from './api.js';
import { confirmInPage, failureInWords, toast } from './feedback.js';

interface Row {
  rank: number;
  entityId: string;
  name: string | null;
  score: number;
}

interface BoardView {
  name: string;
  title: string;
  kind: 'counter' | 'trending';
  base?: string;
  resettable: boolean;
  entries: Row[];
}

interface ListView {
  window: string;
  store: 'local' | 'redis';
  leaderboards: BoardView[];
  moreDynamic: number;
  resets: Array<{ leaderboard: string; resetAt: string; entries: number }>;
}

const WINDOWS = ['hour', 'day', 'week', '30d', 'all'];

export class LeaderboardsPanel {
  readonly root: HTMLElement;
  private readonly grid: HTMLElement;
  private readonly note: HTMLElement;
  private readonly status: HTMLElement;
  private readonly resets: HTMLElement;
  private readonly window: HTMLSelectElement;
  /** The latest refresh started wins: an older poll answering after a reset never shows stale rows. */
  private seq = 0;

  constructor(
    container: HTMLElement,
    private readonly onError: (err: unknown) => void,
  ) {
    this.window = el(
      'select',
      { id: 'lb-window', 'aria-label': 'leaderboard window' },
      ...WINDOWS.map((w) => el('option', { value: w, selected: w === 'day' }, w)),
    ) as HTMLSelectElement;
    this.window.addEventListener('change', () => void this.refresh());
    this.grid = el('div', { class: 'lb-grid', id: 'lb-grid' });
    this.note = el('p', { class: 'muted small', id: 'lb-note' });
    this.status = el('p', { class: 'small', id: 'lb-status', role: 'status' });
    this.resets = el('ul', { class: 'clients', id: 'lb-resets' });
    this.root = el(
      'section',
      { class: 'card', id: 'leaderboards' },
      el('h2', {}, 'Leaderboards ', this.window),
      this.note,
      this.status,
      this.grid,
      el('h3', {}, 'Latest resets'),
      this.resets,
    );
    container.appendChild(this.root);
  }

  async refresh(): Promise<void> {
    try {
      const mine = ++this.seq;
      const view = await api<ListView>(`/api/ops/leaderboards${qs({ window: this.window.value, limit: 5 })}`);
      if (mine !== this.seq) return;
      clear(this.grid);
      for (const board of view.leaderboards) append(this.grid, this.board(board));
      const more = view.moreDynamic ? ` · ${view.moreDynamic} more vote/revenue boards not shown` : '';
      this.note.textContent = `store: ${view.store} (${view.store === 'redis' ? 'a reset is seen by every process' : 'this process only'})${more}`;
      clear(this.resets);
      for (const r of view.resets)
        append(this.resets, el('li', {}, `${fmtTime(r.resetAt)} `, el('code', {}, r.leaderboard), ` · ${fmtInt(r.entries)} scores removed`));
      if (!view.resets.length) append(this.resets, el('li', { class: 'muted' }, 'no resets yet'));
    } catch (err) {
      this.onError(err);
    }
  }

  private board(b: BoardView): HTMLElement {
    const body = el('tbody');
    const currency = moneyBoardCurrency(b.name); // scores in minor units: shown as money
    for (const r of b.entries)
      append(
        body,
        el(
          'tr',
          {},
          el('td', { class: 'num' }, String(r.rank)),
          el('td', { class: 'lb-name', title: r.entityId }, r.name ?? r.entityId),
          // The board's title names the currency; the figure alone stays in its column ("$1,234,567.89").
          el('td', { class: 'num' }, currency ? formatMoney(r.score, currency, { code: 'never' }) : fmtInt(r.score)),
        ),
      );
    if (!b.entries.length) append(body, el('tr', {}, el('td', { colspan: 3, class: 'muted' }, 'no scores in this window')));
    const action = b.resettable
      ? el('button', { type: 'button', class: 'link danger', 'data-action': 'reset' }, 'reset')
      : el('span', { class: 'muted small' }, `from ${b.base ?? '—'}`);
    if (b.resettable) action.addEventListener('click', () => void this.resetBoard(b.name));
    return el(
      'div',
      { class: 'lb-board', 'data-board': b.name },
      el('div', { class: 'lb-head' }, el('b', {}, b.title), ' ', el('code', { class: 'small' }, b.name), action),
      el('table', currency ? { class: 'money' } : {}, body),
    );
  }

  /** Admin action, audited and recorded by the server; the confirmation says what cannot be undone. */
  private async resetBoard(name: string): Promise<void> {
    if (
      !(await confirmInPage(
        `Reset ${name}? Every window (hour … all-time) starts again from zero, here and after restarts. The analytics rollups keep their counts.`,
        'Reset board',
      ))
    )
      return;
    try {
      const done = await api<{ entries: number }>(`/api/ops/leaderboards/${encodeURIComponent(name)}/reset`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ confirm: name }),
      });
      this.status.textContent = `${name} reset: ${fmtInt(done.entries)} scores removed`;
      toast(this.status.textContent);
    } catch (err) {
      this.status.textContent = failureInWords(err, `Board ${name}`);
      toast(this.status.textContent, 'error');
    }
    await this.refresh();
  }

  reset(): void {
    clear(this.grid);
    clear(this.resets);
    this.note.textContent = '';
    this.status.textContent = '';
  }
}
