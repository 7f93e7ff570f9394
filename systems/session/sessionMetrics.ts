/**
 * Seed 000 step 9 formulas (analytics every 5 minutes), pure: session metrics and quality labels
 * (9.2.a–b), the user profile's running average (9.2.d), popularity (9.4) and the low-engagement rule
 * of bottleneck detection (9.3). The jobs in features/analytics read and write around them.
 */

/** Step 9.1: a session is aggregated while active within this window… */
export const ACTIVE_WITHIN_MS = 10 * 60_000;
/** …and younger than this. */
export const STARTED_WITHIN_MS = 2 * 3_600_000;

export type SessionQuality = 'high_curiosity' | 'medium_curiosity' | 'low_curiosity';
export type ImmersionLevel = 'high' | 'medium' | 'low';

/** The counters a session row holds (persistence/session). */
export interface SessionTotals {
  startedAtMs: number;
  lastActiveMs: number;
  interactions: number;
  orbsExplored: number;
  sensorEngagements: number;
}

/** Step 9.2.a/b output for one session. */
export interface SessionMetrics {
  durationSeconds: number;
  interactionsPerMinute: number;
  orbsPerInteraction: number;
  /** Sensor engagements per second of session (seed: count / duration). */
  sensorEngagementRate: number;
  quality: SessionQuality;
  immersion: ImmersionLevel;
}

/** 9.2.b: orbs per interaction above 0.3 is high curiosity, above 0.1 medium, else low. */
export function sessionQuality(orbsPerInteraction: number): SessionQuality {
  if (orbsPerInteraction > 0.3) return 'high_curiosity';
  if (orbsPerInteraction > 0.1) return 'medium_curiosity';
  return 'low_curiosity';
}

/** 9.2.b: more than 5 sensor engagements is high immersion, any is medium, none low. */
export function immersionLevel(sensorEngagements: number): ImmersionLevel {
  if (sensorEngagements > 5) return 'high';
  if (sensorEngagements > 0) return 'medium';
  return 'low';
}

/** Division the seed leaves undefined at 0 (a session of no length, no interactions): 0. */
const ratio = (a: number, b: number): number => (b > 0 ? a / b : 0);

/**
 * 9.2.a: duration = last_active − session_start; interactions per minute; orbs per interaction;
 * sensor engagements per second; then the 9.2.b labels.
 */
export function sessionMetrics(s: SessionTotals): SessionMetrics {
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

/** The profile columns 9.2.d maintains on `users`. */
export interface UserProfile {
  totalSessionSeconds: number;
  avgOrbExploration: number;
  sessionCount: number;
}

/**
 * 9.2.d: total time += duration; avg = (avg · count + orbs_per_interaction) / (count + 1); count += 1.
 * The seed applies this to every active session every 5 minutes, which counts a 2-hour session 24 times;
 * {@link reaggregate} applies it once per session and replaces a session's earlier contribution instead.
 */
export function profileAfter(profile: UserProfile, durationSeconds: number, orbsPerInteraction: number): UserProfile {
  return {
    totalSessionSeconds: profile.totalSessionSeconds + durationSeconds,
    avgOrbExploration: (profile.avgOrbExploration * profile.sessionCount + orbsPerInteraction) / (profile.sessionCount + 1),
    sessionCount: profile.sessionCount + 1,
  };
}

/** What a session contributed to its user's profile at its previous aggregation (null: never aggregated). */
export interface Contribution {
  durationSeconds: number;
  orbsPerInteraction: number;
}

/** The profile change one session causes now: the seed's update once, a correction on later runs. */
export interface ProfileDelta {
  seconds: number;
  sessions: number;
  /** Change of the sum avg · count (divide by the new count to get the new average). */
  orbSum: number;
}

/** Delta for one session given what it contributed before (see {@link profileAfter}). */
export function reaggregate(previous: Contribution | null, next: Contribution): ProfileDelta {
  if (!previous) return { seconds: next.durationSeconds, sessions: 1, orbSum: next.orbsPerInteraction };
  return { seconds: next.durationSeconds - previous.durationSeconds, sessions: 0, orbSum: next.orbsPerInteraction - previous.orbsPerInteraction };
}

/** A profile with summed deltas applied (equals {@link profileAfter} for a first aggregation). */
export function applyDelta(profile: UserProfile, delta: ProfileDelta): UserProfile {
  const sessionCount = profile.sessionCount + delta.sessions;
  const sum = profile.avgOrbExploration * profile.sessionCount + delta.orbSum;
  return { totalSessionSeconds: profile.totalSessionSeconds + delta.seconds, avgOrbExploration: sessionCount > 0 ? sum / sessionCount : 0, sessionCount };
}

/** Step 9.4 weights. */
export const POPULARITY_WEIGHTS = Object.freeze({ visits: 0.4, orbTaps: 0.3, captures: 0.3 });

/** 9.4: popularity = visits_7d · 0.4 + orb_taps_7d · 0.3 + captures_7d · 0.3. */
export function popularityScore(visits7d: number, orbTaps7d: number, captures7d: number): number {
  return visits7d * POPULARITY_WEIGHTS.visits + orbTaps7d * POPULARITY_WEIGHTS.orbTaps + captures7d * POPULARITY_WEIGHTS.captures;
}

/** 9.3 bottleneck: a station is flagged when its visitors tap fewer than this many orbs there on average. */
export const LOW_ENGAGEMENT_ORB_TAPS = 0.5;
/** …and it had at least this many unique visitors (a handful of visits says nothing). */
export const LOW_ENGAGEMENT_MIN_VISITORS = 5;

/** 9.3: orb taps per unique visitor below 0.5 with enough visitors is low engagement. */
export function isLowEngagement(uniqueVisitors: number, orbTaps: number): boolean {
  return uniqueVisitors >= LOW_ENGAGEMENT_MIN_VISITORS && orbTaps / uniqueVisitors < LOW_ENGAGEMENT_ORB_TAPS;
}
