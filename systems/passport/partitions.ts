/**
 * Monthly partitions of `passport_entries` (by `received_at`, UTC), pure date arithmetic: which months
 * must exist ahead of time, which have left the retention window, and their table names.
 */

/** A calendar month, UTC. */
export interface Month {
  year: number;
  /** 1..12 */
  month: number;
}

/** The month holding `ms` (UTC). */
export function monthOf(ms: number): Month {
  const d = new Date(ms);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1 };
}

/** `m` moved by `delta` months. */
export function addMonths(m: Month, delta: number): Month {
  const index = m.year * 12 + (m.month - 1) + delta;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}

/** First instant of the month, ms since epoch (UTC). */
export function monthStart(m: Month): number {
  return Date.UTC(m.year, m.month - 1, 1);
}

/** Table name of a month's partition: `passport_entries_y2026m01`. */
export function partitionName(m: Month): string {
  return `passport_entries_y${m.year}m${String(m.month).padStart(2, '0')}`;
}

const NAME_RE = /^passport_entries_y(\d{4})m(\d{2})$/;

/** The month a partition name stands for, or null for any other table (the default partition). */
export function parsePartitionName(name: string): Month | null {
  const match = NAME_RE.exec(name);
  if (!match) return null;
  const month = Number(match[2]);
  return month >= 1 && month <= 12 ? { year: Number(match[1]), month } : null;
}

/** Months that must exist at `nowMs`: this one and `ahead` more, oldest first. */
export function monthsToEnsure(nowMs: number, ahead: number): Month[] {
  const current = monthOf(nowMs);
  return Array.from({ length: ahead + 1 }, (_, i) => addMonths(current, i));
}

/**
 * True when the whole month lies before the retention window: with `retentionMonths` = 13 in
 * January 2027, December 2025 and older are out (January 2026 … January 2027 stay).
 */
export function isPastRetention(m: Month, nowMs: number, retentionMonths: number): boolean {
  const oldestKept = addMonths(monthOf(nowMs), -(retentionMonths - 1));
  return monthStart(m) < monthStart(oldestKept);
}
