/** Monthly partitions of `passport_entries` by `received_at` (UTC): which must exist ahead, which left retention, their names. */

/** A calendar month, UTC. */
export interface Month {
  year: number;
  /** 1..12 */
  month: number;
}

export function monthOf(ms: number): Month {
  const d = new Date(ms);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1 };
}

export function addMonths(m: Month, delta: number): Month {
  const index = m.year * 12 + (m.month - 1) + delta;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}

export function monthStart(m: Month): number {
  return Date.UTC(m.year, m.month - 1, 1);
}

/** `passport_entries_y2026m01`. */
export function partitionName(m: Month): string {
  return `passport_entries_y${m.year}m${String(m.month).padStart(2, '0')}`;
}

const NAME_RE = /^passport_entries_y(\d{4})m(\d{2})$/;

/** null for any other table (the default partition). */
export function parsePartitionName(name: string): Month | null {
  const match = NAME_RE.exec(name);
  if (!match) return null;
  const month = Number(match[2]);
  return month >= 1 && month <= 12 ? { year: Number(match[1]), month } : null;
}

/** This month and `ahead` more, oldest first. */
export function monthsToEnsure(nowMs: number, ahead: number): Month[] {
  const current = monthOf(nowMs);
  return Array.from({ length: ahead + 1 }, (_, i) => addMonths(current, i));
}

/** With 13 months in January 2027, December 2025 and older are out. */
export function isPastRetention(m: Month, nowMs: number, retentionMonths: number): boolean {
  const oldestKept = addMonths(monthOf(nowMs), -(retentionMonths - 1));
  return monthStart(m) < monthStart(oldestKept);
}
