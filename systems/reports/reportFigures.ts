/** A report's figures as people read them: the page and the PDF render from these, so a printed report says what the page said. */
import { formatMoney } from '../money.js';
import type { ReportMetrics } from './reportData.js';

export type Band = 'strong' | 'good' | 'moderate' | 'weak';
export const BANDS: readonly Band[] = ['strong', 'good', 'moderate', 'weak'];

export interface ReportLeaderboard {
  leaderboard: string;
  rank: number | null;
  previousRank: number | null;
  outOf: number;
  score: number;
  trend: string | null;
}

/** The passport's default for a purchase without a currency. */
export const DEFAULT_REPORT_CURRENCY = 'USD';

export const fmtInt = (n: number): string => Math.round(n).toLocaleString('en-US');

export const money = (cents: number, currency: string): string => formatMoney(cents, currency);

/** Floored at 0: reports stored before matches were clamped may hold -0.001. */
export const fmtMatch = (x: number | null): string => (x === null ? '—' : Math.max(0, x).toFixed(2));

export const changeText = (pct: number | null): string => (pct === null ? 'new' : `${pct > 0 ? '+' : ''}${pct.toFixed(1)}% vs previous`);

export interface MetricTile {
  label: string;
  value: string;
  /** null = none before ("new"); undefined = not compared. */
  change?: number | null;
}

/** "₦12,500.50 · $9.99 USD", or zero in the default currency. */
const moneyLine = (rows: ReadonlyArray<{ currency: string; cents: number }>): string =>
  rows.length ? rows.map((x) => money(x.cents, x.currency)).join(' · ') : money(0, DEFAULT_REPORT_CURRENCY);

/** At most 100 %, "—" without plays. */
export const completionRate = (completions: number, plays: number): string => (plays > 0 ? `${(Math.min(1, completions / plays) * 100).toFixed(1)}%` : '—');

/** The Treasury, completion and share tiles only where the report counted them. */
export function metricTiles(metrics: ReportMetrics, changePercent: Record<string, number | null>): MetricTile[] {
  const m = metrics;
  const revenue = moneyLine(m.revenue);
  // "new" under a 0 would say something that is not.
  const c = (k: string) => (changePercent[k] == null && m[k as keyof ReportMetrics] === 0 ? undefined : (changePercent[k] ?? null));
  const later: MetricTile[] = [];
  if (m.earned) later.push({ label: 'Earned', value: moneyLine(m.earned) });
  if (m.completions !== undefined) later.push({ label: 'Completion rate', value: completionRate(m.completions, m.plays) });
  if (m.shares !== undefined) later.push({ label: 'Shares', value: fmtInt(m.shares) });
  if (m.linkOpens !== undefined) later.push({ label: 'Link opens', value: fmtInt(m.linkOpens) });
  return [
    { label: 'Events', value: fmtInt(m.events), change: c('events') },
    { label: 'Unique users', value: fmtInt(m.uniqueUsers), change: c('uniqueUsers') },
    { label: 'Station visits', value: fmtInt(m.visits), change: c('visits') },
    { label: 'Captures', value: fmtInt(m.captures), change: c('captures') },
    { label: 'Plays', value: fmtInt(m.plays), change: c('plays') },
    { label: 'Votes', value: fmtInt(m.votes), change: c('votes') },
    { label: 'Attendance', value: fmtInt(m.attendance), change: c('attendance') },
    { label: 'Likes', value: fmtInt(m.likes) },
    { label: 'Revenue', value: revenue },
    ...later,
  ];
}

/** null when no board ranks this kind of subject. */
export function rankCard(lb: ReportLeaderboard | null): { headline: string; detail: string; previous: string } | null {
  if (!lb) return null;
  return {
    headline: lb.rank ? `#${lb.rank}` : 'unranked',
    detail: `${lb.leaderboard} · of ${fmtInt(lb.outOf)} · score ${fmtInt(lb.score)}`,
    previous: `previous range: ${lb.previousRank ? `#${lb.previousRank}` : 'unranked'} · trend ${lb.trend ?? '—'}`,
  };
}

export const NO_RANK_TEXT = 'No leaderboard ranks this kind of subject.';
