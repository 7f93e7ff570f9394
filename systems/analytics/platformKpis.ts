/** Platform KPIs of the admin dashboard, against the product's goals and the industry benchmark. */
import { z } from 'zod';
import { AppError } from '../errors.js';
import { round } from '../numbers.js';

export const ORBS_PER_SESSION_GOAL = 3.0;
export const SENSOR_ENGAGEMENT_GOAL_PERCENT = 60.0;
/** Spotify's average session, seconds. */
export const BENCHMARK_SESSION_SECONDS = 25 * 60;
/** At or above goal × this is "Exceeding goal" (67.8 vs 60), below it "Meeting" (3.2 vs 3.0). */
export const EXCEEDING_FACTOR = 1.1;

export const ORB_BRACKETS = ['0 orbs', '1-2 orbs', '3-5 orbs', '6+ orbs'] as const;
export type OrbBracket = (typeof ORB_BRACKETS)[number];

export const dailyRowSchema = z.object({
  date: z.string(),
  dau: z.number(),
  sessions: z.number(),
  avg_orbs: z.number().nullable(),
  sensor_rate: z.number().nullable(),
});
export type DailyRow = z.infer<typeof dailyRowSchema>;

export function goalStatus(value: number | null, goal: number): 'Exceeding goal' | 'Meeting goal' | 'Below goal' | 'No data' {
  if (value === null || !Number.isFinite(value)) return 'No data';
  if (value >= goal * EXCEEDING_FACTOR) return 'Exceeding goal';
  if (value >= goal) return 'Meeting goal';
  return 'Below goal';
}

/** null when `whole` is 0. */
export function percent(part: number, whole: number): number | null {
  return whole > 0 ? (part / whole) * 100 : null;
}

/** (ours − benchmark) / benchmark × 100: 28.4 min → +13.6 %. */
export function sessionLengthLiftPercent(avgSessionSeconds: number | null, benchmarkSeconds = BENCHMARK_SESSION_SECONDS): number | null {
  if (avgSessionSeconds === null || !Number.isFinite(avgSessionSeconds)) return null;
  return ((avgSessionSeconds - benchmarkSeconds) / benchmarkSeconds) * 100;
}

export function signedPercent(value: number | null): string | null {
  if (value === null) return null;
  const r = round(value, 1);
  return `${r >= 0 ? '+' : ''}${r.toFixed(1)}%`;
}

export function captureRate(totalCaptures: number, totalSessions: number): number | null {
  return totalSessions > 0 ? totalCaptures / totalSessions : null;
}

export interface SessionAggregate {
  sessions: number;
  users: number;
  newUsers: number;
  dailyActiveUsers: number;
  avgDurationSeconds: number | null;
  avgOrbsPerSession: number | null;
  sessionsWithSensor: number;
  brackets: Partial<Record<OrbBracket, number>>;
  /** Stars captured in the range, live or offline-synced. */
  captures: number;
  capturingUsers: number;
}

/** Sensor engagement is per session (per user it could exceed 100 %). */
export function platformKpis(a: SessionAggregate) {
  const distribution = Object.fromEntries(ORB_BRACKETS.map((b) => [b, a.brackets[b] ?? 0])) as Record<OrbBracket, number>;
  const sensorPct = percent(a.sessionsWithSensor, a.sessions);
  const avgMinutes = a.avgDurationSeconds === null ? null : a.avgDurationSeconds / 60;
  const rate = captureRate(a.captures, a.sessions);
  return {
    user_metrics: {
      total_users: a.users,
      new_users: a.newUsers,
      daily_active_users: a.dailyActiveUsers,
      total_sessions: a.sessions,
      avg_session_duration_minutes: avgMinutes === null ? null : round(avgMinutes, 1),
      session_duration_lift_vs_benchmark: signedPercent(sessionLengthLiftPercent(a.avgDurationSeconds)),
      benchmark_minutes: BENCHMARK_SESSION_SECONDS / 60,
    },
    engagement_kpis: {
      interaction_depth: {
        avg_orbs_per_session: a.avgOrbsPerSession === null ? null : round(a.avgOrbsPerSession, 1),
        goal: ORBS_PER_SESSION_GOAL,
        status: goalStatus(a.avgOrbsPerSession, ORBS_PER_SESSION_GOAL),
        distribution,
      },
      sensor_engagement: {
        percentage: sensorPct === null ? null : round(sensorPct, 1),
        goal: SENSOR_ENGAGEMENT_GOAL_PERCENT,
        status: goalStatus(sensorPct, SENSOR_ENGAGEMENT_GOAL_PERCENT),
      },
      constellation_growth: {
        capture_rate: rate === null ? null : round(rate, 2),
        avg_captures_per_user: a.capturingUsers > 0 ? round(a.captures / a.capturingUsers, 1) : null,
        total_captures: a.captures,
      },
    },
  };
}

/** Cumulative counts per upper bound (`le`, +Inf last), as Prometheus keeps them. */
export interface CumulativeBuckets {
  bounds: number[];
  counts: number[];
}

/** Interpolated inside the bucket as histogram_quantile() does, else its upper bound; in +Inf, the highest finite bound. */
export function histogramQuantile(q: number, h: CumulativeBuckets, interpolate = true): number | null {
  const total = h.counts[h.counts.length - 1] ?? 0;
  if (total <= 0) return null;
  const rank = q * total;
  for (let i = 0; i < h.counts.length; i++) {
    if (h.counts[i] >= rank) {
      const upper = h.bounds[i];
      if (!Number.isFinite(upper)) return i > 0 ? h.bounds[i - 1] : null;
      if (!interpolate) return upper;
      const lower = i > 0 ? h.bounds[i - 1] : 0;
      const below = i > 0 ? h.counts[i - 1] : 0;
      const inBucket = h.counts[i] - below;
      return inBucket > 0 ? lower + ((upper - lower) * (rank - below)) / inBucket : upper;
    }
  }
  return h.bounds[h.bounds.length - 2] ?? null;
}

export const ERROR_RATE_ALERT = 0.01;
export function errorRate(serverErrors: number, requests: number): number | null {
  return requests > 0 ? serverErrors / requests : null;
}

/** 1–90 days (`7d`) or 1–72 hours (`24h`). */
const RANGE_RE = /^(\d{1,3})([dh])$/;

/** Default 7d; a bad value is a 400 naming the accepted forms. */
export function parseMetricsRange(raw: string | null) {
  const value = raw ?? '7d';
  const m = RANGE_RE.exec(value);
  const n = m ? Number(m[1]) : NaN;
  const ok = m !== null && n >= 1 && (m[2] === 'd' ? n <= 90 : n <= 72);
  if (!ok)
    throw new AppError('VALIDATION_FAILED', 'range must be 1d–90d or 1h–72h, e.g. ?range=7d', [
      { field: 'range', message: `"${value.slice(0, 20)}" is not a range like 7d or 24h` },
    ]);
  const ms = n * (m![2] === 'd' ? 86_400_000 : 3_600_000);
  return { label: m![2] === 'd' ? `${n} day${n === 1 ? '' : 's'}` : `${n} hour${n === 1 ? '' : 's'}`, ms };
}

/** "3:42" (minutes unbounded), null when unknown. */
export function minutesSeconds(seconds: number | null): string | null {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return null;
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}
