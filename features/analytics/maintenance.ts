import type { MaintenanceRepository } from '../../persistence/analytics/MaintenanceRepository.js';
import type { GravityRepository } from '../../persistence/gravity/GravityRepository.js';
import type { JobLogRepository } from '../../persistence/jobs/JobLogRepository.js';
import type { JobContext, JobResult } from '../jobs/JobScheduler.js';
import { popularityScore } from '../../systems/session/sessionMetrics.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** popularity = visits_7d · 0.4 + orb_taps_7d · 0.3 + captures_7d · 0.3, for artists not updated in the last hour. */
export async function updatePopularity(repo: MaintenanceRepository, pageSize: number, ctx: Pick<JobContext, 'nowMs' | 'signal'>): Promise<JobResult> {
  const staleBefore = new Date(ctx.nowMs - HOUR_MS);
  const since = new Date(ctx.nowMs - 6 * DAY_MS); // today's bucket and the 6 before: 7 days
  let after: string | null = null;
  let total = 0;
  while (!ctx.signal.aborted) {
    const ids = await repo.artistsDue(staleBefore, after, pageSize);
    if (ids.length === 0) break;
    const inputs = await repo.popularityInputs(ids, since);
    const scores = inputs.map((i) => ({ artistId: i.artistId, score: popularityScore(i.visits, i.orbTaps, i.captures) }));
    await repo.savePopularity(scores, new Date(ctx.nowMs));
    total += ids.length;
    after = ids[ids.length - 1];
    if (ids.length < pageSize) break;
  }
  return { rows: total };
}

export interface CleanupDeps {
  maintenance: MaintenanceRepository;
  gravity: GravityRepository;
  jobLogs: JobLogRepository;
  /** Drops expired station snapshots (and stale shared index entries). */
  purgeStationCache(): Promise<number>;
  staleSessionHours: number;
  jobLogRetentionDays: number;
  minEdgeWeight: number;
  dnaHistoryRetentionDays: number;
}

/** An event may be dated up to 90 days back and a month bucket spans 31, so after 123 days none can land in a closed bucket. */
export const ROLLUP_MEMBER_DAYS = 123;

/**
 * Sessions are never anonymous here, so stale ones are closed at their last activity rather than deleted; expired and
 * settled rows of every other table go. Passport archiving is the `passport_partitions` job.
 */
export async function cleanup(deps: CleanupDeps, ctx: Pick<JobContext, 'nowMs'>): Promise<JobResult> {
  const now = ctx.nowMs;
  const details = {
    staleSessionsClosed: await deps.maintenance.closeStaleSessions(new Date(now - deps.staleSessionHours * HOUR_MS)),
    refreshTokensDeleted: await deps.maintenance.deleteExpiredRefreshTokens(new Date(now - DAY_MS)),
    weakEdgesDeleted: await deps.gravity.pruneWeakEdges(now, deps.minEdgeWeight),
    gravitySessionsForgotten: await deps.gravity.forgetIdleSessions(new Date(now - DAY_MS)),
    jobLogsDeleted: await deps.jobLogs.prune(new Date(now - deps.jobLogRetentionDays * DAY_MS)),
    cacheEntriesPurged: await deps.purgeStationCache(),
    dnaSnapshotsDeleted: await deps.maintenance.deleteOldDnaSnapshots(new Date(now - deps.dnaHistoryRetentionDays * DAY_MS)),
    heldVotesDeleted: await deps.maintenance.deleteSettledHeldVotes(new Date(now - DAY_MS)),
    // Yesterday's visitors still decide today's repeat opens near midnight; older ones decide nothing.
    linkVisitorsDeleted: await deps.maintenance.deleteOldLinkVisitors(new Date(now - DAY_MS).toISOString().slice(0, 10)),
    rollupMembersDeleted: await deps.maintenance.deleteClosedRollupMembers(new Date(now - ROLLUP_MEMBER_DAYS * DAY_MS)),
  };
  return { rows: Object.values(details).reduce((a, b) => a + b, 0), details };
}
