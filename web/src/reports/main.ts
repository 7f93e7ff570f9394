/**
 * /coliseum/reports/:id — a Coliseum report: key metrics against
 * the previous range, the leaderboard position, the daily trend and the audience's DNA insights.
 * Opened through a share link (`?share=<token>`, public until it expires: 410) or by an operator
 * signed in to /ops (the admin token in sessionStorage). The page holds no data itself.
 */
// The Coliseum's Roman titles, as on /coliseum (self-hosted, Latin subset): a report is that screen's page.
import '@fontsource/cinzel/latin-700.css';
import '../../public/reports.css';
import { $, append, clear, el } from '../shared/dom.js';
import { fitFigures, renderReport, type ReportResponse } from './render.js';
import { shareCard } from './shareCard.js';

async function load(): Promise<void> {
  const root = $('#report');
  const subtitle = $('#subtitle');
  const id = location.pathname.split('/').pop() ?? '';
  const share = new URLSearchParams(location.search).get('share');
  const admin = sessionStorage.getItem('ds.ops.token');
  const url = share ? `/api/reports/shared/${encodeURIComponent(share)}` : `/api/reports/${encodeURIComponent(id)}`;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (!share && admin) headers.authorization = `Bearer ${admin}`;
  try {
    const res = await fetch(url, { headers, cache: 'no-store' });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) {
      const signIn = res.status === 401 || res.status === 403;
      const why =
        res.status === 410
          ? 'This report link has expired.'
          : signIn
            ? 'Open this report through its share link, or '
            : ((body as { message?: string }).message ?? `HTTP ${res.status}`);
      subtitle.textContent = 'unavailable';
      clear(root);
      // The way out is a link, not a path to retype.
      append(
        root,
        el(
          'section',
          { class: 'card wide error', role: 'alert' },
          why,
          signIn ? el('a', { href: '/ops' }, 'sign in to the ops console') : null,
          signIn ? ' first.' : null,
        ),
      );
      return;
    }
    const report = body as ReportResponse;
    if (share && report.id !== id) throw new Error('this share link belongs to another report');
    renderReport(root, subtitle, report);
    addEventListener('resize', () => fitFigures(root));
    void document.fonts?.ready.then(() => fitFigures(root));
    root.appendChild(shareCard(report, share, share ? null : admin));
  } catch (err) {
    subtitle.textContent = 'unavailable';
    append(root, el('section', { class: 'card wide error', role: 'alert' }, (err as Error).message));
  }
}

void load();
