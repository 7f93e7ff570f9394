import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { PassportWriter } from '../../../features/passport/PassportWriter.js';
import { passportRoutes } from '../../../src/http/passportRoutes.js';
import { gravityEventRoutes } from '../../../src/http/gravityRoutes.js';
import { buildRouter } from '../../support/httpRouter.js';
import type { Route } from '../../../src/http/route.js';
import type { Logger } from '../../../src/logger.js';
import { jsonOf } from '../../support/http.js';
import { requestAuth } from '../../../src/http/authGates.js';
import { AccessTokens } from '../../../features/auth/tokens.js';
import { writerOptions, raisedIngestLimits } from '../../support/config.js';

const silent = pino({ level: 'silent' });
const NOW = Date.parse('2025-01-06T14:30:00Z');
// These tests log for arbitrary users, as a service may: they send the admin (service) token.
const SERVICE_TOKEN = 'passport-routes-service-token';
const auth = requestAuth(new AccessTokens('passport-routes-test-secret-0123456789', 900), SERVICE_TOKEN);

/** POSTs `body` (JSON, or a string as it is) with the service token; the answer's status and JSON body. */
async function call(routes: Route[], path: string, body: unknown) {
  const res = await buildRouter(routes).handler(
    new Request(`http://localhost${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${SERVICE_TOKEN}` },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );
  return { status: res.status, headers: res.headers, body: await jsonOf(res) };
}
const fields = (answer: { body: { details?: Array<{ field: string }> } }) => (answer.body.details ?? []).map((d) => d.field);

