/**
 * /ops "Rollup processor" section: each passport processor's queue (rows waiting), its lag (how long the oldest row has
 * waited), when its cursor last moved, and a run-now button. Builds its own DOM inside #dashboard.
 */
import { append, clear, el, fmtDuration, fmtInt, fmtTime } from '../shared/dom.js';
import { api } from './api.js';
import { failureInWords, toast } from './feedback.js';

interface ProcessorView {
  name: string;
  title: string;
  lastId: string;
  headId: string;
  behind: number;
  behindCapped: boolean;
  oldestPendingAt: string | null;
  movedAt: string | null;
  lagSeconds: number;
}

/** Past this lag the row is marked: figures older than 5 minutes are stale on a live screen. */
const LAG_GOAL_SEC = 300;

export class ProcessorsPanel {
  readonly root: HTMLElement;
  private readonly body: HTMLElement;
  private seq = 0;

  constructor(
    container: HTMLElement,
    private readonly onError: (err: unknown) => void,
  ) {
    this.body = el('tbody', { id: 'processors-body' });
    const table = el(
      'table',
      {},
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          el('th', {}, 'processor'),
          el('th', { class: 'num' }, 'waiting'),
          el('th', { class: 'num' }, 'lag'),
          el('th', {}, 'last moved'),
          el('th', {}, ''),
        ),
      ),
      this.body,
    );
    this.root = el(
      'section',
      { class: 'card', id: 'processors' },
      el('h2', {}, 'Rollup processor'),
      el(
        'p',
        { class: 'muted small' },
        `Passport rows not yet counted into the rollups, and how long the oldest has waited (goal: under ${LAG_GOAL_SEC / 60} minutes).`,
      ),
      el('div', { class: 'scroll-x' }, table),
    );
    container.appendChild(this.root);
  }

  reset(): void {
    this.seq++;
    clear(this.body);
  }

  async refresh(): Promise<void> {
    const mine = ++this.seq;
    try {
      const { processors } = await api<{ processors: ProcessorView[] }>('/api/ops/processors');
      if (mine === this.seq) this.render(processors);
    } catch (err) {
      this.onError(err);
    }
  }

  private render(processors: ProcessorView[]): void {
    clear(this.body);
    for (const p of processors) {
      const run = el('button', { type: 'button', 'data-run': p.name }, 'Run now');
      run.addEventListener('click', () => void this.run(p, run));
      const late = p.lagSeconds > LAG_GOAL_SEC;
      append(
        this.body,
        el(
          'tr',
          { 'data-processor': p.name },
          el('td', {}, el('div', {}, p.title), el('code', { class: 'small muted' }, p.name)),
          el('td', { class: 'num', 'data-field': 'behind' }, p.behind === 0 ? 'none' : `${fmtInt(p.behind)}${p.behindCapped ? '+' : ''} rows`),
          el('td', { class: `num${late ? ' bad' : ''}`, 'data-field': 'lag' }, p.behind === 0 ? 'caught up' : fmtDuration(p.lagSeconds)),
          el('td', { class: 'small' }, p.movedAt ? fmtTime(p.movedAt) : 'never'),
          el('td', {}, run),
        ),
      );
    }
  }

  private async run(p: ProcessorView, button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    this.seq++; // a poll that started before the run must not repaint the old figures
    try {
      const r = await api<ProcessorView & { processed: number; tookMs: number }>(`/api/ops/processors/${encodeURIComponent(p.name)}/run`, { method: 'POST' });
      if (r.processed)
        toast(`${p.title}: counted ${fmtInt(r.processed)} rows in ${fmtInt(r.tookMs)} ms${r.behind ? `; ${fmtInt(r.behind)} still waiting` : '; caught up'}`);
      // Another process (or this one's timer) holds the cursor: the rows are being counted, not forgotten.
      else if (r.behind) toast(`${p.title}: another run holds it right now; ${fmtInt(r.behind)} rows waiting. Retry in a moment.`, 'error');
      else toast(`${p.title}: nothing was waiting`);
      await this.refresh();
    } catch (err) {
      toast(failureInWords(err, p.title), 'error');
    } finally {
      button.disabled = false;
    }
  }
}
