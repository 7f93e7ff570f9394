/**
 * A leaderboard page as CSV (seed 004's export): RFC 4180 — comma-separated, CRLF line ends, a field
 * quoted when it holds a comma, quote or line break, quotes doubled. A text cell that a spreadsheet would
 * run as a formula (starting with = + - @, tab or CR) is prefixed with ' (OWASP "CSV injection"): names
 * come from clients and catalogs, not from us.
 */
import type { LeaderboardEntry } from './ranking.js';

export const LEADERBOARD_CSV_COLUMNS = ['rank', 'entity_id', 'name', 'score', 'previous_rank', 'trend', 'change', 'change_percent'] as const;

type CsvRow = LeaderboardEntry & { previousRank?: number | null; trend?: string; change?: number; changePercent?: number };

/** One cell, quoted and neutralised as needed; numbers and null as they are. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function leaderboardCsv(entries: readonly CsvRow[]): string {
  const lines = [LEADERBOARD_CSV_COLUMNS.join(',')];
  for (const e of entries) lines.push([e.rank, e.entityId, e.name, e.score, e.previousRank, e.trend, e.change, e.changePercent].map(csvCell).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** `artists.visits-day-2026-11-25.csv`: the board, the window and the UTC day it was read. */
export function leaderboardCsvFilename(leaderboard: string, window: string, at: number): string {
  return `${leaderboard.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80)}-${window}-${new Date(at).toISOString().slice(0, 10)}.csv`;
}
