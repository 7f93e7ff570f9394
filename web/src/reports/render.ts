/** Renders a report's JSON (src/http/reportsRoutes.ts reportJson) into cards; text only, never HTML strings. */
import { append, clear, el, fmtInt } from '../shared/dom.js';
import { fitWidth } from '../shared/fit.js';
import {
  audienceMatch,
  BANDS,
  changeText,
  domainName,
  fmtMatch,
  metricTiles,
  noneLine,
  NO_RANK_TEXT,
  rankCard,
  topDomainText,
} from '../../../systems/reports/reportFigures.js';
import { campaignLines, standingLines, standingsHeadline } from '../../../systems/reports/reportSections.js';
import type { CampaignFigures } from '../../../systems/reports/campaign.js';
import { mountTrendChart } from './trendChart.js';
import type { ColiseumReport } from '../../../clients/ts/src/ops.js';
/** A report as GET /api/reports/{id} answers it (through a share link: the same, without the share token), typed by the contract. */
export type ReportResponse = ColiseumReport;

const day = (iso: string) => iso.slice(0, 10);

function delta(pct: number | null): HTMLElement {
  return el('span', { class: `delta ${pct === null ? '' : pct > 0 ? 'up' : pct < 0 ? 'down' : ''}` }, changeText(pct));
}

function tile(label: string, value: string, change?: number | null): HTMLElement {
  return el('div', { class: 'tile' }, el('div', { class: 'label' }, label), el('div', { class: 'value' }, value), change === undefined ? null : delta(change));
}

function metricsCard(r: ReportResponse): HTMLElement {
  const { tiles, none } = metricTiles(r.report.metrics, r.report.trends.changePercent);
  const line = noneLine(none);
  return el(
    'section',
    { class: 'card wide', id: 'metrics' },
    el('h2', {}, 'Key metrics'),
    el('div', { class: 'tiles' }, ...tiles.map((t) => tile(t.label, t.value, t.change))),
    line ? el('p', { class: 'muted none' }, line) : null,
  );
}

function leaderboardCard(r: ReportResponse): HTMLElement {
  const card = rankCard(r.report.leaderboard);
  const body = card
    ? [el('div', { class: 'big' }, card.headline), el('div', { class: 'muted' }, card.detail), el('div', { class: 'muted' }, card.previous)]
    : [el('div', { class: 'muted' }, NO_RANK_TEXT)];
  return el('section', { class: 'card', id: 'leaderboard' }, el('h2', {}, 'Leaderboard position'), ...body);
}

/** A tournament's standings in place of a single rank. */
function standingsCard(t: NonNullable<ReportResponse['report']['tournament']>): HTMLElement {
  // Three columns so a phone keeps whole city names: the previous range sits under the city, the share under the score.
  const head = el('thead', {}, el('tr', {}, el('th', {}, 'Rank'), el('th', {}, 'City · previous range'), el('th', { class: 'num' }, 'Engagement · share')));
  const rows = standingLines(t).map((l) =>
    el(
      'tr',
      {},
      el('td', { class: 'rank' }, l.rank),
      el('td', {}, el('div', { class: 'city' }, l.city), el('div', { class: 'muted small' }, l.previous)),
      el('td', { class: 'num' }, el('div', { class: 'score' }, l.engagement), el('div', { class: 'muted small' }, l.share)),
    ),
  );
  return el(
    'section',
    { class: 'card wide', id: 'standings' },
    el('h2', {}, 'Tournament standings'),
    el('p', {}, el('strong', {}, standingsHeadline(t))),
    el('p', { class: 'muted' }, `${t.leaderboard} · ${t.field === 'all' ? 'the most engaged cities of the range' : 'the cities the report names'}`),
    el('table', {}, head, el('tbody', {}, ...rows)),
  );
}

/** A brand campaign's funnel and return. */
function campaignCard(c: CampaignFigures): HTMLElement {
  const rows = campaignLines(c).map((l) =>
    el('tr', {}, el('td', {}, l.label), el('td', { class: 'num' }, el('strong', {}, l.value)), el('td', { class: 'muted' }, l.note ?? '')),
  );
  return el('section', { class: 'card', id: 'campaign' }, el('h2', {}, 'Campaign funnel and return'), el('table', {}, el('tbody', {}, ...rows)));
}

