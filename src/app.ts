import { Server, matchMaker } from '@colyseus/core';
import { Gauge } from 'prom-client';
import { createJoinPhaseTimer, processSelection, timeMatchmaking, timePresenceIpc, timeRoomJoins, type JoinPhaseTimer } from './joinPhases.js';
import type { Config } from './config/config.js';
import type { Logger } from './logger.js';
import { startDatabase, type DatabaseHandle } from './database.js';
import { installWebSocketGlobal, stopPm2Agent } from './compat.js';
import { createTransport } from './transport.js';
import { createLibraryLogger } from './libraryLogger.js';
import { buildRouter, type Route } from './http/router.js';
import { HttpEdge } from './http/edge.js';
import { healthRoutes } from './http/healthRoutes.js';
import { catalogRoutes, stationLoadLogger } from './http/catalogRoutes.js';
import { createOrm, migrate, type Orm } from '../persistence/orm.js';
import { withBootLock } from '../persistence/bootLock.js';
import { configureSql, sqlFor, type Sql } from '../persistence/db.js';
import { CatalogRepository } from '../persistence/catalog/CatalogRepository.js';
import { StationService } from '../features/catalog/StationService.js';
import { StationCache } from '../persistence/catalog/StationCache.js';
import { createBackplane, type Backplane } from '../persistence/backplane/createBackplane.js';
import { SessionRepository } from '../persistence/session/SessionRepository.js';
import { PassportWriter } from '../features/passport/PassportWriter.js';
import { createCopySink } from '../persistence/passport/copySink.js';
import { createRoomPassport } from '../features/passport/roomPassport.js';
import { ConstellationRepository } from '../persistence/constellation/ConstellationRepository.js';
import { OfflineSync } from '../features/offline/OfflineSync.js';
import { Capture } from '../features/constellation/Capture.js';
import { CursorProcessor } from '../features/passport/CursorProcessor.js';
import { coliseumRollups } from '../persistence/leaderboard/leaderboardRollups.js';
import { passportRoutes } from './http/passportRoutes.js';
import { RoomTicker } from '../rooms/RoomTicker.js';
import { PendingWork } from '../rooms/PendingWork.js';
import { createMetrics, type Metrics } from './metrics.js';
import { metricsRoutes } from './http/metricsRoutes.js';
import { adminMetricsRoutes } from './http/analyticsRoutes.js';
import { createHttpMetrics } from './http/httpMetrics.js';
import { PlatformMetrics } from '../features/analytics/platformMetrics.js';
import { PlatformMetricsRepository } from '../persistence/analytics/PlatformMetricsRepository.js';
import path from 'node:path';
import { clusterRoomCounts, createOpsMonitor, type OpsMonitor } from './ops/index.js';
import { opsRoutes } from './http/opsRoutes.js';
import type { LogTail } from './ops/logTail.js';
import { webRoutes } from './http/webRoutes.js';
import { leaderboardRoutes } from './http/leaderboardRoutes.js';
import { LeaderboardChanges } from '../features/leaderboard/LeaderboardChanges.js';
import { WatchedLeaderboards } from '../features/leaderboard/WatchedLeaderboards.js';
import { sqlLeaderboardLookups } from '../persistence/leaderboard/lookups.js';
import { sqlRollupReads } from '../persistence/leaderboard/rollupReads.js';
import { startLeaderboards } from '../features/leaderboard/startLeaderboards.js';
import { LeaderboardResetLog } from '../persistence/leaderboard/LeaderboardResetLog.js';
import { opsLeaderboardRoutes } from './http/leaderboardOpsRoutes.js';
import { createColiseumRoom, defineColiseumRoom, liveCountsOf } from '../rooms/leaderboard/ColiseumRoom.js';
import { DEFAULT_COLISEUM_LIMITS } from '../rooms/leaderboard/options.js';
import { createSessionRoom } from '../rooms/session/SessionRoom.js';
import { resolveAuthSecret } from './auth/secretFile.js';
import { AccessTokens } from '../features/auth/tokens.js';
import { DeviceAuth } from '../features/auth/DeviceAuth.js';
import { DeviceRepository } from '../persistence/auth/DeviceRepository.js';
import { authRoutes } from './http/authRoutes.js';
import { requestAuth } from './http/requireUser.js';
import { createBackground } from './wire/background.js';
import { ensureDemoTracks } from '../persistence/gravity/demoTracks.js';
import { startJournal } from './wire/journal.js';
import { createDiscovery } from './wire/discovery.js';
import { discoveryRoutes } from './http/discoveryRoutes.js';

