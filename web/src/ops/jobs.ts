/**
 * /ops jobs section: every scheduled job with its schedule, last run (outcome, duration,
 * rows, error), next run and failures in 24 h, and a "Run now" button (admin token, POST
 * /api/ops/jobs/:name/run). The section builds its own DOM inside #dashboard, so the page shell
 * (web/public/ops.html) needs no change.
 */
import { cronInWords } from './cronWords.js';
import { append, clear, el, fmtDuration, fmtInt, labelCells } from '../shared/dom.js';
import { failureInWords, toast } from './feedback.js';
import { api } from './api.js';

/** GET /api/ops/jobs, one job (features/jobs/JobScheduler.ts JobStatus). */
export interface JobView {
  name: string;
  description: string;
  schedule: string | null;
  runnable: boolean;
  nextRunAt: string | null;
  running: boolean;
  lastRun: { outcome: string; startedAt: string; durationMs: number | null; rows: number | null; error: string | null; process: string } | null;
  lastSuccessAt: string | null;
  failures24h: number;
}

const time = (iso: string | null): string => (iso ? new Date(iso).toLocaleTimeString('en-GB', { hour12: false }) : '—');

export class JobsPanel {
  readonly root: HTMLElement;
  private readonly body: HTMLElement;
  private readonly note: HTMLElement;

  constructor(
    container: HTMLElement,
    private readonly onError: (err: unknown) => void,
  ) {
    this.body = el('tbody', { id: 'jobs-body' });
    this.note = el('p', { class: 'muted small', id: 'jobs-note' });
    const head = el(
      'tr',
      {},
      ...['job', 'schedule (UTC)', 'last run', 'outcome', 'duration', 'rows', 'next run', 'failures 24 h', ''].map((h, i) =>
        el('th', { class: i >= 4 && i <= 7 ? 'num' : null }, h),
      ),
    );
    this.root = el(
      'section',
      { class: 'card', id: 'jobs' },
      el('h2', {}, 'Scheduled jobs'),
      this.note,
      el('div', { class: 'scroll-x' }, el('table', {}, el('thead', {}, head), this.body)),
    );
    container.appendChild(this.root);
  }

  async refresh(): Promise<void> {
    try {
      const { jobs } = await api<{ jobs: JobView[] }>('/api/ops/jobs');
      clear(this.body);
      for (const job of jobs) append(this.body, this.row(job));
      labelCells(this.body);
    } catch (err) {
      this.onError(err);
    }
  }

  private row(job: JobView): HTMLElement {
    const last = job.lastRun;
    const button = el('button', { type: 'button', disabled: job.running || !job.runnable }, job.running ? 'running…' : job.runnable ? 'Run now' : 'on event');
    button.addEventListener('click', () => void this.run(job.name, button));
    const outcome = el(
      'span',
      { class: last?.outcome === 'failed' || last?.outcome === 'abandoned' ? 'bad' : null, title: last?.error ?? '' },
      last?.outcome ?? 'never ran',
    );
    return el(
      'tr',
      { 'data-job': job.name, title: job.description },
      el('td', {}, el('code', {}, job.name)),
      el('td', { title: job.schedule ?? '' }, job.schedule ? cronInWords(job.schedule) : job.runnable ? 'on demand' : 'on event'),
      el('td', {}, last ? `${time(last.startedAt)} · ${last.process}` : '—'),
      el('td', {}, outcome),
      el('td', { class: 'num' }, last?.durationMs == null ? '—' : last.durationMs < 1000 ? `${last.durationMs} ms` : fmtDuration(last.durationMs / 1000)),
      el('td', { class: 'num' }, last?.rows == null ? '—' : fmtInt(last.rows)),
      el('td', { class: 'num' }, time(job.nextRunAt)),
      el('td', { class: job.failures24h > 0 ? 'num bad' : 'num' }, String(job.failures24h)),
      el('td', {}, button),
    );
  }

  private async run(name: string, button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    try {
      await api(`/api/ops/jobs/${encodeURIComponent(name)}/run`, { method: 'POST' });
      this.note.textContent = `${name} started`;
      toast(`Job ${name} started.`);
    } catch (err) {
      this.note.textContent = failureInWords(err, `Job ${name}`);
      toast(this.note.textContent, 'error');
    }
    await this.refresh();
  }

  reset(): void {
    clear(this.body);
    this.note.textContent = '';
  }
}
