/**
 * /ops platform KPIs section: GET /api/admin/metrics?range= rendered as goal
 * tiles (orbs per session vs 3.0, sensor engagement vs 60 %, session length vs the 25-minute benchmark,
 * capture rate), the orb brackets, top orbs and artists, the daily series and the API's p95 / error rates.
 * Builds its own DOM inside #dashboard, like the jobs section, so the page shell needs no change.
 */
import { append, clear, el, fmtInt, fmtNum } from '../shared/dom.js';
import { api, qs } from './api.js';
import type { PlatformMetrics } from '../../../clients/ts/src/ops.js';

const RANGES = ['24h', '7d', '30d', '90d'];
const statusClass = (s: string): string => (s === 'Below goal' ? 'bad' : s === 'No data' ? '' : 'good');

function tile(id: string, label: string, value: string, sub = '', cls = ''): HTMLElement {
  return el(
    'div',
    { class: `tile ${cls}`.trim(), 'data-kpi': id },
    el('div', { class: 'label' }, label),
    el('div', { class: 'value num' }, value),
    el('div', { class: 'muted small' }, sub),
  );
}

function table(headers: string[], rows: Array<Array<string | number>>, numFrom = 1): HTMLElement {
  const head = el('tr', {}, ...headers.map((h, i) => el('th', { class: i >= numFrom ? 'num' : null }, h)));
  const body = el('tbody');
  if (rows.length === 0) append(body, el('tr', {}, el('td', { colspan: headers.length, class: 'muted' }, 'no data in this range')));
  for (const r of rows) append(body, el('tr', {}, ...r.map((c, i) => el('td', { class: i >= numFrom ? 'num' : null }, String(c)))));
  return el('div', { class: 'scroll-x' }, el('table', {}, el('thead', {}, head), body));
}

export class KpiPanel {
  readonly root: HTMLElement;
  private readonly content: HTMLElement;
  private readonly note: HTMLElement;
  private range = '7d';

  constructor(
    container: HTMLElement,
    private readonly onError: (err: unknown) => void,
  ) {
    const picker = el(
      'select',
      { id: 'kpi-range', 'aria-label': 'range' },
      ...RANGES.map((r) => el('option', { value: r, selected: r === this.range ? '' : null }, r)),
    );
    picker.addEventListener('change', () => {
      this.range = picker.value;
      void this.refresh();
    });
    this.note = el('span', { class: 'muted small', id: 'kpi-note' });
    this.content = el('div', { id: 'kpi-content' });
    this.root = el('section', { class: 'card', id: 'kpis' }, el('h2', {}, 'Platform KPIs ', picker, ' ', this.note), this.content);
    container.appendChild(this.root);
  }

  reset(): void {
    clear(this.content);
    this.note.textContent = '';
  }

  async refresh(): Promise<void> {
    try {
      this.render(await api<PlatformMetrics>(`/api/admin/metrics${qs({ range: this.range })}`));
    } catch (err) {
      this.onError(err);
    }
  }

  private render(m: PlatformMetrics): void {
    const { interaction_depth: depth, sensor_engagement: sensor, constellation_growth: growth } = m.engagement_kpis;
    const u = m.user_metrics;
    this.note.textContent = `${m.period} · generated ${new Date(m.generated_at).toLocaleTimeString('en-GB', { hour12: false })}${m.cache.hit ? ' (cached)' : ''}`;
    const tiles = el(
      'div',
      { class: 'tiles' },
      tile('orbs', 'Orbs per session', fmtNum(depth.avg_orbs_per_session, 1), `goal ${depth.goal} · ${depth.status}`, statusClass(depth.status)),
      tile(
        'sensor',
        'Sensor engagement',
        sensor.percentage === null ? 'n/a' : `${fmtNum(sensor.percentage, 1)}%`,
        `goal ${sensor.goal}% · ${sensor.status}`,
        statusClass(sensor.status),
      ),
      tile(
        'length',
        'Avg session',
        u.avg_session_duration_minutes === null ? 'n/a' : `${fmtNum(u.avg_session_duration_minutes, 1)} min`,
        `${u.session_duration_lift_vs_benchmark ?? 'n/a'} vs ${u.benchmark_minutes} min benchmark`,
      ),
      // capture_rate is captures ÷ sessions (e.g. 0.42): a per-session figure that can exceed 1, never a percentage.
      tile(
        'capture',
        'Captures per session',
        growth.capture_rate === null ? 'n/a' : fmtNum(growth.capture_rate, 2),
        `${fmtInt(growth.total_captures)} captures · ${fmtNum(growth.avg_captures_per_user, 1)} per capturing user`,
      ),
      tile('users', 'Users', fmtInt(u.total_users), `${fmtInt(u.new_users)} new · ${fmtInt(u.daily_active_users)} DAU · ${fmtInt(u.total_sessions)} sessions`),
    );
    const brackets = table(
      ['orb bracket', 'sessions'],
      Object.entries(depth.distribution).map(([k, v]) => [k, fmtInt(v)]),
    );
    const orbs = table(
      ['top orbs', 'clicks'],
      m.content_performance.top_orbs.map((o) => [o.name ?? o.id, fmtInt(o.clicks)]),
    );
    // avg time per visit (seed "3:42"): until the session's next visit or end, capped; "n/a" when no visit could be measured.
    const artists = table(
      ['top artists', 'visits', 'avg time'],
      m.content_performance.top_artists.map((a) => [a.name ?? a.id, fmtInt(a.visits), a.avg_time_spent ?? 'n/a']),
    );
    const stuck = m.content_performance.bottlenecks ?? [];
    const bottlenecks = stuck.length
      ? table(
          ['bottleneck station', 'visits', 'orb taps', 'captures', 'per visit'],
          stuck.map((b) => [b.name ?? b.id, fmtInt(b.visits), fmtInt(b.orbTaps), fmtInt(b.captures), fmtNum(b.avg_interactions, 2)]),
        )
      : el('p', { class: 'muted small' }, 'No bottleneck: every station with 5+ visits gets at least 0.5 orb taps or captures per visit.');
    const daily = table(
      ['day (UTC)', 'DAU', 'sessions', 'avg orbs', 'sensor %'],
      m.daily.map((d) => [d.date, fmtInt(d.dau), fmtInt(d.sessions), fmtNum(d.avg_orbs, 1), d.sensor_rate === null ? 'n/a' : fmtNum(d.sensor_rate * 100, 1)]),
    );
    const api = m.technical_performance;
    const apiRows = api.endpoints
      .slice(0, 12)
      .map((e) => [
        `${e.alert ? '⚠ ' : ''}${e.endpoint}`,
        fmtInt(e.requests),
        e.p95_ms === null ? 'n/a' : fmtNum(e.p95_ms, 1),
        e.error_rate === null ? 'n/a' : `${fmtNum(e.error_rate * 100, 2)}%`,
        e.since_start ? fmtInt(e.since_start.requests) : '—',
      ]);
    const apiTable = table(['endpoint', `requests (${this.range})`, 'p95 ms', '5xx rate', 'since start'], apiRows);
    const apiTitle = api.bucket ? `API · last ${m.period} (${api.bucket} buckets, all processes)` : 'API (since process start)';
    clear(this.content);
    append(
      this.content,
      tiles,
      el('div', { class: 'kpi-grid' }, brackets, orbs, artists),
      el('h3', {}, 'Bottleneck stations (many visits, under 0.5 interactions per visit)'),
      bottlenecks,
      daily,
      el('h3', { id: 'kpi-api-title' }, apiTitle),
      apiTable,
    );
  }
}
