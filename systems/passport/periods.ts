/** Rollup periods, bucketed in UTC: must match the SQL bucketing (date_trunc(..., 'UTC')) in persistence/leaderboard/rollups.ts. */

export const PERIODS = ['hour', 'day', 'week', 'month', 'all'] as const;
export type Period = (typeof PERIODS)[number];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Weeks start on Monday (ISO-8601); `all` starts at the epoch. */
export function bucketStart(period: Period, atMs: number): number {
  switch (period) {
    case 'hour':
      return Math.floor(atMs / HOUR) * HOUR;
    case 'day':
      return Math.floor(atMs / DAY) * DAY;
    case 'week': {
      const day = Math.floor(atMs / DAY) * DAY;
      const weekday = (new Date(day).getUTCDay() + 6) % 7; // Monday = 0
      return day - weekday * DAY;
    }
    case 'month': {
      const d = new Date(atMs);
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    }
    case 'all':
      return 0;
  }
}
