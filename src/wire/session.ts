import { isDatabaseUnavailable } from '../../persistence/dbErrors.js';
import { Histogram } from 'prom-client';
import { matchMaker, type Server } from '@colyseus/core';
import { SessionRepository } from '../../persistence/session/SessionRepository.js';
import { counterSaveBatch, type CounterSaveBatch } from '../../persistence/session/counterSaveBatch.js';
import { registerScraped, registerStatementBatchMetrics } from '../metrics.js';
import type { CatalogRepository } from '../../persistence/catalog/CatalogRepository.js';
import type { ConstellationRepository } from '../../persistence/constellation/ConstellationRepository.js';
import type { StationService } from '../../features/catalog/StationService.js';
import type { Capture } from '../../features/constellation/Capture.js';
import type { JournalService } from '../../features/journal/Journal.js';
import type { PassportWriter } from '../../features/passport/PassportWriter.js';
import { createRoomPassport } from '../../features/passport/roomPassport.js';
import { OfflineSync } from '../../features/offline/OfflineSync.js';
import { LiveSessions } from '../../features/limits/LiveSessions.js';
import type { Discovery } from './discovery.js';
import { RoomTicker } from '../../rooms/RoomTicker.js';
import { PendingWork } from '../../rooms/PendingWork.js';
import { createSessionRoom } from '../../rooms/session/SessionRoom.js';
import type { NotificationsPort, SessionRoomPorts, SessionRoomSettings } from '../../rooms/session/ports.js';
import { timeRoomJoins, type JoinPhaseTimer } from '../joinPhases.js';
import { DeparturePacer } from '../../features/handoff/DeparturePacer.js';
import { SessionHandoff } from '../../features/handoff/SessionHandoff.js';
import { ResumeAdmission } from '../../features/handoff/ResumeAdmission.js';
import { SnapshotStore } from '../../persistence/handoff/SnapshotStore.js';
import { Limit } from '../../features/limits/Limits.js';
import { Rides } from '../../features/ride/Rides.js';
import type { Friends } from '../../features/friends/Friends.js';
import type { Notifier } from '../../features/notifications/Notifier.js';
import { rideBlocked, rideStats } from '../../rooms/session/ride.js';
import { RIDE_ROUTES } from '../http/rideRoutes.js';
import { mount } from '../http/route.js';
import type { FeatureParts, RoomDefinition, WireContext } from './context.js';

export interface SessionDeps {
  stations: StationService;
  catalog: CatalogRepository;
  writer: PassportWriter;
  constellations: ConstellationRepository;
  capture: Capture;
  journal: JournalService;
  discovery: Discovery;
  joinPhases: JoinPhaseTimer;
  notifications: NotificationsPort;
  friends: Friends;
  notifier: Notifier;
}

/**
 * The session room (one per listener session): one shared ticker steps every room, offline sync replays
 * what a device did without a connection. Its stop, which runs after the server's, waits for the endings
 * of rooms disposed with a client inside its reconnection window, before the passport writer drains.
 */
export function wire(ctx: WireContext, deps: SessionDeps): FeatureParts & { room: RoomDefinition; afterServerStop(): Promise<void> } {
  const { config, log, metrics, life } = ctx;
  const offlineSync = new OfflineSync(
    {
      sql: ctx.sql,
      writer: deps.writer,
      constellations: deps.constellations,
      catalog: deps.catalog,
      capture: deps.capture,
      log: log.child({ component: 'offline-sync' }),
    },
    { durableTimeoutMs: config.passport.ackTimeoutMs },
  );
  const ticker = new RoomTicker({
    hz: config.simHz,
    phases: config.tickPhases,
    sampleEvery: config.tickSampleEvery,
    observeStep: (ms) => metrics.roomTick('session', ms),
    onError: (err, room) => log.error({ err, roomId: (room as { roomId?: string }).roomId }, 'session room step failed; the other rooms keep running'),
  });
  life.add('session-ticker', () => ticker.stop());
  const endings = new PendingWork();
  const counterSaves = counterSaveBatch(ctx.sql, config.session.counterBatch);
  registerStatementBatchMetrics(metrics.registry, { session_counters: () => counterSaves.stats() });
  // Registered before the server's stop, so it runs after it: the endings' saves are in (or written) by then.
  life.add('session-counter-saves', () => counterSaves.close());
  // The server's stop waits for the sessions' endings, whose saves queue behind open saves waiting in the batch.
  life.onDraining(() => counterSaves.hurry());
  // Live sessions per user and device, on the backplane; this process refreshes its rooms' claims.
  const liveSessions = new LiveSessions(ctx.backplane, config.limits, log.child({ component: 'live-sessions' }));
  liveSessions.start();
  life.add('live-sessions', () => liveSessions.stop());
  life.reportPending('sessionCounterSavesWaiting', () => counterSaves.stats().waiting);
  life.reportPending('sessionsNotHandedOver', () => metrics.liveRooms().session?.rooms ?? 0);
  const handoff = wireHandoff(ctx);
  const rides = new Rides(
    ctx.backplane.blobs('ride'),
    new Limit(ctx.backplane, 'ride-lookups', config.ride.lookupsPerMinute, 60, 'ride invites this user looked up and did not find'),
  );
  registerSessionMetrics(ctx, ticker, liveSessions, handoff);
  // A block ends a ride between the two wherever it is: here at once, on the other processes by the channel.
  const blocks = ctx.backplane.channel('rides:blocked');
  const blocked = (a: string, b: string) => rideBlocked(a, b, rideSettings(config.ride));
  deps.friends.onBlock = (a, b) => {
    blocks.publish(JSON.stringify([a, b]));
    blocked(a, b);
  };
  const klass = createSessionRoom(sessionPorts(ctx, deps, { handoff, ticker, endings, liveSessions, offlineSync, counterSaves, rides }));
  return {
    routes: mount(RIDE_ROUTES, { rides, auth: ctx.auth, now: Date.now, answers: roomAnswers }),
    start: () => void blocks.subscribe((body) => blocked(...(JSON.parse(body) as [string, string]))),
    room: { name: 'session', define: (server: Server) => void server.define('session', timeRoomJoins(metrics.instrument('session', klass), deps.joinPhases)) },
    afterServerStop: async () => {
      const { moved } = handoff.stats();
      if (moved > 0)
        log.info(
          { sessions: moved },
          ctx.backplane.kind === 'local'
            ? 'sessions saved for the restart (no other process): their clients resume when this process is back'
            : 'sessions handed off: their clients move to another process',
        );
      const unfinished = await endings.settled(life.timeLeft(1000));
      if (unfinished > 0) throw new Error(`${unfinished} session endings did not finish before the shutdown deadline`);
    },
  };
}

