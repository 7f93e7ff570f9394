/**
 * /ops log view: this process's last log lines (GET /api/ops/logs, admin token), newest first,
 * filtered by level. The section builds its own DOM inside #dashboard, like the jobs section.
 */
import { append, clear, el } from '../shared/dom.js';
import { api, qs } from './api.js';

interface LogLine {
  level: number;
  time?: string;
  msg?: string;
  component?: string;
  roomId?: string;
  userId?: string;
  err?: unknown;
}

/** Fields every line has or that are shown elsewhere in the line; the rest (job, outcome, ms…) are its detail. */
const SHOWN = new Set(['level', 'time', 'msg', 'component', 'roomId', 'userId', 'err', 'pid', 'hostname', 'v']);

/** A line's own fields as "job=dna_mirroring · outcome=succeeded": "job finished" alone does not say which job. */
function detailOf(line: LogLine): string {
  return Object.entries(line as unknown as Record<string, unknown>)
    .filter(([k, v]) => !SHOWN.has(k) && v !== null && v !== undefined && typeof v !== 'object')
    .slice(0, 6)
    .map(([k, v]) => `${k}=${String(v).slice(0, 80)}`)
    .join(' · ');
}

const LEVEL_NAMES: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

export class LogsPanel {
  readonly root: HTMLElement;
  private readonly list: HTMLElement;
  private readonly level: HTMLSelectElement;

  constructor(
    container: HTMLElement,
    private readonly onError: (err: unknown) => void,
  ) {
    this.level = el(
      'select',
      { id: 'logs-level', 'aria-label': 'lowest level shown' },
      ...['info', 'warn', 'error'].map((l) => el('option', { value: l }, l)),
    ) as HTMLSelectElement;
    this.level.addEventListener('change', () => void this.refresh());
    this.list = el('ol', { id: 'logs-lines', class: 'log-lines' });
    this.root = el('section', { class: 'card', id: 'logs' }, el('h2', {}, 'Log (this process, newest first) ', this.level), this.list);
    container.appendChild(this.root);
  }

  async refresh(): Promise<void> {
    try {
      const { lines } = await api<{ lines: LogLine[] }>(`/api/ops/logs${qs({ level: this.level.value, limit: 100 })}`);
      clear(this.list);
      for (const l of lines) {
        const where = [l.component, l.roomId && `room ${l.roomId}`, l.userId && `user ${l.userId}`].filter(Boolean).join(' · ');
        const detail = detailOf(l);
        const err = l.err
          ? ` — ${typeof l.err === 'object' && l.err && 'message' in l.err ? String((l.err as { message: unknown }).message) : String(l.err)}`
          : '';
        append(
          this.list,
          el(
            'li',
            { class: `lvl-${LEVEL_NAMES[l.level] ?? 'info'}` },
            el('span', { class: 'muted' }, (l.time ?? '').slice(11, 19)),
            ' ',
            el('b', {}, LEVEL_NAMES[l.level] ?? String(l.level)),
            ' ',
            `${l.msg ?? ''}${err}`,
            detail ? el('span', { class: 'log-detail' }, ` ${detail}`) : '',
            where ? el('span', { class: 'muted' }, ` (${where})`) : '',
          ),
        );
      }
      if (!lines.length) append(this.list, el('li', { class: 'muted' }, 'no lines at this level'));
    } catch (err) {
      this.onError(err);
    }
  }

  reset(): void {
    clear(this.list);
  }
}
