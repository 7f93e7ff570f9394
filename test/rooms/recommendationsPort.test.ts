import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from '@colyseus/core';
import { WebSocketTransport } from '@colyseus/ws-transport';
import pino from 'pino';
import { useTestDatabase } from '../support/db.js';
import { insertUser } from '../support/auth.js';
import { clientFor, nextMessage } from '../support/rooms.js';
import { AccessTokens } from '../../src/auth/tokens.js';
import { CatalogRepository } from '../../persistence/catalog/CatalogRepository.js';
import { StationService } from '../../persistence/catalog/StationService.js';
import { LocalStationCache } from '../../persistence/cache/StationCache.js';
import { PassportWriter } from '../../persistence/passport/PassportWriter.js';
import { createRoomPassport } from '../../persistence/passport/roomPassport.js';
import { SessionRepository } from '../../persistence/session/SessionRepository.js';
import { ConstellationRepository } from '../../persistence/constellation/ConstellationRepository.js';
import { Capture } from '../../features/capture/Capture.js';
import { OfflineSync } from '../../features/offlineSync/OfflineSync.js';
import { RoomTicker } from '../../rooms/RoomTicker.js';
import { PendingWork } from '../../rooms/PendingWork.js';
import { createSessionRoom } from '../../rooms/session/SessionRoom.js';
import type { NewRecommendation, RecommendationsPort } from '../../rooms/session/ports.js';

/** A tiny real engine for the optional port: recommendations kept with their time, newest first. */
class ListRecommendations implements RecommendationsPort {
  readonly made: Array<{ userId: string; atMs: number; rec: NewRecommendation }> = [];
  async newSince(userId: string, sinceMs: number): Promise<NewRecommendation[]> {
    return this.made.filter((m) => m.userId === userId && m.atMs > sinceMs).sort((a, b) => b.atMs - a.atMs).map((m) => m.rec);
  }
}

/**
 * The session room with the optional `recommendations` port wired (in process, ws transport on a
 * free port): the resume welcome counts the new ones (seed 14.4) and the offline reply lists them (15.4).
 */
describe('session room with a recommendations port (seed 000 steps 14.4, 15.4)', function () {
  this.timeout(30_000);
  // Registered before the database's own hooks: `after` hooks run in order, so the rooms and the writer stop before the drop.
  after(async () => {
    await server?.gracefullyShutdown(false);
    ticker?.stop();
    if (writer) await writer.drain(2000).finally(() => writer!.stop());
  });
  const database = useTestDatabase();
  const log = pino({ level: 'silent' });
  const engine = new ListRecommendations();
  const tokens = new AccessTokens('in-process-test-secret-0123456789-abcdefghij', 900);
  let server: Server | undefined;
  let writer: PassportWriter | undefined;
  let ticker: RoomTicker | undefined;
  let baseUrl: string;

  before(async () => {
    const { orm, sql } = database();
    const catalog = new CatalogRepository(orm);
    await catalog.ensureDemoCatalog();
    const stations = new StationService(catalog, new LocalStationCache(600_000, 100));
    writer = new PassportWriter(sql, { flushIntervalMs: 10 }, log);
    const constellations = new ConstellationRepository(sql);
    const capture = new Capture({ catalog, constellations });
    ticker = new RoomTicker({ hz: 20, phases: 1 });
    const httpServer = http.createServer();
    server = new Server({ transport: new WebSocketTransport({ server: httpServer }), greet: false, gracefullyShutdown: false });
    server.define(
      'session',
      createSessionRoom({
        log,
        stations,
        catalog,
        sessions: new SessionRepository(orm),
        auth: tokens,
        passport: createRoomPassport(writer),
        constellations,
        offlineSync: new OfflineSync({ sql, writer, constellations, catalog, capture, log }),
        capture,
        recommendations: engine,
        // Not exercised here: the journal has its own room and HTTP tests.
        journal: { of: () => Promise.reject(new Error('the journal is not part of this test')) },
        // Not exercised here either: search and pushes have their own room tests (test/rooms/discoveryMessages.test.ts).
        discovery: { search: () => Promise.reject(new Error('not part of this test')), requestRecommendations: () => undefined, suggestionsAfterZoom: async () => [] },
        settings: { simHz: 20, patchHz: 20, reconnectWindowSec: 0, messageRatePerSec: 100, disconnectRatePerSec: 1000, noticeIntervalMs: 1000, maxCapturesInFlight: 5, maxVisitedPath: 50, patchOnInput: true, jsonBaseline: false, maxSearchLimit: 50 },
        ticker,
        pendingWork: new PendingWork(),
        now: Date.now,
      }),
    );
    await server.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  });

  it('counts the recommendations made while away in the welcome and lists those made while offline', async () => {
    const { sql } = database();
    const user = await insertUser(sql);
    const { accessToken: token } = await tokens.issue({ userId: user.userId, deviceId: user.deviceId });
    const join = async () => {
      const room = await clientFor(baseUrl, token).create('session', {});
      return { room, welcome: await nextMessage(room, 'welcome') };
    };
    const first = await join();
    assert.equal(first.welcome.updates, null);
    await first.room.leave(true);
    await new Promise((r) => setTimeout(r, 100)); // the session's last_active is saved on leave
    for (const artistId of ['artist_tony_allen', 'artist_james_brown']) engine.made.push({ userId: user.userId, atMs: Date.now(), rec: { artistId, reason: 'test' } });
    const second = await join();
    assert.equal(second.welcome.resumed, true);
    assert.deepEqual(second.welcome.updates, { newRecommendations: 2, newArtists: 0, socialUpdates: 0 });
    assert.equal(second.welcome.suggestedAction, 'check_recommendations');

    // Made more than 0.4 s ago: outside the offline window below. Made 50 ms ago: inside it.
    await new Promise((r) => setTimeout(r, 700));
    engine.made.push({ userId: user.userId, atMs: Date.now() - 50, rec: { artistId: 'artist_sade', reason: 'while offline' } });
    const synced = nextMessage(second.room, 'offline_synced');
    second.room.send('sync_offline', { offlineDuration: 0.4, operations: [{ opId: 'rec-1', type: 'capture_star', artistId: 'artist_sade', occurredAt: Date.now() - 100 }] });
    const reply = await synced;
    assert.deepEqual(reply.newData.recommendations, [{ artistId: 'artist_sade', reason: 'while offline' }]);
    await second.room.leave(true);
  });
});
