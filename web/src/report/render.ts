/** Renders a report's JSON (src/http/reportsRoutes.ts reportJson) into cards; text only, never HTML strings. */
import { append, clear, el, fmtInt } from '../shared/dom.js';
import { BANDS, changeText, fmtMatch, metricTiles, NO_RANK_TEXT, rankCard, type Band, type ReportLeaderboard, type ReportMetrics as Metrics } from '../../../systems/reports/reportFigures.js';
import { mountTrendChart } from './trendChart.js';
export interface ReportResponse {
  id: string;
  reportType: string;
  entityName: string;
  startDate: string;
  endDate: string;
  generatedAt: string;
  generationMs: number;
  share: { expiresAt: string | null; url?: string };
  report: {
    metrics: Metrics;
    previous: { metrics: Metrics };
    trends: { daily: Array<{ day: string; events: number; uniqueUsers: number }>; changePercent: Record<string, number | null> };
    leaderboard: ReportLeaderboard | null;
    dna: {
      listenersAnalysed: number; audience: number; averageMatch: number; band: Band | null;
      distribution: Record<Band, { count: number; share: number }>;
      domains: Record<string, number | null>;
      topDomain: { domain: string; averageMatch: number } | null;
      clusters: Array<{ name: string; size: number; share: number; averageMatch: number }>;
      subjectDna: string;
    };
  };
}

const day = (iso: string) => iso.slice(0, 10);

function delta(pct: number | null): HTMLElement {
  return el('span', { class: `delta ${pct === null ? '' : pct > 0 ? 'up' : pct < 0 ? 'down' : ''}` }, changeText(pct));
}

function tile(label: string, value: string, change?: number | null): HTMLElement {
  return el('div', { class: 'tile' }, el('div', { class: 'label' }, label), el('div', { class: 'value' }, value), change === undefined ? null : delta(change));
}

function metricsCard(r: ReportResponse): HTMLElement {
  const tiles = metricTiles(r.report.metrics, r.report.trends.changePercent);
  return el('section', { class: 'card wide', id: 'metrics' }, el('h2', {}, 'Key metrics'), el('div', { class: 'tiles' }, ...tiles.map((t) => tile(t.label, t.value, t.change))));
}

function leaderboardCard(r: ReportResponse): HTMLElement {
  const card = rankCard(r.report.leaderboard);
  const body = card
    ? [el('div', { class: 'big' }, card.headline), el('div', { class: 'muted' }, card.detail), el('div', { class: 'muted' }, card.previous)]
    : [el('div', { class: 'muted' }, NO_RANK_TEXT)];
  return el('section', { class: 'card', id: 'leaderboard' }, el('h2', {}, 'Leaderboard position'), ...body);
}

function trendCard(r: ReportResponse): HTMLElement {
  const days = r.report.trends.daily;
  const chart = el('div', { class: 'trend-chart', role: 'img', 'aria-label': 'events and unique users per day' });
  if (days.length) mountTrendChart(chart, days);
  return el('section', { class: 'card', id: 'trend' }, el('h2', {}, 'Daily trend'), days.length ? chart : el('div', { class: 'muted' }, 'No events in this range.'));
}

function dnaCard(r: ReportResponse): HTMLElement {
  const d = r.report.dna;
  const dist = el('div', { class: 'dist', role: 'img', 'aria-label': 'match distribution' }, ...BANDS.map((b) => el('span', { class: `band-${b}`, style: `width:${d.distribution[b].share}%`, title: `${b}: ${d.distribution[b].count}` })));
  const legend = el('div', { class: 'legend' }, ...BANDS.map((b) => el('span', {}, el('i', { class: `band-${b}` }), `${b} ${d.distribution[b].share}% (${fmtInt(d.distribution[b].count)})`)));
  const domains = el('table', {}, el('tbody', {}, ...Object.entries(d.domains).map(([name, v]) => el('tr', {}, el('td', {}, name), el('td', { class: 'num' }, fmtMatch(v))))));
  const clusters = el('table', { id: 'clusters' }, el('thead', {}, el('tr', {}, el('th', {}, 'Audience cluster'), el('th', { class: 'num' }, 'Share'), el('th', { class: 'num' }, 'Match'))),
    el('tbody', {}, ...d.clusters.map((c) => el('tr', {}, el('td', {}, c.name), el('td', { class: 'num' }, `${c.share}%`), el('td', { class: 'num' }, fmtMatch(c.averageMatch))))));
  return el('section', { class: 'card wide', id: 'dna' }, el('h2', {}, 'Audience DNA insights'),
    el('p', {}, `${fmtInt(d.listenersAnalysed)} unique listeners analysed · average DNA match `, el('strong', {}, fmtMatch(d.averageMatch)), d.band ? ` (${d.band} alignment)` : '', d.topDomain ? ` · top domain: ${d.topDomain.domain} (${fmtMatch(d.topDomain.averageMatch)} avg match)` : ''),
    dist, legend, el('div', { class: 'split' }, el('div', {}, domains), el('div', {}, clusters)));
}

export function renderReport(root: HTMLElement, subtitle: HTMLElement, r: ReportResponse): void {
  subtitle.textContent = `${r.reportType} · ${r.entityName} · ${day(r.startDate)} → ${day(r.endDate)} · generated ${r.generatedAt.replace('T', ' ').slice(0, 16)} UTC in ${r.generationMs} ms`;
  clear(root);
  append(root, metricsCard(r), leaderboardCard(r), trendCard(r), dnaCard(r));
  document.title = `${r.entityName} · Coliseum report`;
}
