/**
 * A Coliseum report's figures as people read them, in one place: the page (web/src/reports) and the PDF
 * (features/reports/reportPdf.ts) both render from these, so a printed report says what the page said —
 * the same labels, en-US numbers, money always with its currency, the same rank-card wording. Pure.
 */
import { formatMoney } from '../money.js';

export type Band = 'strong' | 'good' | 'moderate' | 'weak';
export const BANDS: readonly Band[] = ['strong', 'good', 'moderate', 'weak'];

export interface ReportMetrics {
  events: number;
  uniqueUsers: number;
  plays: number;
  likes: number;
  visits: number;
  captures: number;
  votes: number;
  attendance: number;
  purchases: number;
  /** Money spent on the subject (purchases attributed to it), per currency. */
  revenue: Array<{ currency: string; cents: number }>;
  /** Money earned by the subject (payouts attributed to it), per currency; absent in reports made before it was counted. */
  earned?: Array<{ currency: string; cents: number }>;
  /** Plays finished (seed 004 "avg_completion_rate" = completions ÷ plays), share links made and their counted opens. */
  completions?: number;
  shares?: number;
  linkOpens?: number;
}

export interface ReportLeaderboard {
  leaderboard: string;
  rank: number | null;
  previousRank: number | null;
  outOf: number;
  score: number;
  trend: string | null;
}

/** Revenue with no purchase in the range is shown in this currency (the passport's default for a purchase without one). */
export const DEFAULT_REPORT_CURRENCY = 'USD';

export const fmtInt = (n: number): string => Math.round(n).toLocaleString('en-US');

/** "$1,234.50 USD", "₦12,500.50": Intl's currency format, the ISO code kept where the symbol is ambiguous (systems/money.ts). */
export const money = (cents: number, currency: string): string => formatMoney(cents, currency);

/** A DNA match with two decimals, floored at 0 (reports stored before matches were clamped may hold -0.001: never "-0.00"). */
export const fmtMatch = (x: number | null): string => (x === null ? '—' : Math.max(0, x).toFixed(2));

/** "+12.5% vs previous", or "new" when the previous range had none. */
export const changeText = (pct: number | null): string => (pct === null ? 'new' : `${pct > 0 ? '+' : ''}${pct.toFixed(1)}% vs previous`);

export interface MetricTile {
  label: string;
  value: string;
  /** Percent change vs the previous range; null = none before ("new"); undefined = not compared. */
  change?: number | null;
}

/** Money per currency on one line ("₦12,500.50 · $9.99 USD"), or zero in the default currency. */
const moneyLine = (rows: ReadonlyArray<{ currency: string; cents: number }>): string =>
  rows.length ? rows.map((x) => money(x.cents, x.currency)).join(' · ') : money(0, DEFAULT_REPORT_CURRENCY);

/** Completions ÷ plays as a percent with one decimal (at most 100 %), "—" without plays. */
export const completionRate = (completions: number, plays: number): string => (plays > 0 ? `${(Math.min(1, completions / plays) * 100).toFixed(1)}%` : '—');

/** The key-metric tiles, in order (the Treasury, completion and share tiles only where the report counted them). */
export function metricTiles(metrics: ReportMetrics, changePercent: Record<string, number | null>): MetricTile[] {
  const m = metrics;
  const revenue = moneyLine(m.revenue);
  // No change to state for a figure that is 0 now and had nothing before ("new" under a 0 says something that is not).
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

/** The rank card's three lines; null when no board ranks this kind of subject. */
export function rankCard(lb: ReportLeaderboard | null): { headline: string; detail: string; previous: string } | null {
  if (!lb) return null;
  return {
    headline: lb.rank ? `#${lb.rank}` : 'unranked',
    detail: `${lb.leaderboard} · of ${fmtInt(lb.outOf)} · score ${fmtInt(lb.score)}`,
    previous: `previous range: ${lb.previousRank ? `#${lb.previousRank}` : 'unranked'} · trend ${lb.trend ?? '—'}`,
  };
}

export const NO_RANK_TEXT = 'No leaderboard ranks this kind of subject.';
