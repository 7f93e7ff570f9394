/**
 * /ops "Custom leaderboards" section: create a board (title, the counter
 * board it ranks by, window, optional line-up), edit it, delete it (confirmed in the page). Each board shows
 * its top rows; a line-up row also shows its rank on the whole board. Builds its own DOM inside #dashboard.
 */
import { append, clear, el, fmtInt } from '../shared/dom.js';
import { api, ApiError } from './api.js';
import { confirmInPage, failureInWords, toast } from './feedback.js';

interface Row {
  rank: number;
  entityId: string;
  name: string | null;
  score: number;
  baseRank: number | null;
}

interface Board {
  id: string;
  title: string;
  base: string;
  window: string;
  entityIds: string[];
  entries: Row[];
}

const WINDOWS = ['hour', 'day', 'week', '30d', 'all'];

export class CustomBoardsPanel {
  readonly root: HTMLElement;
  private readonly grid: HTMLElement;
  private readonly form: HTMLFormElement;
  private readonly fields: { title: HTMLInputElement; base: HTMLSelectElement; window: HTMLSelectElement; lineup: HTMLTextAreaElement };
  private readonly submit: HTMLButtonElement;
  private readonly cancel: HTMLButtonElement;
  /** The board being edited (null: the form creates). */
  private editing: string | null = null;
  private seq = 0;

