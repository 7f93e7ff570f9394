import { leaderboardStoreOn } from '../../persistence/leaderboard/RedisLeaderboardStore.js';
import { readKpiSeries, readEntityRollups, leaderboardRollups, sqlRollupReads } from '../../persistence/leaderboard/rollups.js';
import type { PassportWriter } from '../../features/passport/PassportWriter.js';
import { CursorProcessor } from '../../features/passport/CursorProcessor.js';
import { LeaderboardChanges, WatchedLeaderboards } from '../../features/leaderboard/LeaderboardChanges.js';
import { LeaderboardImages, startLeaderboards, type Leaderboards, type LiveCounts, BoardArtwork } from '../../features/leaderboard/boards.js';
import { audienceMatcher } from '../../features/mediaid/audienceMatch.js';
import { DnaRepository } from '../../persistence/mediaid/DnaRepository.js';
import { ReportRepository } from '../../persistence/reports/ReportRepository.js';
import { halfLifeMs } from '../../systems/mediaid/dna.js';
import { LeaderboardResetLog, sqlLeaderboardLookups, CustomLeaderboardStore } from '../../persistence/leaderboard/boardTables.js';
import { leaderboardRoutes } from '../http/leaderboardRoutes.js';
import { CUSTOM_LEADERBOARD_ROUTES, LEADERBOARD_OPS_ROUTES } from '../http/leaderboardOpsRoutes.js';
import { adminGate } from '../http/authGates.js';
import { mount } from '../http/route.js';
import { PROCESSOR_OPS_ROUTES } from '../http/processorOpsRoutes.js';
import type { FeatureParts, WireContext } from './context.js';

/**
 * Passport events → feeder → store (on the backplane) → broadcaster → the coliseum room; resets; the Postgres rollups
 * (a passport consumer) stay the durable record a Local store is rebuilt from.
 */
export async function wire(
  ctx: WireContext,
  deps: { writer: PassportWriter; liveCounts: () => Promise<LiveCounts> },
): Promise<FeatureParts & { leaderboards: Leaderboards }> {
  const { config, log, life, sql } = ctx;
  // New listeners of an artist or event add their DNA match to the bucket.
  const dna = { dims: config.dna.dims, halfLifeMs: halfLifeMs(config.dna.halfLifeDays), baseWeight: config.dna.baseWeight };
  const matcher = audienceMatcher({ dna: new DnaRepository(sql, dna.dims, dna.halfLifeMs), reports: new ReportRepository(sql), settings: dna });
  const rollups = new CursorProcessor(sql, leaderboardRollups(undefined, matcher), log.child({ component: 'rollups' }), {
    batchSize: config.leaderboard.rollupBatchSize,
  });
  life.add('rollups', () => rollups.stop());
  const changes = await new LeaderboardChanges(ctx.backplane, (err) =>
    log.warn({ err }, 'leaderboard change notice not published; boards catch up on the next refresh'),
  ).start();
  life.add('board-changes', () => changes.close());
  // The feeder writes the bucket groups spectators read at once, the other every LEADERBOARD_UNWATCHED_FLUSH_MS.
  const watched = await new WatchedLeaderboards(ctx.backplane, {
    announceMs: config.leaderboard.watchedAnnounceMs,
    now: Date.now,
    onError: (err) => log.warn({ err }, 'watched buckets not announced; other processes hear this one at its next announcement'),
  }).start();
  life.add('watched-leaderboards', () => watched.close());
  // A restore from the rollups subtracts operator resets.
  const resets = new LeaderboardResetLog(ctx.orm);
  const lookups = sqlLeaderboardLookups(sql);
  const leaderboards = await startLeaderboards({
    writer: deps.writer,
    store: leaderboardStoreOn(ctx.backplane, { unionCacheMs: config.leaderboard.unionCacheMs }),
    log,
    coliseum: config.coliseum,
    changes,
    watched,
    feeder: config.leaderboard,
    rollups: { reads: sqlRollupReads(sql), limitPerBucket: config.leaderboard.restoreMaxEntries },
    // A poll beside this catch-up would hold the cursor and make it stop early: polling starts after.
    catchUpRollups: () => rollups.catchUp(),
    resets,
    lookups,
    artwork: new BoardArtwork({
      lookups,
      log: log.child({ component: 'board-artwork' }),
      size: config.leaderboard.lookupCacheSize,
      ttlMs: config.coliseum.artworkTtlMs,
    }),
    liveCounts: deps.liveCounts,
    metrics: ctx.metrics,
  });
  // One poller is enough (each batch is applied once across processes): the others' ticks would only find it held.
  if (config.jobs.enabled) rollups.start(config.leaderboard.rollupPollMs);
  life.add('leaderboards', () => leaderboards.stop());
  const boards = new CustomLeaderboardStore(sql);
  // What the operators' board and processor routes share: the admin token, one audit log, the clock.
  const ops = { store: leaderboards.store, admin: adminGate(config.adminToken), audit: log.child({ component: 'ops-audit' }), now: Date.now };
  const routes = [
    ...leaderboardRoutes(leaderboards.store, {
      maxLimit: config.leaderboard.httpMaxLimit,
      custom: boards,
      kpiSeries: (window, nowMs) => readKpiSeries(sql, window, nowMs),
      entityRollups: (subject, entityId, period, buckets, nowMs) => readEntityRollups(sql, subject, entityId, period, buckets, nowMs),
      images: new LeaderboardImages(config.leaderboard.image),
    }),
    ...mount(LEADERBOARD_OPS_ROUTES, { ...ops, resets, onReset: (id) => changes.publish([id]) }),
    ...mount(CUSTOM_LEADERBOARD_ROUTES, { ...ops, boards }),
    ...mount(PROCESSOR_OPS_ROUTES, {
      ...ops,
      processors: [
        { name: rollups.name, title: 'Coliseum rollups (leaderboards, reports and KPI tiles)', lag: () => rollups.lag(), catchUp: (n) => rollups.catchUp(n) },
      ],
    }),
  ];
  return { leaderboards, routes };
}