/** Everything the wiring built, for rooms, routes and tests. */
export interface Services {
  config: Config;
  log: Logger;
  orm: Orm;
  sql: Sql;
  backplane: Backplane;
  catalog: CatalogRepository;
  stations: StationService;
  sessions: SessionRepository;
  writer: PassportWriter;
  constellations: ConstellationRepository;
  metrics: Metrics;
  tokens: AccessTokens;
}

export interface RunningApp {
  services: Services;
  port: number;
  transport: 'uws' | 'ws';
  /**
   * Stops in reverse order of start: HTTP intake first (503 + Connection: close), rooms (clients leave,
   * their session.ended events are queued), then the passport writer drains, then the rest.
   * Resolves to the components that failed to stop cleanly (empty: nothing was lost).
   */
  stop(): Promise<string[]>;
}

type Stopper = { name: string; stop: () => Promise<void> };

/**
 * The one wiring point: builds every component in dependency order, registers each one's
 * stop, and on shutdown runs those stops in reverse (rooms → writers → Redis → ORM → database).
 */
export async function startApp(config: Config, log: Logger, extras: { logTail?: LogTail } = {}): Promise<RunningApp> {
  installWebSocketGlobal();
  await stopPm2Agent();
  const started = Date.now();
  const stoppers: Stopper[] = [];
  let draining = false;
  // The writer's drain gets what is left of SHUTDOWN_TIMEOUT_MS, minus a margin for the stops after it.
  let stopDeadline = Infinity;
  const stopAll = async (): Promise<string[]> => {
    draining = true;
    stopDeadline = Date.now() + config.shutdownTimeoutMs - 500;
    const failed: string[] = [];
    for (const { name, stop } of stoppers.reverse()) {
      try {
        await stop();
      } catch (err) {
        failed.push(name);
        log.error({ err, component: name }, 'error while stopping');
      }
    }
    stoppers.length = 0;
    return failed;
  };
  try {
    // Identity first: a bad key file stops the boot before anything starts.
    const tokens = new AccessTokens(resolveAuthSecret(config.auth, log), config.auth.accessTtlSec);
    const db: DatabaseHandle = await startDatabase(config, log);
    stoppers.push({ name: 'database', stop: () => db.stop() });

    const orm = await createOrm({ url: db.url });
    stoppers.push({ name: 'orm', stop: () => orm.close() });
    configureSql(orm, {
      maxPrepared: config.dbPreparedStatements,
      onInlined: (statement, err) => log.warn({ err: (err as Error).message, statement: statement.slice(0, 200) }, 'statement runs inlined: Postgres could not type one of its parameters as a prepared statement (add a cast)'),
    });
    const sql = sqlFor(orm);
    const catalog = new CatalogRepository(orm);
    // Schema and seed data once, whatever the number of processes booting at the same time.
    await withBootLock(db.url, async () => {
      const applied = await migrate(orm);
      if (applied.length) log.info({ applied }, 'migrations applied');
      const seeded = await catalog.ensureDemoCatalog();
      if (seeded.loaded) log.info(seeded, 'demo catalog loaded');
      const tracks = await ensureDemoTracks(sql);
      if (tracks) log.info({ tracks }, 'demo tracks loaded');
    });

    // Local or Redis, decided here once: everything shared between processes is built from it.
    const backplane = createBackplane({ redisUrl: config.redisUrl, prefix: config.redisPrefix, onRedisError: (err) => log.warn({ err: err.message }, 'redis error') });
    stoppers.push({ name: 'backplane', stop: () => backplane.close() });

    const cache = await new StationCache(backplane, {
      ttlMs: config.stationCacheTtlSec * 1000,
      maxEntries: config.stationCacheMaxEntries,
      onError: (err) => log.warn({ err }, 'station cache invalidation not published; other processes keep their snapshots until the TTL'),
      now: Date.now,
    }).start();
    stoppers.push({ name: 'station-cache', stop: () => cache.close() });
    const stations = new StationService(catalog, cache, { maxEntries: config.stationCacheMaxEntries, ttlMs: config.stationCacheTtlSec * 1000 });

    // The passport writer has its own connections: binary COPY (small batches: one JSON statement), PASSPORT_FLUSH_CONCURRENCY batches in flight.
    const sink = createCopySink({ url: db.url, log, concurrency: config.passport.flushConcurrency, copyMinEvents: config.passport.copyMinEvents });
    stoppers.push({ name: 'passport-sink', stop: () => sink.close() });
    const rollups = new CursorProcessor(sql, coliseumRollups(), log.child({ component: 'rollups' }));
    rollups.start(1000);
    stoppers.push({ name: 'rollups', stop: () => rollups.stop() });
    const writer = new PassportWriter(sink, { ...config.passport }, log.child({ component: 'passport' }));
    stoppers.push({
      name: 'passport-writer',
      stop: async () => {
        await writer.drain(Math.max(100, stopDeadline - Date.now())).finally(() => writer.stop());
      },
    });

    const metrics = createMetrics();
    metrics.registerPassport(() => writer.stats());
    stoppers.push({ name: 'metrics', stop: async () => metrics.close() });
    const sessions = new SessionRepository(orm);
    const constellations = new ConstellationRepository(sql);
    // Offline captures land where a live capture would: the same catalog-aware placement.
    // One capture use case for live captures (session rooms) and offline replays.
    // The journal cache (issue 13) is dropped by every capture, live or offline, here and (Redis) in other processes.
    const journal = await startJournal({ config, log, orm, backplane, catalog, constellations });
    stoppers.push({ name: 'journal', stop: () => journal.stop() });
    // A capture's placement reads the orbs pointing at the artist from the stations' in-process cache.
    const captureCatalog = { genresOf: (ids: string[]) => catalog.genresOf(ids), relationshipsTo: (target: string, sources: string[]) => stations.relationshipsTo(target, sources) };
    const capture = new Capture({ catalog: captureCatalog, constellations, onCaptured: journal.invalidate });
    const offlineSync = new OfflineSync({ sql, writer, constellations, catalog, capture, log: log.child({ component: 'offline-sync' }) });
    // Realtime leaderboards: fed by every accepted passport event; Postgres rollups stay the durable record.
    const leaderboardStore = backplane.leaderboardStore();
    // Every process's flushes move every process's coliseum boards.
    const boardChanges = await new LeaderboardChanges(backplane, (err) => log.warn({ err }, 'leaderboard change notice not published; boards catch up on the next refresh')).start();
    stoppers.push({ name: 'board-changes', stop: () => boardChanges.close() });
    // What every process's spectators watch: the feeder writes those buckets at once, the rest every LEADERBOARD_UNWATCHED_FLUSH_MS.
    const watched = await new WatchedLeaderboards(backplane, {
      announceMs: 5000,
      now: Date.now,
      onError: (err) => log.warn({ err }, 'watched leaderboards not announced; other processes hear this one at its next announcement (within 5 s)'),
    }).start();
    stoppers.push({ name: 'watched-leaderboards', stop: () => watched.close() });
    // KPI live counts: this process's rooms in memory plus the other processes' ops heartbeats (ops is built below).
    const late: { ops?: OpsMonitor } = {};
    const liveCounts = async () => liveCountsOf(late.ops ? await clusterRoomCounts(late.ops, metrics.liveRooms) : metrics.liveRooms());
    // Operator resets (/ops) are recorded here; a restore from the rollups subtracts them.
    const leaderboardResets = new LeaderboardResetLog(orm);
    const leaderboards = await startLeaderboards({
      writer,
      store: leaderboardStore,
      log,
      throttleMs: config.coliseumThrottleMs,
      coalesceMs: config.coliseumCoalesceMs,
      refreshMs: config.coliseumRefreshMs,
      previousRefreshMs: config.coliseumPreviousRefreshMs,
      changes: boardChanges,
      watched,
      feeder: { flushIntervalMs: config.leaderboardFlushMs, unwatchedFlushMs: config.leaderboardUnwatchedFlushMs },
      rollups: sqlRollupReads(sql),
      resets: leaderboardResets,
      lookups: sqlLeaderboardLookups(sql),
      liveCounts,
      metrics,
    });
    stoppers.push({ name: 'leaderboards', stop: () => leaderboards.stop() });
    // Search and recommendations (issue 13): recomputations after captures run off the rooms' tick.
    const discovery = createDiscovery({ config, log, sql, orm, store: leaderboards.store });
    stoppers.push({ name: 'recommendation-queue', stop: () => discovery.queue.stop(2000) });

    const services: Services = { config, log, orm, sql, backplane, catalog, stations, sessions, writer, constellations, metrics, tokens };
    const deviceAuth = new DeviceAuth(new DeviceRepository(orm), tokens, log.child({ component: 'auth' }), { refreshTtlDays: config.auth.refreshTtlDays });

    const auth = requestAuth(tokens, config.adminToken);
    // Scheduled jobs, the gravity layer and the asset pipeline (issue 14): built here, started after listen.
    const background = createBackground({ config, log, orm, sql, databaseUrl: db.url, backplane, stations, cache, auth });
    const edge = new HttpEdge(config.http, log.child({ component: 'http' }), background.rawBodyRoutes);
    const { transport, kind, serveHttp } = await createTransport(config, log, edge);
    const routes: Route[] = [...healthRoutes({ sql, backplane, transport: kind, startedAt: started }), ...catalogRoutes(stations, config.adminToken, stationLoadLogger(writer, log, auth)), ...authRoutes(deviceAuth), ...passportRoutes(writer, { auth, ackTimeoutMs: config.passport.ackTimeoutMs, artistOfTrack: (id) => background.gravity.artistOf(id) }), ...metricsRoutes(metrics, config.adminToken), ...leaderboardRoutes(leaderboards.store), ...background.routes, ...journal.routes(auth), ...discoveryRoutes({ search: discovery.search, recommendations: discovery.recommendations, auth, maxSearchLimit: config.discovery.search.maxLimit })];
    const ops = createOpsMonitor({ sql, backplane, transport: kind, startedAt: started, publicAddress: config.publicAddress, log: log.child({ component: 'ops' }), passportStats: () => writer.stats(), metricsRegistry: metrics.registry, localRooms: () => metrics.liveRooms(), historyHours: config.opsHistoryHours });
    // Platform KPIs (issue 15): session aggregates + rollups + the API's own latency histogram.
    const httpMetrics = createHttpMetrics(metrics.registry);
    const platformMetrics = new PlatformMetrics({ repo: new PlatformMetricsRepository(sql), api: httpMetrics, ...config.adminMetrics });
    routes.push(
      ...adminMetricsRoutes(platformMetrics, config.adminToken),
      ...opsRoutes(ops, config.adminToken, log.child({ component: 'ops-audit' }), extras.logTail, ops.longHistory),
      ...opsLeaderboardRoutes({ store: leaderboards.store, resets: leaderboardResets, adminToken: config.adminToken, audit: log.child({ component: 'ops-audit' }), onReset: (id) => boardChanges.publish([id]) }),
      // The bundle is built before start (npm start, Dockerfile, test harness); without it pages answer 503.
      ...webRoutes(path.resolve(import.meta.dirname, '../web/dist')),
    );
    // Where a join's time goes (matchmaking, presence round trips, the room hooks): ds_join_phase_seconds.
    const joinPhases = createJoinPhaseTimer(metrics.registry);
    timeMatchmaking(joinPhases);
    const server = new Server({
      transport,
      gracefullyShutdown: false,
      greet: false,
      publicAddress: config.publicAddress,
      logger: createLibraryLogger(log, 'colyseus'),
      ...(await scaleOutOptions(config, backplane, joinPhases)),
    });
    server.router = buildRouter(routes, log, { draining: () => draining, observe: httpMetrics.observe }) as never;
    // One timer for every session room; stopped after Colyseus has disposed the rooms (stoppers run reversed).
    const sessionTicker = new RoomTicker({
      hz: config.simHz,
      phases: config.tickPhases,
      observeStep: (ms) => metrics.roomTick('session', ms),
      onError: (err, room) => log.error({ err, roomId: (room as { roomId?: string }).roomId }, 'session room step failed; the other rooms keep running'),
    });
    stoppers.push({ name: 'session-ticker', stop: async () => sessionTicker.stop() });
    new Gauge({ name: 'ds_rooms_stepped', help: 'Session rooms the shared ticker steps now: a session with nothing moving is not stepped', registers: [metrics.registry], collect() { this.set(sessionTicker.size); } });
    const sessionEndings = new PendingWork();
    server.define(
      'session',
      timeRoomJoins(metrics.instrument('session', createSessionRoom({
        log,
        stations,
        catalog,
        sessions,
        auth: tokens,
        passport: createRoomPassport(writer),
        constellations,
        offlineSync,
        capture,
        journal: journal.service,
        // Seed 14.4 / 15.4: "new recommendations" in the resume welcome and the offline reply.
        recommendations: discovery.recommendations,
        settings: { simHz: config.simHz, patchHz: config.patchHz, reconnectWindowSec: config.reconnectWindowSec, messageRatePerSec: config.clientMessageRatePerSec, disconnectRatePerSec: config.clientDisconnectRatePerSec, noticeIntervalMs: config.clientNoticeIntervalMs, maxCapturesInFlight: config.session.maxCapturesInFlight, maxVisitedPath: config.session.maxVisitedPath, countersSaveMs: config.session.countersSaveMs, patchOnInput: config.patchOnInput, jsonBaseline: config.patchBaseline === 'json', maxSearchLimit: config.discovery.search.maxLimit },
        discovery: discovery.port,
        observeBaselineBytes: (bytes) => metrics.baselineJsonBytes('session', bytes),
        ticker: sessionTicker,
        pendingWork: sessionEndings,
        now: Date.now,
      })), joinPhases),
    );
    const coliseumSettings = {
      ...DEFAULT_COLISEUM_LIMITS,
      maxClientsPerRoom: config.coliseumMaxClientsPerRoom,
      namespace: config.redisPrefix,
      messageRatePerSec: config.clientMessageRatePerSec,
      disconnectRatePerSec: config.clientDisconnectRatePerSec,
      noticeIntervalMs: config.clientNoticeIntervalMs,
    };
    defineColiseumRoom(metrics.instrument('coliseum', createColiseumRoom({ log, broadcaster: leaderboards.broadcaster, settings: coliseumSettings })), { settings: coliseumSettings });
    await server.listen(config.port, config.host);
    serveHttp(server.router as never);
    stoppers.push({
      name: 'colyseus',
      stop: async () => {
        await server.gracefullyShutdown(false);
        // Rooms disposed with a client inside its reconnection window end that session after disposal.
        const unfinished = await sessionEndings.settled(Math.max(100, stopDeadline - Date.now() - 1000));
        if (unfinished > 0) throw new Error(`${unfinished} session endings did not finish before the shutdown deadline`);
      },
    });
    ops.start();
    late.ops = ops;
    // Stops before Redis closes and removes this process's heartbeat row.
    stoppers.push({ name: 'ops', stop: () => ops.stop() });
    background.scheduler.start();
    // Stops first: running jobs are aborted and awaited (bounded) while the database is still there.
    stoppers.push({ name: 'jobs', stop: () => background.scheduler.stop() });

    log.info({ port: config.port, transport: kind, ms: Date.now() - started }, 'DeepStream Realtime listening');
    return { services, port: config.port, transport: kind, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** With REDIS_URL, presence and matchmaking live in Redis so several processes share rooms. */
async function scaleOutOptions(config: Config, backplane: Backplane, joinPhases: JoinPhaseTimer) {
  if (backplane.kind === 'local' || !config.redisUrl) return {};
  const { RedisPresence } = await import('@colyseus/redis-presence');
  const { RedisDriver } = await import('@colyseus/redis-driver');
  return {
    presence: timePresenceIpc(new RedisPresence(config.redisUrl), joinPhases),
    driver: new RedisDriver(config.redisUrl),
    selectProcessIdToCreateRoom: processSelection(config.roomPlacement, joinPhases),
  };
}

export { matchMaker };
