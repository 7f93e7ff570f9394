/** Session analytics formulas: metrics and quality labels, the profile's running average, popularity, low engagement. */

/** Aggregated while active within this window… */
export const ACTIVE_WITHIN_MS = 10 * 60_000;
/** …and younger than this. */
export const STARTED_WITHIN_MS = 2 * 3_600_000;

interface SessionTotals {
  startedAtMs: number;
  lastActiveMs: number;
  interactions: number;
  orbsExplored: number;
  sensorEngagements: number;
}

/** `sensorEngagementRate` is per second of session. */
export type SessionMetrics = ReturnType<typeof sessionMetrics>;

/** Orbs per interaction above 0.3 high, above 0.1 medium, else low. */
export function sessionQuality(orbsPerInteraction: number) {
  if (orbsPerInteraction > 0.3) return 'high_curiosity';
  if (orbsPerInteraction > 0.1) return 'medium_curiosity';
  return 'low_curiosity';
}

/** More than 5 sensor engagements high, any medium, none low. */
export function immersionLevel(sensorEngagements: number) {
  if (sensorEngagements > 5) return 'high';
  if (sensorEngagements > 0) return 'medium';
  return 'low';
}

/** 0 for a session of no length or no interactions. */
const ratio = (a: number, b: number): number => (b > 0 ? a / b : 0);

/** Duration, interactions per minute, orbs per interaction, sensor engagements per second, and the labels. */
export function sessionMetrics(s: SessionTotals) {
  const durationSeconds = Math.max(0, (s.lastActiveMs - s.startedAtMs) / 1000);
  const orbsPerInteraction = ratio(s.orbsExplored, s.interactions);
  return {
    durationSeconds,
    interactionsPerMinute: ratio(s.interactions, durationSeconds / 60),
    orbsPerInteraction,
    sensorEngagementRate: ratio(s.sensorEngagements, durationSeconds),
    quality: sessionQuality(orbsPerInteraction),
    immersion: immersionLevel(s.sensorEngagements),
  };
}

export interface UserProfile {
  totalSessionSeconds: number;
  avgOrbExploration: number;
  sessionCount: number;
}

/** At its previous aggregation (null: never aggregated). */
export interface Contribution {
  durationSeconds: number;
  orbsPerInteraction: number;
}

/**
 * The update once (avg = (avg · count + orbs_per_interaction) / (count + 1)), a correction on later runs: the job runs
 * every 5 minutes, and adding again would count a 2-hour session 24 times.
 */
export interface ProfileDelta {
  seconds: number;
  sessions: number;
  /** Change of avg · count (divide by the new count for the average). */
  orbSum: number;
}

export function reaggregate(previous: Contribution | null, next: Contribution): ProfileDelta {
  if (!previous) return { seconds: next.durationSeconds, sessions: 1, orbSum: next.orbsPerInteraction };
  return { seconds: next.durationSeconds - previous.durationSeconds, sessions: 0, orbSum: next.orbsPerInteraction - previous.orbsPerInteraction };
}

export function applyDelta(profile: UserProfile, delta: ProfileDelta): UserProfile {
  const sessionCount = profile.sessionCount + delta.sessions;
  const sum = profile.avgOrbExploration * profile.sessionCount + delta.orbSum;
  return { totalSessionSeconds: profile.totalSessionSeconds + delta.seconds, avgOrbExploration: sessionCount > 0 ? sum / sessionCount : 0, sessionCount };
}

export const POPULARITY_WEIGHTS = Object.freeze({ visits: 0.4, orbTaps: 0.3, captures: 0.3 });

/** visits_7d · 0.4 + orb_taps_7d · 0.3 + captures_7d · 0.3. */
export function popularityScore(visits7d: number, orbTaps7d: number, captures7d: number): number {
  return visits7d * POPULARITY_WEIGHTS.visits + orbTaps7d * POPULARITY_WEIGHTS.orbTaps + captures7d * POPULARITY_WEIGHTS.captures;
}

/** Orb taps per visitor below this flags a station… */
export const LOW_ENGAGEMENT_ORB_TAPS = 0.5;
/** …with at least this many unique visitors (a handful says nothing). */
export const LOW_ENGAGEMENT_MIN_VISITORS = 5;

export function isLowEngagement(uniqueVisitors: number, orbTaps: number): boolean {
  return uniqueVisitors >= LOW_ENGAGEMENT_MIN_VISITORS && orbTaps / uniqueVisitors < LOW_ENGAGEMENT_ORB_TAPS;
}