function trendCard(r: ReportResponse): HTMLElement {
  const days = r.report.trends.daily;
  const chart = el('div', { class: 'trend-chart', role: 'img', 'aria-label': 'events and unique users per day' });
  if (days.length) mountTrendChart(chart, days);
  return el(
    'section',
    { class: 'card', id: 'trend' },
    el('h2', {}, 'Daily trend'),
    days.length ? chart : el('div', { class: 'muted' }, 'No events in this range.'),
  );
}

function dnaCard(r: ReportResponse): HTMLElement {
  const d = r.report.dna;
  const dist = el(
    'div',
    { class: 'dist', role: 'img', 'aria-label': 'match distribution' },
    ...BANDS.map((b) => el('span', { class: `band-${b}`, style: `width:${d.distribution[b].share}%`, title: `${b}: ${d.distribution[b].count}` })),
  );
  const legend = el(
    'div',
    { class: 'legend' },
    ...BANDS.map((b) => el('span', {}, el('i', { class: `band-${b}` }), `${b} ${d.distribution[b].share}% (${fmtInt(d.distribution[b].count)})`)),
  );
  const domains = el(
    'table',
    {},
    el('tbody', {}, ...Object.entries(d.domains).map(([name, v]) => el('tr', {}, el('td', {}, domainName(name)), el('td', { class: 'num' }, fmtMatch(v))))),
  );
  const clusters = el(
    'table',
    { id: 'clusters' },
    el('thead', {}, el('tr', {}, el('th', {}, 'Audience cluster'), el('th', { class: 'num' }, 'Share'), el('th', { class: 'num' }, 'Match'))),
    el(
      'tbody',
      {},
      ...d.clusters.map((c) =>
        el('tr', {}, el('td', {}, c.name), el('td', { class: 'num' }, `${c.share}%`), el('td', { class: 'num' }, fmtMatch(c.averageMatch))),
      ),
    ),
  );
  return el(
    'section',
    { class: 'card wide', id: 'dna' },
    el('h2', {}, 'Audience DNA insights'),
    el(
      'p',
      {},
      `${fmtInt(d.listenersAnalysed)} unique listeners analysed · average DNA match `,
      el('strong', {}, audienceMatch(d)),
      d.band ? ` (${d.band} alignment)` : '',
      topDomainText(d.topDomain),
    ),
    dist,
    legend,
    el('div', { class: 'split' }, el('div', {}, domains), el('div', {}, clusters)),
  );
}

/**
 * A report on an entity with no events in its range says so first, in plain words: its zeros are not a
 * collapse, and a campaign's −100 % return is only the budget against no recorded sales.
 */
function emptyNotice(r: ReportResponse): HTMLElement | null {
  if (r.report.metrics.events > 0) return null;
  const before = r.report.previous.metrics.events;
  return el(
    'section',
    { class: 'card wide notice', id: 'no-data', role: 'note' },
    el('h2', {}, 'No activity in this range'),
    el(
      'p',
      {},
      `Nothing was recorded for ${r.entityName} between ${day(r.startDate)} and ${day(r.endDate)}`,
      before > 0 ? ` (the range before had ${fmtInt(before)} events).` : ' (nor in the range before).',
    ),
    el(
      'p',
      { class: 'muted' },
      r.report.campaign
        ? 'The return below only sets the budget against no recorded sales: check the entity id and the dates before sharing this report.'
        : 'Check the entity id and the dates before sharing this report.',
    ),
  );
}

export function renderReport(root: HTMLElement, subtitle: HTMLElement, r: ReportResponse): void {
  subtitle.textContent = `${r.reportType.replace('_', ' ')} · ${r.entityName} · ${day(r.startDate)} → ${day(r.endDate)} · generated ${r.generatedAt.replace('T', ' ').slice(0, 16)} UTC in ${r.generationMs} ms`;
  clear(root);
  const { tournament, campaign } = r.report;
  const position = tournament ? standingsCard(tournament) : campaign ? campaignCard(campaign) : leaderboardCard(r);
  const empty = emptyNotice(r);
  if (empty) append(root, empty);
  append(root, metricsCard(r), position, trendCard(r), dnaCard(r));
  fitFigures(root);
  document.title = `${r.entityName} · Coliseum report`;
}

/** Each tile's figure at the size at which its longest word fits the tile: "$1,234,567.89" whole, never cut at a comma. */
export function fitFigures(root: HTMLElement): void {
  for (const value of root.querySelectorAll<HTMLElement>('.tile .value')) fitWidth(value, value.clientWidth, 12);
}
