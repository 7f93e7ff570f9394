/** A report's figures as people read them: the page and the PDF render from these, so a printed report says what the page said. */
import { formatMoney } from '../money.js';
import { andList } from '../text.js';
import type { ReportData, ReportMetrics } from './reportData.js';

export const BANDS = ['strong', 'good', 'moderate', 'weak'] as const;

type ReportLeaderboard = Pick<NonNullable<ReportData['leaderboard']>, 'leaderboard' | 'rank' | 'previousRank' | 'outOf' | 'score' | 'trend'>;

/** The passport's default for a purchase without a currency. */
export const DEFAULT_REPORT_CURRENCY = 'USD';

export const fmtInt = (n: number): string => Math.round(n).toLocaleString('en-US');

/** Floored at 0: reports stored before matches were clamped may hold -0.001. */
export const fmtMatch = (x: number | null): string => (x === null ? '—' : Math.max(0, x).toFixed(2));

/** The audience's average match; with no listener nothing was averaged, so a dash, never a 0.00 that reads as measured. */
export const audienceMatch = (d: { listenersAnalysed: number; averageMatch: number }): string => (d.listenersAnalysed ? fmtMatch(d.averageMatch) : '—');

export const changeText = (pct: number | null): string => (pct === null ? 'new' : `${pct > 0 ? '+' : ''}${pct.toFixed(1)}% vs previous`);

export interface MetricTile {
  label: string;
  value: string;
  /** null = none before ("new"); undefined = not compared. */
  change?: number | null;
}

/** "₦12,500.50 · $9.99 USD", or zero in the default currency. */
const moneyLine = (rows: ReadonlyArray<{ currency: string; cents: number }>): string =>
  rows.length ? rows.map((x) => formatMoney(x.cents, x.currency)).join(' · ') : formatMoney(0, DEFAULT_REPORT_CURRENCY);

/** At most 100 %, "—" without plays. */
export const completionRate = (completions: number, plays: number): string => (plays > 0 ? `${(Math.min(1, completions / plays) * 100).toFixed(1)}%` : '—');

/**
 * The tiles with something to show, and the labels of those without: a count that is zero in this range and was zero
 * in the range before is left out (nine zero tiles read as a broken report), and named once on a line of its own.
 * Events and unique users always stay, the report's headline.
 */
export function metricTiles(m: ReportMetrics, changePercent: Record<string, number | null>): { tiles: MetricTile[]; none: string[] } {
  // "new" under a 0 would say something that is not.
  const c = (k: string) => (changePercent[k] == null && m[k as keyof ReportMetrics] === 0 ? undefined : (changePercent[k] ?? null));
  const all: Array<MetricTile & { empty: boolean }> = [];
  const count = (label: string, n: number | undefined, key?: string, always = false) => {
    if (n === undefined) return;
    const change = key === undefined ? undefined : c(key);
    all.push({ label, value: fmtInt(n), change, empty: !always && n === 0 && !change });
  };
  const cash = (label: string, rows: ReadonlyArray<{ currency: string; cents: number }> | undefined) => {
    if (rows !== undefined) all.push({ label, value: moneyLine(rows), empty: !rows.some((r) => r.cents !== 0) });
  };
  count('Events', m.events, 'events', true);
  count('Unique users', m.uniqueUsers, 'uniqueUsers', true);
  count('Station visits', m.visits, 'visits');
  count('Captures', m.captures, 'captures');
  count('Plays', m.plays, 'plays');
  count('Votes', m.votes, 'votes');
  count('Attendance', m.attendance, 'attendance');
  count('Likes', m.likes);
  cash('Revenue', m.revenue);
  cash('Earned', m.earned);
  if (m.completions !== undefined && m.plays > 0) all.push({ label: 'Completion rate', value: completionRate(m.completions, m.plays), empty: false });
  count('Shares', m.shares);
  count('Link opens', m.linkOpens);
  return {
    tiles: all.filter((t) => !t.empty).map(({ empty: _, ...t }) => t),
    none: all.filter((t) => t.empty).map((t) => t.label),
  };
}

/** "None in this range: votes, attendance and likes." — what the tiles leave out, in one line. */
export function noneLine(none: readonly string[]): string | null {
  return none.length ? `None in this range: ${andList(none.map((l) => l.toLowerCase()))}.` : null;
}

/** null when no board ranks this kind of subject. */
export function rankCard(lb: ReportLeaderboard | null): { headline: string; detail: string; previous: string } | null {
  if (!lb) return null;
  return {
    headline: lb.rank ? `#${lb.rank}` : 'unranked',
    // "of 0 · score 0" reads as a broken figure: an empty board says what it means.
    detail: lb.outOf ? `${lb.leaderboard} · of ${fmtInt(lb.outOf)} · score ${fmtInt(lb.score)}` : `${lb.leaderboard} · nobody ranked in this range`,
    previous: `previous range: ${lb.previousRank ? `#${lb.previousRank}` : 'unranked'} · trend ${lb.trend ?? '—'}`,
  };
}

const DOMAIN_NAMES: Record<string, string> = { cultural: 'Cultural', behavioral: 'Behavioral', economic: 'Economic', spatial: 'Spatial' };

/** A DNA domain by its name, as the page and the PDF print it: "cultural" → "Cultural". */
export const domainName = (key: string): string => DOMAIN_NAMES[key] ?? key;

/** "· top domain: Cultural (0.82 avg match)", or nothing without one. */
export const topDomainText = (top: { domain: string; averageMatch: number } | null): string =>
  top ? ` · top domain: ${domainName(top.domain)} (${fmtMatch(top.averageMatch)} avg match)` : '';

export const NO_RANK_TEXT = 'No leaderboard ranks this kind of subject.';
