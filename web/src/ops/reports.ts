/**
 * /ops "Reports" section: the latest Coliseum
 * reports (GET /api/reports), each with its page, its PDF and when its share link expires, under the form
 * that generates one (reportsForm.ts). Builds its own DOM inside #dashboard.
 */
import { append, clear, el, fmtTime } from '../shared/dom.js';
import { api, token } from './api.js';
import { failureInWords, toast } from './feedback.js';
import { reportForm } from './reportsForm.js';

interface ReportRow {
  id: string;
  reportType: string;
  entityName: string;
  timeRange: string;
  startDate: string;
  endDate: string;
  generatedAt: string;
  share: { expiresAt: string | null; url?: string };
  links: { page: string; pdf: string };
}

export class ReportsPanel {
  readonly root: HTMLElement;
  private readonly body: HTMLElement;
  private seq = 0;
  private readonly suggestions: () => Promise<void>;

  constructor(
    container: HTMLElement,
    private readonly onError: (err: unknown) => void,
  ) {
    this.body = el('tbody', { id: 'reports-body' });
    const head = el('tr', {}, el('th', {}, 'generated'), el('th', {}, 'subject'), el('th', {}, 'range'), el('th', {}, 'share link'), el('th', {}, ''));
    const { form, reload } = reportForm(() => void this.refresh());
    this.suggestions = reload;
    this.root = el(
      'section',
      { class: 'card', id: 'reports' },
      el('h2', {}, 'Reports'),
      form,
      el('div', { class: 'scroll-x' }, el('table', {}, el('thead', {}, head), this.body)),
    );
    container.appendChild(this.root);
  }

  reset(): void {
    this.seq++;
    clear(this.body);
  }

  async refresh(): Promise<void> {
    const mine = ++this.seq;
    void this.suggestions();
    try {
      const { reports } = await api<{ reports: ReportRow[] }>('/api/reports?limit=20');
      if (mine !== this.seq) return;
      clear(this.body);
      for (const r of reports) append(this.body, this.row(r));
      if (!reports.length) append(this.body, el('tr', {}, el('td', { colspan: 5, class: 'muted' }, 'No reports yet: generate one above.')));
    } catch (err) {
      this.onError(err);
    }
  }

  private row(r: ReportRow): HTMLElement {
    const expired = r.share.expiresAt !== null && Date.parse(r.share.expiresAt) <= Date.now();
    const pdf = el('button', { type: 'button', class: 'link', 'data-pdf': r.id }, 'PDF');
    pdf.addEventListener('click', () => void this.download(r));
    return el(
      'tr',
      { 'data-report': r.id },
      el('td', { class: 'small nowrap' }, fmtTime(r.generatedAt)),
      el(
        'td',
        {},
        el('a', { href: r.share.url ?? r.links.page, target: '_blank', rel: 'noopener' }, r.entityName),
        el('span', { class: 'muted small' }, ` ${r.reportType.replace('_', ' ')}`),
      ),
      el('td', { class: 'small' }, `${r.timeRange} · ${r.startDate.slice(0, 10)} to ${r.endDate.slice(0, 10)}`),
      el('td', { class: `small${expired ? ' bad' : ''}` }, r.share.expiresAt ? `${expired ? 'expired' : 'until'} ${fmtTime(r.share.expiresAt)}` : 'none'),
      el('td', {}, pdf),
    );
  }

  /** With the Bearer header (a plain link cannot send it), then saved under the server's file name. */
  private async download(r: ReportRow): Promise<void> {
    try {
      const res = await fetch(r.links.pdf, { headers: { authorization: `Bearer ${token.get() ?? ''}` }, cache: 'no-store' });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const href = URL.createObjectURL(await res.blob());
      const a = el('a', { href, download: /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `report-${r.id}.pdf` });
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(href), 10_000);
      toast(`PDF of the ${r.entityName} report downloaded`);
    } catch (err) {
      toast(failureInWords(err, `The ${r.entityName} report`), 'error');
    }
  }
}
