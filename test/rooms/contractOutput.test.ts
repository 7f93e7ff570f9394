/**
 * The contract's server → client schemas (rooms/session/replies.ts, the route declarations' answers) checked
 * against what a real server sends: every field the server sends is described, every described
 * required field is sent. Also: `station.frequency` is exact on the wire (float64).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Room } from '@colyseus/sdk';
import { z } from 'zod';
import { replySchemas, type ReplyType } from '../../rooms/session/replies.js';
import { coliseumErrorSchema } from '../../rooms/coliseum/replies.js';
import { httpErrorSchema } from '../../systems/httpContract.js';
import { refreshedSchema, signedInSchema } from '../../src/http/authRoutes.js';
import { ingestAcceptedSchema } from '../../src/http/passportRoutes.js';
import { gravityNeighborsSchema } from '../../src/http/gravityRoutes.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { startServerProcess, type ServerProcess } from '../support/serverProcess.js';
import { clientFor, nextMessage, waitForState } from '../support/rooms.js';
import { bearer, newDeviceSecret, postJson } from '../support/auth.js';

/** Parses with every object strict, so a field the server sends but the schema lacks fails the test. */
function conforms(schema: z.ZodType, value: unknown, what: string): void {
  const json = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' });
  const strict = z.fromJSONSchema(json as Parameters<typeof z.fromJSONSchema>[0]);
  const result = strict.safeParse(value);
  assert.ok(
    result.success,
    `${what} does not match its contract schema: ${result.success ? '' : JSON.stringify(result.error.issues.slice(0, 5))}\n${JSON.stringify(value).slice(0, 800)}`,
  );
}

const reply = (room: Room, type: ReplyType, timeoutMs = 5000) => nextMessage(room, type, timeoutMs).then((m) => (conforms(replySchemas[type], m, type), m));

