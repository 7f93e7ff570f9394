import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { useServer } from '../../support/serverProcess.js';
import { bearer, postJson, signIn, type SignedIn } from '../../support/auth.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers read field by field
type Json = any;
const ADMIN = 'admin-token-for-user-activity-0123456789';

/**
 * Seed 002's DIA dashboard: the live activity feed of the ops user page (events arriving for that user, polled
 * with a cursor, bounded) and the DNA evolution timeline, each behind the admin token with hostile input
 * answered by a code.
 */
describe('DIA: live activity feed and DNA timeline of the ops user page', function () {
  this.timeout(60_000);
  const running = useServer({ ADMIN_TOKEN: ADMIN, JOB_CRON_DNA_MIRRORING: 'off' });
  const base = () => running().server.baseUrl;
  let listener: SignedIn;

  const log = (eventType: string, payload: object, occurredAt?: string) =>
    postJson(base(), '/api/passport/log', { eventType, payload, ...(occurredAt ? { occurredAt } : {}) }, bearer(listener.accessToken));
  const get = async (path: string, token: string | null = ADMIN) => {
    const res = await fetch(`${base()}${path}`, { headers: token ? bearer(token) : {} });
    return { status: res.status, body: (await res.json()) as Json };
  };
  const activity = (query = '') => get(`/api/ops/users/${listener.userId}/activity${query}`);

  before(async () => {
    listener = await signIn(base());
  });

  it('answers what arrived since the cursor, newest first, and the next cursor', async () => {
    assert.equal((await log('player.like', { trackId: 't1' })).status, 202);
    assert.equal((await log('player.like', { trackId: 't2' })).status, 202);
    const first = await activity();
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.deepEqual(
      first.body.entries.map((e: Json) => e.payload.trackId),
      ['t2', 't1'],
    );
    assert.equal(first.body.cursor, first.body.entries[0].id);
    assert.equal(first.body.windowSec, 600);
    assert.equal((await log('player.like', { trackId: 't3' })).status, 202);
    const next = await activity(`?after=${first.body.cursor}`);
    assert.deepEqual(
      next.body.entries.map((e: Json) => e.payload.trackId),
      ['t3'],
    );
    const quiet = await activity(`?after=${next.body.cursor}`);
    assert.deepEqual(quiet.body.entries, []);
    assert.equal(quiet.body.cursor, next.body.cursor, 'nothing new: the same cursor');
  });

  it('is bounded: at most `limit` a poll (truncated says more came), and only the recent event time', async () => {
    const before = (await activity()).body.cursor;
    for (const t of ['t4', 't5', 't6']) await log('player.like', { trackId: t });
    const page = await activity(`?after=${before}&limit=2`);
    assert.deepEqual(
      page.body.entries.map((e: Json) => e.payload.trackId),
      ['t6', 't5'],
    );
    assert.equal(page.body.truncated, true);
    // An offline replay dated yesterday arrives now but belongs to the timeline, not the live feed.
    await log('player.like', { trackId: 'old' }, new Date(Date.now() - 86_400_000).toISOString());
    assert.deepEqual((await activity(`?after=${page.body.cursor}`)).body.entries, []);
    const timeline = await get(`/api/ops/users/${listener.userId}/timeline?limit=200`);
    assert.ok(timeline.body.entries.some((e: Json) => e.payload.trackId === 'old'));
  });

  it('refuses hostile feed requests with a code', async () => {
    for (const [path, token, status, code] of [
      [`/api/ops/users/${listener.userId}/activity?after=abc`, ADMIN, 400, 'VALIDATION_FAILED'],
      [`/api/ops/users/${listener.userId}/activity?after=1;DROP`, ADMIN, 400, 'VALIDATION_FAILED'],
      [`/api/ops/users/${listener.userId}/activity?after=%00`, ADMIN, 400, 'VALIDATION_FAILED'],
      [`/api/ops/users/${listener.userId}/activity?after=%ED%A0%80`, ADMIN, 400, 'VALIDATION_FAILED'],
      [`/api/ops/users/${listener.userId}/activity?after=${'9'.repeat(20)}`, ADMIN, 400, 'VALIDATION_FAILED'],
      [`/api/ops/users/${listener.userId}/activity?after=${'1'.repeat(3_000)}`, ADMIN, 400, 'VALIDATION_FAILED'],
      [`/api/ops/users/${listener.userId}/activity?limit=0`, ADMIN, 400, 'VALIDATION_FAILED'],
      [`/api/ops/users/${listener.userId}/activity?limit=101`, ADMIN, 400, 'VALIDATION_FAILED'],
      ['/api/ops/users/not-a-user/activity', ADMIN, 400, 'VALIDATION_FAILED'],
      [`/api/ops/users/${listener.userId}/activity`, listener.accessToken, 401, 'UNAUTHORIZED'],
      [`/api/ops/users/${listener.userId}/activity`, null, 401, 'UNAUTHORIZED'],
    ] as const) {
      const res = await get(path, token);
      assert.equal(res.status, status, `${path} → ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error, code);
    }
    const stranger = await get(`/api/ops/users/${randomUUID()}/activity`);
    assert.deepEqual([stranger.status, stranger.body.entries], [200, []]);
  });

  it('shows the DNA timeline: one snapshot per recompute, newest first', async () => {
    for (let i = 0; i < 2; i++) assert.equal((await postJson(base(), `/api/ops/dna/users/${listener.userId}/recompute`, {}, bearer(ADMIN))).status, 200);
    const history = await get(`/api/ops/dna/users/${listener.userId}/history`);
    assert.equal(history.status, 200, JSON.stringify(history.body));
    assert.equal(history.body.kept, 100);
    assert.deepEqual(
      history.body.entries.map((e: Json) => e.trigger),
      ['recompute', 'recompute'],
    );
    assert.equal(history.body.entries[0].newSignals, 0, 'nothing new between the two recomputes');
    assert.deepEqual(history.body.entries[0].drift.behavioral, 0);
    for (const [path, token, status, code] of [
      [`/api/ops/dna/users/${listener.userId}/history?limit=0`, ADMIN, 400, 'VALIDATION_FAILED'],
      [`/api/ops/dna/users/${listener.userId}/history?limit=x`, ADMIN, 400, 'VALIDATION_FAILED'],
      [`/api/ops/dna/users/${listener.userId}/history?since=1`, ADMIN, 400, 'VALIDATION_FAILED'],
      ['/api/ops/dna/users/nobody/history', ADMIN, 400, 'VALIDATION_FAILED'],
      [`/api/ops/dna/users/${randomUUID()}/history`, ADMIN, 404, 'NOT_FOUND'],
      [`/api/ops/dna/users/${listener.userId}/history`, listener.accessToken, 403, 'FORBIDDEN'],
    ] as const) {
      const res = await get(path, token);
      assert.equal(res.status, status, `${path} → ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error, code);
    }
  });
});
