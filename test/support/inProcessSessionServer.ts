import { TEST_SESSION_SETTINGS } from './sessionRoomStub.js';
import { SessionHandoff, type HandoffSettings } from '../../features/handoff/SessionHandoff.js';
import { ResumeCredentials } from '../../features/handoff/ResumeCredentials.js';
import { ResumeAdmission } from '../../features/handoff/ResumeAdmission.js';
import { DeparturePacer } from '../../features/handoff/DeparturePacer.js';
import { SnapshotStore } from '../../persistence/handoff/SnapshotStore.js';
import { Limit } from '../../features/limits/Limits.js';
import type { Backplane } from '../../persistence/backplane/Backplane.js';
import type { Sql } from '../../persistence/db.js';
import { isDatabaseUnavailable } from '../../persistence/dbErrors.js';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from '@colyseus/core';
import { WebSocketTransport } from '@colyseus/ws-transport';
import pino from 'pino';
import type { TestDatabase } from './db.js';
import { AccessTokens } from '../../features/auth/tokens.js';
import { CatalogRepository } from '../../persistence/catalog/CatalogRepository.js';
import { StationService } from '../../features/catalog/StationService.js';
import { StationCache } from '../../persistence/catalog/StationCache.js';
import { catalogReads } from './catalogReads.js';
import { localBackplane } from './backplanes.js';
import { PassportWriter } from '../../features/passport/PassportWriter.js';
import { createRoomPassport } from '../../features/passport/roomPassport.js';
import { SessionRepository } from '../../persistence/session/SessionRepository.js';
import { ConstellationRepository } from '../../persistence/constellation/ConstellationRepository.js';
import { Capture } from '../../features/constellation/Capture.js';
import { OfflineSync } from '../../features/offline/OfflineSync.js';
import { RoomTicker } from '../../rooms/RoomTicker.js';
import { PendingWork } from '../../rooms/PendingWork.js';
import { createSessionRoom } from '../../rooms/session/SessionRoom.js';
import type { RideSettings } from '../../rooms/session/ride.js';
import type { RecommendationsPort } from '../../rooms/session/ports.js';
import { writerOptions } from './config.js';
import { Friends } from '../../features/friends/Friends.js';
import { FriendStore } from '../../persistence/friends/FriendStore.js';
import { Rides } from '../../features/ride/Rides.js';

/** The key of the in-process server's access tokens and resume credentials (a test forges with it). */
export const IN_PROCESS_SECRET = 'in-process-test-secret-0123456789-abcdefghij';

export interface InProcessSessionServer {
  baseUrl: string;
  tokens: AccessTokens;
  /** Stops the rooms, then the ticker, then drains the passport writer. */
  stop(): Promise<void>;
}

export interface InProcessOptions {
  recommendations?: RecommendationsPort;
  /** The sessions port as the room sees it; a test wraps the real repository to change its timing. */
  sessions?: (real: SessionRepository) => SessionRepository;
  /** The stations port likewise. */
  stations?: (real: StationService) => StationService;
  /** Ride settings other than the defaults below (an invite's lifetime shorter than its config allows). */
  ride?: Partial<RideSettings>;
}

/**
 * The session room in this process (ws transport on a free port) over a real database, for tests that
 * swap one port: what a separate server process cannot be made to do on cue.
 */