describe('passport HTTP routes (real Postgres)', function () {
  this.timeout(20_000);
  let db: TestDatabase;
  let writer: PassportWriter;
  let routes: Route[];
  const post = (path: string, body: unknown) => call(routes, path, body);
  const rows = () =>
    db.sql.query<{
      event_id: string;
      event_type: string;
      source: string;
      payload: Record<string, unknown>;
      session_id: string;
      occurred_at: Date;
      user_id: string | null;
    }>('SELECT event_id::text AS event_id, event_type, source, payload, session_id, occurred_at, user_id::text AS user_id FROM passport_entries ORDER BY id');

  before(async () => {
    db = await createTestDatabase();
    writer = new PassportWriter(db.sql, writerOptions({ flushIntervalMs: 5 }), silent);
    const options = { limits: raisedIngestLimits(), ackTimeoutMs: 10_000, auth, now: () => NOW };
    // Gravity's POST /event logs through the same writer and answers as the passport's routes do.
    routes = [...passportRoutes(writer, { ...options, maxBatch: 1000 }), ...gravityEventRoutes(writer, options)];
  });
  beforeEach(async () => {
    await writer.drain(5000);
    await db.sql.query('TRUNCATE passport_entries');
  });
  after(async () => {
    await writer?.stop();
    await db?.drop();
  });

  it('POST /api/passport/log answers 202 only once the event is committed, with its id, source http', async () => {
    const eventId = randomUUID();
    const res = await post('/api/passport/log', {
      eventId,
      eventType: 'concierto.event_attended',
      userId: randomUUID(),
      occurredAt: '2025-01-06T14:29:00Z',
      payload: { eventId: 'evt_1' },
    });
    assert.equal(res.status, 202);
    assert.deepEqual(res.body, { accepted: 1, stored: true, eventIds: [eventId] });
    const [row] = await rows(); // no drain: the 202 itself means the row is there
    assert.deepEqual(
      [row.event_id, row.event_type, row.source, new Date(row.occurred_at).toISOString()],
      [eventId, 'concierto.event_attended', 'http', '2025-01-06T14:29:00.000Z'],
    );
  });

  it('answers 400 with field-by-field details, and accepts nothing', async () => {
    const bad = await post('/api/passport/log', { eventType: 'station.visited', occuredAt: 1, payload: { artistId: 'x', method: 'fly' } });
    assert.equal(bad.status, 400);
    assert.ok(fields(bad).includes('occuredAt'), 'the misspelt field is named');
    assert.ok(fields(bad).includes('payload.frequency'));
    assert.ok(fields(bad).includes('payload.method'));
    const missing = await post('/api/passport/log', undefined);
    assert.deepEqual([missing.status, fields(missing)[0]], [400, '(body)']);
    const garbled = await post('/api/passport/log', '{not json');
    assert.equal(garbled.status, 400);
    assert.match(garbled.body.details[0].message, /not valid JSON/);
    assert.equal((await post('/api/passport/log', [1, 2])).status, 400);
    await writer.drain(5000);
    assert.equal((await rows()).length, 0);
  });

  it('POST /api/passport/batch is all-or-nothing and bounded to 1,000 events', async () => {
    const good = { eventType: 'player.like', payload: { trackId: 't1' } };
    const res = await post('/api/passport/batch', { events: [good, good, { ...good, eventId: randomUUID() }] });
    assert.equal(res.status, 202);
    assert.equal(res.body.accepted, 3);
    assert.equal(new Set(res.body.eventIds).size, 3);

    const one = await post('/api/passport/batch', { events: [good, { eventType: 'player.like', payload: {} }, good] });
    assert.equal(one.status, 400);
    assert.ok(fields(one).includes('events.1.payload.trackId'));
    assert.match(one.body.message, /nothing was accepted/);
    const many = await post('/api/passport/batch', { events: Array.from({ length: 1001 }, () => good) });
    assert.equal(many.status, 400);
    assert.match(many.body.details[0].message, /at most 1000/);
    assert.equal((await post('/api/passport/batch', { events: [] })).status, 400);
    assert.equal((await post('/api/passport/batch', { evnts: [good] })).status, 400);
    await writer.drain(5000);
    assert.equal((await rows()).length, 3);
  });

  it('POST /event maps the gravity contract (seed 001) to player.* events with source gravity', async () => {
    const track = randomUUID();
    const user = randomUUID();
    const sent = [
      { session_id: 'sess-1', track_id: track, event_type: 'play_start', user_id: user, context: 'radio', timestamp: '2025-01-06T14:20:00Z' },
      { session_id: 'sess-1', track_id: track, event_type: 'play_10s' },
      { session_id: 'sess-1', track_id: track, event_type: 'skip', meta: { elapsed_ms: 4200 } },
      { session_id: 'sess-1', track_id: track, event_type: 'radio_next' },
      { session_id: 'sess-1', track_id: track, event_type: 'like' },
    ];
    for (const body of sent) assert.equal((await post('/event', body)).status, 202);
    await writer.drain(5000);
    const stored = await rows();
    assert.deepEqual(
      stored.map((r) => r.event_type),
      ['player.track_played', 'player.play_10s', 'player.track_skipped', 'player.radio_next', 'player.like'],
    );
    assert.ok(stored.every((r) => r.source === 'gravity' && r.session_id === 'sess-1' && r.payload.trackId === track));
    assert.equal(new Date(stored[0].occurred_at).toISOString(), '2025-01-06T14:20:00.000Z');
    assert.equal(new Date(stored[1].occurred_at).getTime(), NOW, 'timestamp defaults to server time');
    assert.equal(stored[0].user_id, user);
    assert.equal(stored[2].payload.elapsedMs, 4200);

    const skip = await post('/event', { session_id: 'sess-1', track_id: track, event_type: 'skip' });
    assert.deepEqual([skip.status, fields(skip)[0]], [400, 'meta.elapsed_ms']);
    const pause = await post('/event', { session_id: 'sess-1', track_id: 'nope', event_type: 'pause' });
    assert.deepEqual([pause.status, fields(pause).sort()], [400, ['event_type', 'track_id']]);
  });

  it('maps backpressure to 503 + Retry-After through the router, accepting nothing', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const full = new PassportWriter(
      { insert: async () => (await gate, []), deadLetter: async () => {} },
      writerOptions({ maxQueue: 2, flushIntervalMs: 5 }),
      silent,
    );
    const busyOptions = { limits: raisedIngestLimits(), ackTimeoutMs: 10_000, auth, now: () => NOW };
    const busyRoutes = [...passportRoutes(full, { ...busyOptions, maxBatch: 1000 }), ...gravityEventRoutes(full, busyOptions)];
    const good = { eventType: 'player.like', payload: { trackId: 't1' } };
    const refused = await call(busyRoutes, '/api/passport/batch', { events: [good, good, good] });
    assert.deepEqual([refused.status, refused.body.error, refused.headers.get('retry-after')], [503, 'BACKPRESSURE', '1']);
    assert.match(refused.body.message, /split it/);

    const router = buildRouter(busyRoutes, silent as unknown as Logger);
    const post = (path: string, body: unknown) =>
      router.handler(
        new Request(`http://localhost${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${SERVICE_TOKEN}` },
          body: JSON.stringify(body),
        }),
      );
    const busy = await post('/api/passport/batch', { events: [good, good, good] });
    assert.equal(busy.status, 503);
    assert.equal(busy.headers.get('retry-after'), '1');
    assert.equal((await jsonOf(busy)).error, 'BACKPRESSURE');
    const invalid = await post('/api/passport/log', { eventType: 'player.like', payload: {} });
    assert.equal(invalid.status, 400);
    assert.deepEqual((await jsonOf(invalid)).details, [{ field: 'payload.trackId', message: 'is required (string)' }]);
    let answered = false;
    const liked = post('/event', { session_id: 's', track_id: randomUUID(), event_type: 'like' }).finally(() => (answered = true));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(full.stats().queueDepth, 1, 'only the accepted event is queued');
    assert.equal(answered, false, 'no 202 while the insert has not committed');
    open();
    assert.equal((await liked).status, 202);
    await full.stop();
  });
});
