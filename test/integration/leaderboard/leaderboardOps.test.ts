import assert from 'node:assert/strict';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { startServerProcess, type ServerProcess } from '../../support/serverProcess.js';
import { bearer } from '../../support/auth.js';

const ADMIN = 'ops-leaderboards-admin-token-0123456789';
const DAY = 86_400_000;

interface Board {
  name: string;
  resettable: boolean;
  entries: Array<{ entityId: string; score: number }>;
}

/**
 * Leaderboards viewed and reset from /ops, with the Local store (no REDIS_URL), which is rebuilt
 * from the Postgres rollups at every boot. A reset must stay a reset after a restart; what was counted after
 * it must come back.
 */
describe('ops leaderboards: view, reset, durable across a restart (Local store)', function () {
  this.timeout(120_000);
  let db: TestDatabase;
  let server: ServerProcess;
  const start = async () => (server = await startServerProcess({ DATABASE_URL: db.url, REDIS_URL: undefined, ADMIN_TOKEN: ADMIN }));
  const restart = async () => {
    assert.equal(await server.stop('SIGTERM'), 0);
    await start();
  };
  const board = async (name: string, window = 'day'): Promise<Board> => {
    const res = await fetch(`${server.baseUrl}/api/ops/leaderboards?window=${window}&limit=10`, { headers: bearer(ADMIN) });
    assert.equal(res.status, 200);
    return ((await res.json()) as { leaderboards: Board[] }).leaderboards.find((b) => b.name === name)!;
  };
  const scores = (b: Board) => b.entries.map((e) => [e.entityId, e.score]);
  const reset = (name: string, body: unknown, token = ADMIN) =>
    fetch(`${server.baseUrl}/api/ops/leaderboards/${encodeURIComponent(name)}/reset`, {
      method: 'POST',
      headers: { ...bearer(token), 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  /** What the rollup processor would have written: visits of artists today (day bucket) and all-time. */
  const setRollups = async (visits: Record<string, number>) => {
    const today = new Date(Math.floor(Date.now() / DAY) * DAY);
    for (const [artist, value] of Object.entries(visits)) {
      for (const [period, at] of [
        ['day', today],
        ['all', new Date(0)],
      ] as const) {
        await db.sql.query(
          `INSERT INTO coliseum_metrics (entity_type, entity_id, metric, period, bucket_start, value) VALUES ('artist', ?, 'station_visits', ?, ?, ?)
           ON CONFLICT (entity_type, entity_id, metric, period, bucket_start) DO UPDATE SET value = excluded.value`,
          [artist, period, at, value],
        );
      }
    }
  };

  before(async () => {
    db = await createTestDatabase();
    await start(); // migrates
    await setRollups({ artist_a: 5, artist_b: 3 });
    await restart(); // restores the Local store from those rollups
  });
  after(async () => {
    const code = await server?.stop('SIGTERM');
    await db?.drop();
    assert.equal(code, 0);
  });

  it('lists every static board with its top rows for the window asked, admin only, 400 on a bad window', async () => {
    assert.deepEqual(scores(await board('artists.visits')), [
      ['artist_a', 5],
      ['artist_b', 3],
    ]);
    assert.equal((await board('artists.trending')).resettable, false);
    assert.equal((await fetch(`${server.baseUrl}/api/ops/leaderboards`)).status, 401);
    const bad = await fetch(`${server.baseUrl}/api/ops/leaderboards?window=year&limit=99`, { headers: bearer(ADMIN) });
    assert.equal(bad.status, 400);
    assert.deepEqual(((await bad.json()) as { details: Array<{ field: string }> }).details.map((d) => d.field).sort(), ['limit', 'window']);
  });

  it('refuses bad resets: 401 without the token, 400 with field details, 404 for an unknown board', async () => {
    assert.equal((await reset('artists.visits', { confirm: 'artists.visits' }, 'not-the-admin-token-000')).status, 401);
    const unconfirmed = await reset('artists.visits', { confirm: 'artists.plays' });
    assert.equal(unconfirmed.status, 400);
    assert.deepEqual(
      ((await unconfirmed.json()) as { details: Array<{ field: string }> }).details.map((d) => d.field),
      ['confirm'],
    );
    const missing = await reset('artists.visits', {});
    assert.equal(missing.status, 400);
    assert.deepEqual(
      ((await missing.json()) as { details: Array<{ field: string }> }).details.map((d) => d.field),
      ['confirm'],
    );
    const derived = await reset('artists.trending', { confirm: 'artists.trending' });
    assert.equal(derived.status, 400);
    assert.deepEqual(
      ((await derived.json()) as { details: Array<{ field: string }> }).details.map((d) => d.field),
      ['leaderboard'],
    );
    assert.equal((await reset('no.such.board', { confirm: 'no.such.board' })).status, 404);
    assert.equal((await reset('votes.never-voted', { confirm: 'votes.never-voted' })).status, 404);
    assert.equal((await reset('kpi.totals', { confirm: 'kpi.totals' })).status, 404, 'the KPI counters are not a public board');
    assert.deepEqual(
      scores(await board('artists.visits')),
      [
        ['artist_a', 5],
        ['artist_b', 3],
      ],
      'nothing was reset',
    );
  });

  it('resets a board in every window, audits it, and it stays reset after a restart; later counts come back', async () => {
    const res = await reset('artists.visits', { confirm: 'artists.visits' });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { leaderboard: string; entries: number; durable: boolean };
    assert.equal(body.leaderboard, 'artists.visits');
    assert.equal(body.entries, 4, 'a and b in the day and all-time buckets');
    for (const window of ['day', 'week', 'all']) assert.deepEqual(scores(await board('artists.visits', window)), [], window);
    await new Promise((r) => setTimeout(r, 200));
    assert.match(server.output(), /"component":"ops-audit"[^\n]*"action":"reset_leaderboard"[^\n]*"leaderboard":"artists.visits"/);

    // The rollups are not touched by a reset; the restart must not bring the old counts back.
    await restart();
    for (const window of ['day', 'all']) assert.deepEqual(scores(await board('artists.visits', window)), [], `after restart, ${window}`);

    // Two visits of artist_a after the reset reach the rollups (5 → 7): only those two come back.
    await setRollups({ artist_a: 7, artist_b: 3 });
    await restart();
    assert.deepEqual(scores(await board('artists.visits')), [['artist_a', 2]]);
    assert.deepEqual(scores(await board('artists.visits', 'all')), [['artist_a', 2]]);
    const listed = (await (await fetch(`${server.baseUrl}/api/ops/leaderboards`, { headers: bearer(ADMIN) })).json()) as {
      resets: Array<{ leaderboard: string; entries: number }>;
    };
    assert.deepEqual(
      listed.resets.map((r) => [r.leaderboard, r.entries]),
      [['artists.visits', 4]],
    );
  });
});