describe('contract: real server output matches the generated schemas', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let server: ServerProcess;
  let room: Room | undefined;

  before(async () => {
    db = await createTestDatabase();
    server = await startServerProcess({ DATABASE_URL: db.url, TRANSPORT: 'ws', REDIS_URL: undefined, CLIENT_MESSAGE_RATE: '200', PASSPORT_FLUSH_MS: '20' });
  });

  after(async () => {
    await room?.leave(true).catch(() => undefined);
    const code = await server?.stop('SIGTERM');
    assert.equal(code, 0, server?.output());
    await db?.drop();
  });

  it('HTTP: sign-in, refresh, ingest (camelCase /event too), neighbours and errors', async () => {
    const signed = await postJson(server.baseUrl, '/api/auth/device', { deviceSecret: newDeviceSecret(), deviceModel: 'contract' });
    assert.equal(signed.status, 201);
    conforms(signedInSchema, signed.body, 'POST /api/auth/device');
    const refreshed = await postJson(server.baseUrl, '/api/auth/refresh', { refreshToken: signed.body.refreshToken });
    conforms(refreshedSchema, refreshed.body, 'POST /api/auth/refresh');
    const auth = bearer(refreshed.body.accessToken);

    const logged = await postJson(server.baseUrl, '/api/passport/log', { eventType: 'player.like', payload: { trackId: 't1' } }, auth);
    assert.equal(logged.status, 202);
    conforms(ingestAcceptedSchema, logged.body, 'POST /api/passport/log');
    const track = '25d6ea71-9d2c-5fe5-a864-11bbdeae775a';
    const snake = await postJson(server.baseUrl, '/event', { session_id: 's1', track_id: track, event_type: 'play_start' }, auth);
    assert.equal(snake.status, 202, JSON.stringify(snake.body));
    const camel = await postJson(server.baseUrl, '/event', { sessionId: 's1', trackId: track, eventType: 'skip', meta: { elapsedMs: 4000 } }, auth);
    assert.equal(camel.status, 202, JSON.stringify(camel.body));
    conforms(ingestAcceptedSchema, camel.body, 'POST /event (camelCase)');
    const mixed = await postJson(server.baseUrl, '/event', { sessionId: 's1', track_id: track, eventType: 'like' }, auth);
    assert.equal(mixed.status, 400);
    conforms(httpErrorSchema, mixed.body, '400 of /event');
    assert.ok(
      mixed.body.details.some((d: { field: string }) => d.field === 'track_id'),
      JSON.stringify(mixed.body),
    );

    const neighbours = await fetch(`${server.baseUrl}/tracks/${track}/gravity_neighbors`);
    conforms(gravityNeighborsSchema, await neighbours.json(), 'GET gravity_neighbors');
  });

  it('session room: every reply type, and station.frequency exactly 99.9', async () => {
    const signed = await postJson(server.baseUrl, '/api/auth/device', { deviceSecret: newDeviceSecret() });
    const joined = clientFor(server.baseUrl, signed.body.accessToken).create('session', { deviceModel: 'contract' });
    room = await joined;
    const r = room;
    await reply(r, 'welcome');
    await waitForState(r, (s) => s.station.artistName !== '', 5000, 'initial station');
    assert.equal(r.state.station.frequency, 99.9, 'float64 on the wire: exactly what the station API says');

    const locked = reply(r, 'locked');
    r.send('swipe', { direction: 'right', velocity: 850 });
    assert.equal((await locked).frequency, 105.5);
    await waitForState(r, (s) => s.station.frequency === 105.5 && s.dial.locked === true);

    const clock = reply(r, 'clock');
    r.send('clock', { t0: Date.now() });
    await clock;

    const [orbId] = [...r.state.orbs.keys()];
    const transition = reply(r, 'transition');
    const badge = reply(r, 'badge');
    const arrived = reply(r, 'locked');
    r.send('tap_orb', { orbId });
    await Promise.all([transition, badge, arrived]);

    const captured = reply(r, 'captured');
    r.send('capture', { opId: randomUUID() });
    assert.equal((await captured).alreadyCaptured, false);
    const again = reply(r, 'captured');
    r.send('capture', {});
    assert.equal((await again).alreadyCaptured, true);

    const journal = reply(r, 'journal');
    r.send('journal', {});
    assert.equal((await journal).stars.length, 1, 'the captured star is in the journal');
    const search = reply(r, 'search');
    r.send('search', { q: 'fela', limit: 3, requestId: 'r-1' });
    const found = await search;
    assert.equal(found.requestId, 'r-1');
    assert.ok(found.results.length > 0, JSON.stringify(found));

    const ack = reply(r, 'sensor_ack');
    r.send('sensor_batch', { samples: [{ type: 'gyroscope', duration: 2, maxTiltX: 10, maxTiltY: -5, at: Date.now() }] });
    await ack;

    const synced = reply(r, 'offline_synced');
    r.send('sync_offline', {
      operations: [
        { opId: 'op-1', type: 'station_visit', artistId: 'artist_wizkid', frequency: 99.9, occurredAt: Date.now() - 60_000 },
        { opId: 'op-2', type: 'station_visit', artistId: '', occurredAt: Date.now() },
      ],
    });
    const s = await synced;
    assert.equal(s.failed.length, 1);

    const error = reply(r, 'error');
    r.send('tune', { frequency: 200 });
    assert.equal((await error).code, 'BAD_INPUT');
  });

  it('coliseum room: a spectator message is answered with a ColiseumErrorMessage', async () => {
    const spectator = await clientFor(server.baseUrl).joinOrCreate('coliseum', {});
    try {
      const error = nextMessage(spectator, 'error');
      spectator.send('hello', {});
      const msg = await error;
      conforms(coliseumErrorSchema, msg, 'coliseum error');
      assert.equal(msg.code, 'READ_ONLY');
    } finally {
      await spectator.leave(true).catch(() => undefined);
    }
  });
});