/**
 * The session room's ports, one group per feature (rooms/session/ports.ts): each feature of the room gets
 * its own group and nothing else; several groups hold the same service where two features use it.
 */
function sessionPorts(
  ctx: WireContext,
  deps: SessionDeps,
  built: {
    handoff: SessionHandoff;
    ticker: RoomTicker;
    endings: PendingWork;
    liveSessions: LiveSessions;
    offlineSync: OfflineSync;
    counterSaves: CounterSaveBatch;
    rides: Rides;
  },
): SessionRoomPorts {
  const { config, log, metrics } = ctx;
  const now = Date.now;
  const passport = createRoomPassport(deps.writer);
  const sessions = new SessionRepository(ctx.orm, built.counterSaves);
  ctx.life.add('session-tips', () => sessions.closeTips()); // after the server's stop, like the counter saves
  const { stations, constellations } = deps;
  const { handoff } = built;
  const capture = { capture: deps.capture, catalog: stations, stations, constellations, passport, maxInFlight: config.session.maxCapturesInFlight };
  return {
    room: {
      log,
      now,
      settings: sessionSettings(ctx),
      sessions,
      stations,
      constellations,
      passport,
      handoff,
      discovery: deps.discovery.port,
      databaseUnavailable: isDatabaseUnavailable,
      pendingWork: built.endings,
      ticker: built.ticker,
      observeBaselineBytes: (bytes) => metrics.baselineJsonBytes('session', bytes),
    },
    join: {
      auth: ctx.identities,
      resumes: handoff,
      databaseUnavailable: isDatabaseUnavailable,
      roomsRefusal: (userId) => built.liveSessions.roomsRefusal(userId),
      log,
      now,
    },
    liveness: {
      liveSessions: built.liveSessions,
      // A revoked device's rooms close (the registry hears revocations from every process); a reconnection re-checks the device.
      liveDevices: {
        enter: (deviceId, room) => ctx.deviceRevocations.enter(deviceId, room),
        revokedSince: (identity) => ctx.deviceRevocations.revokedSince(identity.deviceId, identity.generation ?? 0),
        stillValid: (identity) => ctx.identities.stillValid(identity),
      },
    },
    snapshots: { store: handoff, now },
    capture,
    // New recommendations in the resume welcome and the offline reply.
    journey: { sessions, constellations, recommendations: deps.discovery.recommendations, now },
    arrivals: { stations, constellations, discovery: deps.discovery.port, now },
    dial: { stations, now },
    offline: built.offlineSync,
    journal: deps.journal,
    search: { discovery: deps.discovery.port, maxLimit: config.discovery.search.maxLimit },
    // New inbox entries live, the unread ones at a join, mark read from the room.
    notifications: { notifications: deps.notifications },
    ride: {
      rides: built.rides,
      friends: deps.friends,
      notifier: deps.notifier,
      capture,
      passport,
      settings: { ...rideSettings(config.ride), graceMs: config.reconnectWindowSec * 1000 },
      now,
    },
  };
}

const rideSettings = ({ maxRiders, inviteTtlSec, reactionsPer10s }: WireContext['config']['ride']) => ({
  maxRiders,
  inviteTtlMs: inviteTtlSec * 1000,
  reactionsPer10s,
});