export async function startInProcessSessionServer(db: TestDatabase, options: InProcessOptions = {}): Promise<InProcessSessionServer> {
  const { orm, sql } = db;
  const log = pino({ level: 'silent' });
  const tokens = new AccessTokens(IN_PROCESS_SECRET, 900);
  const catalog = new CatalogRepository(orm);
  await catalog.ensureDemoCatalog();
  const realStations = new StationService(
    catalog,
    new StationCache(localBackplane(), { ttlMs: 600_000, maxEntries: 100, onError: () => undefined, now: Date.now }),
  );
  const writer = new PassportWriter(sql, writerOptions({ flushIntervalMs: 10 }), log);
  const constellations = new ConstellationRepository(sql);
  const capture = new Capture({ catalog: catalogReads(catalog, realStations), constellations, passport: writer });
  const ticker = new RoomTicker({ hz: 20, phases: 1, sampleEvery: 8 });
  // A test may wrap the stations or the repository to change their timing: every part of the room sees the wrapped one.
  const stations = options.stations?.(realStations) ?? realStations;
  const repository = new SessionRepository(orm);
  const sessions = options.sessions?.(repository) ?? repository;
  const passport = createRoomPassport(writer);
  const handoff = testHandoff(localBackplane(), sql);
  const httpServer = http.createServer();
  const server = new Server({ transport: new WebSocketTransport({ server: httpServer }), greet: false, gracefullyShutdown: false });
  server.define(
    'session',
    createSessionRoom({
      room: {
        log,
        now: Date.now,
        settings: TEST_SESSION_SETTINGS,
        sessions,
        stations,
        constellations,
        passport,
        handoff,
        // Not exercised here: search and pushes have their own room tests (test/rooms/discoveryMessages.test.ts).
        discovery: { requestRecommendations: () => undefined },
        databaseUnavailable: isDatabaseUnavailable,
        pendingWork: new PendingWork(),
        ticker,
      },
      join: { auth: tokens, resumes: handoff, databaseUnavailable: isDatabaseUnavailable, log, now: Date.now },
      liveness: {},
      snapshots: { store: handoff, now: Date.now },
      capture: { capture, catalog, stations, constellations, passport, maxInFlight: 5 },
      journey: { sessions, constellations, recommendations: options.recommendations, now: Date.now },
      arrivals: { stations, constellations, discovery: { suggestionsAfterZoom: async () => [] }, now: Date.now },
      dial: { stations, now: Date.now },
      offline: new OfflineSync({ sql, writer, constellations, catalog, capture, log }, { durableTimeoutMs: 10_000 }),
      // Not exercised here: the journal has its own room and HTTP tests.
      journal: { of: () => Promise.reject(new Error('the journal is not part of this test')) },
      search: { discovery: { search: () => Promise.reject(new Error('not part of this test')) }, maxLimit: 50 },
      // No inbox: notifications have their own room tests.
      notifications: {},
      ride: {
        rides: new Rides(localBackplane().blobs('ride'), new Limit(localBackplane(), 'ride-lookups', 1000, 60, 'ride lookups')),
        friends: new Friends({
          store: new FriendStore(sql),
          notifier: { tell: async () => undefined },
          passport: writer,
          requests: { consume: async () => undefined, refund: async () => undefined },
          max: 100,
          ackTimeoutMs: 10_000,
        }),
        notifier: { tell: async () => undefined },
        capture: { capture, catalog, stations, constellations, passport, maxInFlight: 5 },
        passport,
        settings: { maxRiders: 32, inviteTtlMs: 3_600_000, reactionsPer10s: 10, graceMs: 30_000, ...options.ride },
        now: Date.now,
      },
    }),
  );
  await server.listen(0, '127.0.0.1');
  return {
    baseUrl: `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`,
    tokens,
    async stop() {
      await server.gracefullyShutdown(false);
      ticker.stop();
      await writer.drain(2000).finally(() => writer.stop());
    },
  };
}

/** The session handoff as a lone process wires it (memory, drained snapshots in Postgres), with the test secret. */
export function testHandoff(backplane: Backplane, sql?: Sql, settings: Partial<HandoffSettings> = {}): SessionHandoff {
  const credentials = new ResumeCredentials(IN_PROCESS_SECRET, 3600);
  const snapshots = new SnapshotStore(backplane.blobs('snapshot'), 600_000, sql);
  const perSession = new Limit(backplane, 'resume-session', 1, 2, 'resumes of one session');
  // As the wiring builds it: paced through the backplane's channel when other processes may take sessions over.
  const arrivals = backplane.kind === 'redis' ? backplane.channel('handoff:arrived') : null;
  const pacer = new DeparturePacer(arrivals, { inFlight: 32, arrivalWaitMs: 2000, maxPacedMs: 4000 });
  return new SessionHandoff(credentials, snapshots, new ResumeAdmission({ concurrency: 4, maxQueued: 100, retryPerQueuedMs: 50 }), perSession, pacer, {
    moveSpreadPerSessionMs: 0,
    moveSpreadMaxMs: 0,
    durableOnDrain: sql !== undefined,
    ...settings,
  });
}
