import type { AnalyticsRepository, SessionMetricsRow } from '../../persistence/analytics/AnalyticsRepository.js';
import type { JobContext, JobResult } from '../jobs/JobScheduler.js';
import {
  ACTIVE_WITHIN_MS,
  STARTED_WITHIN_MS,
  applyDelta,
  reaggregate,
  sessionMetrics,
  type ProfileDelta,
  type UserProfile,
} from '../../systems/session/sessionMetrics.js';

/**
 * Metrics and quality labels for every session active in the last 10 minutes and younger than 2 hours, and its
 * user's profile: a later run replaces the session's earlier contribution, never adds it again. One transaction per page.
 */
export async function aggregateSessions(repo: AnalyticsRepository, pageSize: number, ctx: Pick<JobContext, 'nowMs' | 'signal'>): Promise<JobResult> {
  const activeSince = new Date(ctx.nowMs - ACTIVE_WITHIN_MS);
  const startedSince = new Date(ctx.nowMs - STARTED_WITHIN_MS);
  const quality: Record<string, number> = {};
  let after: string | null = null;
  let total = 0;
  while (!ctx.signal.aborted) {
    const page = await repo.activeSessions(activeSince, startedSince, after, pageSize);
    if (page.length === 0) break;
    const rows: SessionMetricsRow[] = page.map((s) => ({ sessionId: s.id, userId: s.userId, ...sessionMetrics(s) }));
    const deltas = new Map<string, ProfileDelta>();
    page.forEach((s, i) => {
      const d = reaggregate(s.previous, { durationSeconds: rows[i].durationSeconds, orbsPerInteraction: rows[i].orbsPerInteraction });
      const sum = deltas.get(s.userId) ?? { seconds: 0, sessions: 0, orbSum: 0 };
      deltas.set(s.userId, { seconds: sum.seconds + d.seconds, sessions: sum.sessions + d.sessions, orbSum: sum.orbSum + d.orbSum });
      quality[rows[i].quality] = (quality[rows[i].quality] ?? 0) + 1;
    });
    await repo.sql.transaction(async (tx) => {
      const profiles = await repo.profiles(tx, [...deltas.keys()]);
      const next = new Map<string, UserProfile>();
      for (const [userId, delta] of deltas)
        next.set(userId, applyDelta(profiles.get(userId) ?? { totalSessionSeconds: 0, avgOrbExploration: 0, sessionCount: 0 }, delta));
      await repo.saveAggregation(rows, next, new Date(ctx.nowMs), tx);
    });
    total += page.length;
    after = page[page.length - 1].id;
    if (page.length < pageSize) break;
  }
  return { rows: total, details: { quality } };
}