/** The ticker's and the claims' sizes, the handoff's counts, and the rides (rooms/session/ride.ts counts them). */
function registerSessionMetrics({ metrics }: WireContext, ticker: RoomTicker, liveSessions: LiveSessions, handoff: SessionHandoff): void {
  const stat = (read: (s: ReturnType<SessionHandoff['stats']>) => number) => () => read(handoff.stats());
  registerScraped(metrics.registry, {
    ds_rooms_stepped: ['Session rooms the shared ticker steps now: a session with nothing moving is not stepped', () => ticker.size],
    ds_live_session_claims: ['Live session claims (per user and device bounds) this process holds and refreshes', () => liveSessions.size],
    ds_session_snapshot_writes: ['Session snapshots written by this process (a lock, a capture, a badge, a drain)', stat((s) => s.writes)],
    ds_session_snapshot_bytes: ['Bytes of session snapshots written by this process', stat((s) => s.bytesWritten)],
    ds_sessions_moved: ['Sessions this process handed to another as it drained', stat((s) => s.moved)],
    ds_sessions_waiting_to_move: [
      'Sessions of this draining process still live here, waiting for a place to move (HANDOFF_MOVES_IN_FLIGHT)',
      stat((s) => s.departures.waiting),
    ],
    ds_resumes_waiting: ['Resumed sessions waiting to be restored on this process (RESUME_QUEUE_MAX bounds it)', stat((s) => s.admission.waiting)],
    ds_resumes_refused: ['Resumes refused RESUME_BUSY by this process since it started', stat((s) => s.admission.refused)],
    ds_rides: ['Rides open on this process now', () => rideStats.live.size],
    ds_ride_riders: [
      'Riders connected to a ride on this process now',
      () => [...rideStats.live.keys()].reduce((n, r) => n + [...r.riders.values()].filter((x) => x.seat).length, 0),
    ],
    ds_rides_opened: ['Rides opened on this process (counter)', () => rideStats.opened],
    ds_rides_ended: ['Rides ended on this process (counter)', () => rideStats.ended],
    ds_ride_riders_joined: ['Riders who joined a ride on this process, rejoins after a move not counted (counter)', () => rideStats.joined],
    ds_ride_reactions: ['Reactions shown to a ride (counter)', () => rideStats.reactions],
    ds_ride_reactions_limited: ['Reactions refused past RIDE_REACTIONS_PER_10S (counter)', () => rideStats.reactionsLimited],
  });
  const lag = new Histogram({
    name: 'ds_ride_host_to_rider_lag_seconds',
    help: 'From a dial input (host or the rider holding the dial) to the first patch every member of the ride gets after it',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [metrics.registry],
  });
  rideStats.observeLag = (seconds) => lag.observe(seconds);
}

/**
 * Snapshots in the backplane's blobs (Redis: any process restores them); a lone process also keeps its
 * drained snapshots in Postgres, since nothing else survives its restart.
 */
function wireHandoff(ctx: WireContext): SessionHandoff {
  const { handoff } = ctx.config;
  const lone = ctx.backplane.kind === 'local';
  const snapshots = new SnapshotStore(ctx.backplane.blobs('snapshot'), handoff.snapshotTtlSec * 1000, lone ? ctx.sql : undefined);
  if (lone) void snapshots.purgeExpired(Date.now()).catch((err: Error) => ctx.log.warn({ err: err.message }, 'expired session snapshots not purged'));
  const admission = new ResumeAdmission({ concurrency: handoff.resumeConcurrency, maxQueued: handoff.resumeQueueMax, retryPerQueuedMs: 50 });
  const perSession = new Limit(ctx.backplane, 'resume-session', 1, 2, 'resumes of one session');
  // A lone process has no one to move its sessions to: its clients come back to it once it has restarted.
  const arrivals = lone ? null : ctx.backplane.channel('handoff:arrived', (err) => ctx.log.warn({ err }, "a resumed session's arrival not reported"));
  const pacerLog = ctx.log.child({ component: 'handoff' });
  const pacer = new DeparturePacer(
    arrivals,
    { inFlight: handoff.movesInFlight, arrivalWaitMs: handoff.arrivalWaitMs, maxPacedMs: ctx.config.shutdownTimeoutMs / 2 },
    (reason) => pacerLog.warn({ reason }, 'the drain stops pacing: the sessions still here move at once'),
  );
  return new SessionHandoff(ctx.resumeCredentials, snapshots, admission, perSession, pacer, {
    moveSpreadPerSessionMs: handoff.moveSpreadPerSessionMs,
    moveSpreadMaxMs: handoff.moveSpreadMaxMs,
    durableOnDrain: lone,
  });
}

function sessionSettings({ config }: WireContext): SessionRoomSettings {
  const { simHz, patchHz, reconnectWindowSec, patchOnInput, clients, session } = config;
  const { maxVisitedPath, countersSaveMs } = session;
  return { simHz, patchHz, reconnectWindowSec, patchOnInput, ...clients, maxVisitedPath, countersSaveMs, jsonBaseline: config.patchBaseline === 'json' };
}

/** A live room listens on its presence channel; a dead process's rooms stop at once (no IPC timeout to wait out). */
const roomAnswers = async (roomId: string): Promise<boolean> => (await matchMaker.presence.channels(`$${roomId}`)).length > 0;