  constructor(
    container: HTMLElement,
    private readonly onError: (err: unknown) => void,
  ) {
    this.fields = {
      title: el('input', { id: 'cb-title', required: true, maxlength: 80, placeholder: 'e.g. Lagos Fest line-up', autocomplete: 'off' }),
      base: el('select', { id: 'cb-base', 'aria-label': 'ranked by' }),
      window: el('select', { id: 'cb-window', 'aria-label': 'window' }, ...WINDOWS.map((w) => el('option', { value: w, selected: w === 'day' }, w))),
      lineup: el('textarea', {
        id: 'cb-lineup',
        rows: 2,
        placeholder: 'optional line-up: entity ids separated by commas or lines (up to 50), e.g. artist_wizkid, artist_tems',
      }),
    };
    this.submit = el('button', { type: 'submit', class: 'primary', id: 'cb-submit' }, 'Create leaderboard');
    this.cancel = el('button', { type: 'button', id: 'cb-cancel', class: 'hidden' }, 'Cancel edit');
    this.cancel.addEventListener('click', () => this.startCreate());
    const label = (text: string, input: HTMLElement) => el('label', { class: 'small' }, el('span', { class: 'muted' }, text), input);
    this.form = el(
      'form',
      { id: 'cb-form', class: 'cb-form' },
      label('Title', this.fields.title),
      label('Ranked by', this.fields.base),
      label('Window', this.fields.window),
      label('Line-up', this.fields.lineup),
      el('div', { class: 'cb-buttons' }, this.submit, this.cancel),
    );
    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.save();
    });
    this.grid = el('div', { class: 'lb-grid', id: 'cb-grid' });
    this.root = el('section', { class: 'card', id: 'custom-leaderboards' }, el('h2', {}, 'Custom leaderboards'), this.form, this.grid);
    container.appendChild(this.root);
  }

  reset(): void {
    this.seq++;
    clear(this.grid);
    this.startCreate();
  }

  async refresh(): Promise<void> {
    const mine = ++this.seq;
    try {
      const view = await api<{ leaderboards: Board[]; bases: string[] }>('/api/ops/custom-leaderboards');
      if (mine !== this.seq) return;
      if (this.fields.base.options.length !== view.bases.length) {
        clear(this.fields.base);
        append(this.fields.base, ...view.bases.map((b) => el('option', { value: b }, b)));
      }
      clear(this.grid);
      for (const b of view.leaderboards) append(this.grid, this.board(b));
      if (!view.leaderboards.length) append(this.grid, el('p', { class: 'muted small' }, 'No custom leaderboards yet: the form above creates one.'));
    } catch (err) {
      this.onError(err);
    }
  }

  private board(b: Board): HTMLElement {
    const body = el('tbody');
    for (const r of b.entries) {
      const where = r.baseRank ? `#${r.baseRank} on ${b.base}` : `no score on ${b.base} yet`;
      append(
        body,
        el(
          'tr',
          {},
          el('td', { class: 'num' }, String(r.rank)),
          el('td', { class: 'lb-name', title: `${r.entityId} · ${where}` }, r.name ?? r.entityId),
          el('td', { class: 'num' }, fmtInt(r.score)),
        ),
      );
    }
    if (!b.entries.length) append(body, el('tr', {}, el('td', { colspan: 3, class: 'muted' }, 'no scores in this window')));
    const edit = el('button', { type: 'button', class: 'link', 'data-action': 'edit' }, 'edit');
    edit.addEventListener('click', () => this.startEdit(b));
    const remove = el('button', { type: 'button', class: 'link danger', 'data-action': 'delete' }, 'delete');
    remove.addEventListener('click', () => void this.remove(b));
    const scope = b.entityIds.length ? `line-up of ${b.entityIds.length} · ` : '';
    return el(
      'div',
      { class: 'lb-board', 'data-board': b.id },
      el('div', { class: 'lb-head' }, el('b', {}, b.title), ' ', el('code', { class: 'small' }, b.id), el('span', {}, edit, ' ', remove)),
      el('div', { class: 'muted small' }, `${scope}${b.base} · ${b.window}`),
      el('table', {}, body),
    );
  }

  private startCreate(): void {
    this.editing = null;
    this.form.reset();
    this.fields.window.value = 'day';
    this.submit.textContent = 'Create leaderboard';
    this.cancel.classList.add('hidden');
  }

  private startEdit(b: Board): void {
    this.editing = b.id;
    this.fields.title.value = b.title;
    this.fields.base.value = b.base;
    this.fields.window.value = b.window;
    this.fields.lineup.value = b.entityIds.join(', ');
    this.submit.textContent = `Save ${b.id}`;
    this.cancel.classList.remove('hidden');
    this.fields.title.focus();
  }

  private async save(): Promise<void> {
    const body = {
      title: this.fields.title.value.trim(),
      base: this.fields.base.value,
      window: this.fields.window.value,
      entityIds: this.fields.lineup.value.split(/[\s,]+/).filter(Boolean),
    };
    const editing = this.editing;
    this.submit.disabled = true;
    try {
      const path = editing ? `/api/ops/custom-leaderboards/${encodeURIComponent(editing)}` : '/api/ops/custom-leaderboards';
      const saved = await api<Board>(path, { method: editing ? 'PUT' : 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      toast(editing ? `Leaderboard “${saved.title}” saved` : `Leaderboard “${saved.title}” created as ${saved.id}`);
      this.startCreate();
    } catch (err) {
      toast(saveFailure(err, editing, body.title), 'error');
    } finally {
      this.submit.disabled = false;
    }
    await this.refresh();
  }

  private async remove(b: Board): Promise<void> {
    if (!(await confirmInPage(`Delete the leaderboard “${b.title}” (${b.id})? The scores of ${b.base} stay; only this board goes.`, 'Delete leaderboard')))
      return;
    try {
      await api(`/api/ops/custom-leaderboards/${encodeURIComponent(b.id)}`, { method: 'DELETE' });
      toast(`Leaderboard “${b.title}” deleted`);
      if (this.editing === b.id) this.startCreate();
    } catch (err) {
      toast(failureInWords(err, `Leaderboard ${b.id}`), 'error');
    }
    await this.refresh();
  }
}

/** A taken id and a refused field are the operator's to fix: say which, in words. */
function saveFailure(err: unknown, editing: string | null, title: string): string {
  if (err instanceof ApiError && err.status === 409 && !editing)
    return `A leaderboard with the id made from “${title}” exists already: choose another title, or edit that one.`;
  if (err instanceof ApiError && err.status === 400) return `Not saved: ${err.message}`;
  return failureInWords(err, editing ? `Leaderboard ${editing}` : `Leaderboard “${title}”`);
}
