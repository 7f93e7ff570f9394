import assert from 'node:assert/strict';
import { pino } from 'pino';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { LocalLeaderboardStore } from '../../../persistence/leaderboard/LocalLeaderboardStore.js';
import { CustomLeaderboardStore } from '../../../persistence/leaderboard/boardTables.js';
import { CUSTOM_LEADERBOARD_ROUTES } from '../../../src/http/leaderboardOpsRoutes.js';
import { adminGate } from '../../../src/http/authGates.js';
import { mount } from '../../../src/http/route.js';
import { buildRouter } from '../../support/httpRouter.js';
import { leaderboardRoutes } from '../../../src/http/leaderboardRoutes.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers read field by field
type Json = any;
const TOKEN = 'custom-boards-admin-token-0123456789';
const NOW = Date.parse('2026-11-24T12:00:00.000Z');

/** Leaderboard create/edit/delete over HTTP, definitions in Postgres, rows from a live counter board. */
describe('ops custom leaderboards: create, edit, delete', function () {
  this.timeout(30_000);
  let db: TestDatabase;
  let handle: (r: Request) => Promise<Response>;
  const audit: Array<Record<string, unknown>> = [];

  const call = async (method: string, path: string, body?: unknown, token: string | null = TOKEN) => {
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await handle(new Request(`http://ops.test${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }));
    return { status: res.status, body: (await res.json()) as Json, headers: res.headers };
  };

  before(async () => {
    db = await createTestDatabase();
    const store = new LocalLeaderboardStore();
    // artists.plays (day): burna 9, wizkid 7, tems 4, asake 2
    for (const [id, name, n] of [
      ['artist_burna_boy', 'Burna Boy', 9],
      ['artist_wizkid', 'Wizkid', 7],
      ['artist_tems', 'Tems', 4],
      ['artist_asake', 'Asake', 2],
    ] as const)
      await store.incrementMany([{ leaderboard: 'artists.plays', entityId: id, by: n, name }], NOW);
    const log = pino({ level: 'silent' });
    const boards = new CustomLeaderboardStore(db.sql);
    const routes = [
      ...leaderboardRoutes(store, { maxLimit: 100, custom: boards, now: () => NOW }),
      ...mount(CUSTOM_LEADERBOARD_ROUTES, {
        store,
        boards,
        admin: adminGate(TOKEN),
        audit: { info: (o: Record<string, unknown>) => audit.push(o) },
        now: () => NOW,
      }),
    ];
    const router = buildRouter(routes, log) as unknown as { handler(r: Request): Promise<Response> };
    handle = (r) => router.handler(r);
  });
  after(async () => db?.drop());

  it('creates a line-up board ranked among itself, with names and ranks on the whole board; a second create with its id is 409', async () => {
    assert.equal((await call('GET', '/api/ops/custom-leaderboards', undefined, null)).status, 401);
    const created = await call('POST', '/api/ops/custom-leaderboards', {
      title: 'Lagos Fest line-up',
      base: 'artists.plays',
      window: 'day',
      entityIds: ['artist_tems', 'artist_wizkid', 'artist_nobody', 'artist_tems'],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.id, 'custom.lagos-fest-line-up');
    assert.equal(created.headers.get('location'), '/api/ops/custom-leaderboards/custom.lagos-fest-line-up');
    assert.deepEqual(created.body.entityIds, ['artist_tems', 'artist_wizkid', 'artist_nobody'], 'duplicates dropped');
    assert.deepEqual(
      created.body.entries.map((e: Json) => [e.rank, e.name, e.score, e.baseRank]),
      [
        [1, 'Wizkid', 7, 2],
        [2, 'Tems', 4, 3],
        [3, null, 0, null],
      ],
    );
    assert.equal((await call('POST', '/api/ops/custom-leaderboards', { id: 'custom.lagos-fest-line-up', title: 'again', base: 'artists.plays' })).status, 409);
    const list = await call('GET', '/api/ops/custom-leaderboards');
    assert.deepEqual(
      list.body.leaderboards.map((b: Json) => b.id),
      ['custom.lagos-fest-line-up'],
    );
    assert.ok(list.body.bases.includes('artists.plays'));
    // Apps and screens read it like any board, without the admin token.
    const open = await call('GET', '/api/leaderboards/custom.lagos-fest-line-up?limit=2', undefined, null);
    assert.equal(open.status, 200);
    assert.deepEqual([open.body.kind, open.body.window, open.body.entries.map((e: Json) => e.name)], ['custom', 'day', ['Wizkid', 'Tems']]);
    assert.deepEqual((await call('GET', '/api/leaderboards', undefined, null)).body.custom, [
      { name: 'custom.lagos-fest-line-up', title: 'Lagos Fest line-up', kind: 'custom', base: 'artists.plays', window: 'day', lineup: 3 },
    ]);
    assert.equal((await call('GET', '/api/leaderboards/custom.lagos-fest-line-up?around=artist_tems', undefined, null)).status, 400);
    assert.equal((await call('GET', '/api/leaderboards/custom.nope', undefined, null)).status, 404);
  });

  it('refuses a base that is not a counter board, an unknown window, a long line-up and a bad id, with field details', async () => {
    for (const [body, field] of [
      [{ title: 'x', base: 'artists.trending' }, 'base'],
      [{ title: 'x', base: 'artists.plays', window: 'year' }, 'window'],
      [{ title: 'x', base: 'artists.plays', entityIds: Array.from({ length: 51 }, (_, i) => `a${i}`) }, 'entityIds'],
      [{ id: 'artists.plays', title: 'x', base: 'artists.plays' }, 'id'],
      [{ title: '!!!', base: 'artists.plays' }, 'id'],
    ] as const) {
      const res = await call('POST', '/api/ops/custom-leaderboards', body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.ok(
        res.body.details.some((d: Json) => d.field === field),
        `${field} in ${JSON.stringify(res.body.details)}`,
      );
    }
  });

  it('edits a board (a board without a line-up is the counter board under its own title) and deletes it; each change is audited', async () => {
    const edited = await call('PUT', '/api/ops/custom-leaderboards/custom.lagos-fest-line-up', {
      title: 'Top of the day',
      base: 'artists.plays',
      window: 'day',
    });
    assert.equal(edited.status, 200, JSON.stringify(edited.body));
    assert.equal(edited.body.title, 'Top of the day');
    assert.deepEqual(
      edited.body.entries.map((e: Json) => e.name),
      ['Burna Boy', 'Wizkid', 'Tems', 'Asake'],
    );
    assert.equal(
      (await call('PUT', '/api/ops/custom-leaderboards/custom.lagos-fest-line-up', { id: 'custom.other', title: 'x', base: 'artists.plays' })).status,
      400,
      'the id stays',
    );
    assert.equal((await call('PUT', '/api/ops/custom-leaderboards/custom.nope', { title: 'x', base: 'artists.plays' })).status, 404);
    const deleted = await call('DELETE', '/api/ops/custom-leaderboards/custom.lagos-fest-line-up');
    assert.deepEqual(deleted.body, { id: 'custom.lagos-fest-line-up', deleted: true });
    assert.equal((await call('DELETE', '/api/ops/custom-leaderboards/custom.lagos-fest-line-up')).status, 404);
    assert.deepEqual((await call('GET', '/api/ops/custom-leaderboards')).body.leaderboards, []);
    assert.deepEqual(
      audit.map((a) => a.action),
      ['create_leaderboard', 'edit_leaderboard', 'delete_leaderboard'],
    );
  });
});
