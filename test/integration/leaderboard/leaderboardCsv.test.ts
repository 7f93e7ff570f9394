import assert from 'node:assert/strict';
import { pino } from 'pino';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { LocalLeaderboardStore } from '../../../persistence/leaderboard/LocalLeaderboardStore.js';
import { CustomLeaderboardStore } from '../../../persistence/leaderboard/boardTables.js';
import { buildRouter } from '../../support/httpRouter.js';
import { leaderboardRoutes } from '../../../src/http/leaderboardRoutes.js';

const NOW = Date.parse('2026-11-25T12:00:00.000Z');

/** Seed 004's export: any board (fixed or operator-defined) as a CSV download of what the JSON answer holds. */
describe('leaderboard CSV export (GET /api/leaderboards/:leaderboard?format=csv)', function () {
  this.timeout(30_000);
  let db: TestDatabase;
  let handle: (r: Request) => Promise<Response>;

  before(async () => {
    db = await createTestDatabase();
    const store = new LocalLeaderboardStore();
    for (const [id, name, n] of [
      ['artist_burna_boy', 'Burna Boy', 9],
      ['artist_wizkid', 'Wizkid, "Big Wiz"', 7],
      ['artist_x', '=HYPERLINK("http://evil")', 4],
    ] as const)
      await store.incrementMany([{ leaderboard: 'artists.plays', entityId: id, by: n, name }], NOW);
    const boards = new CustomLeaderboardStore(db.sql);
    await boards.create({ id: 'custom.lagos', title: 'Lagos', base: 'artists.plays', window: 'day', entityIds: ['artist_wizkid', 'artist_burna_boy'] });
    const router = buildRouter(leaderboardRoutes(store, { maxLimit: 100, custom: boards, now: () => NOW }), pino({ level: 'silent' })) as unknown as {
      handler(r: Request): Promise<Response>;
    };
    handle = (r) => router.handler(r);
  });
  after(async () => db?.drop());

  const get = (path: string) => handle(new Request(`http://coliseum.test${path}`));

  it('answers the same rows as the JSON, quoted per RFC 4180, as an attachment named after board, window and day', async () => {
    const json = (await (await get('/api/leaderboards/artists.plays?window=day&limit=10')).json()) as {
      entries: Array<{ rank: number; name: string; score: number }>;
    };
    const res = await get('/api/leaderboards/artists.plays?window=day&limit=10&format=csv');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/csv; charset=utf-8');
    assert.equal(res.headers.get('content-disposition'), 'attachment; filename="artists.plays-day-2026-11-25.csv"');
    const lines = (await res.text()).split('\r\n');
    assert.equal(lines[0], 'rank,entity_id,name,score,previous_rank,trend,change,change_percent');
    assert.equal(lines.length, json.entries.length + 2, 'a header, a line per row, the closing CRLF');
    assert.match(lines[1], /^1,artist_burna_boy,Burna Boy,9,/);
    assert.match(lines[2], /^2,artist_wizkid,"Wizkid, ""Big Wiz""",7,/);
    assert.match(lines[3], /^3,artist_x,"'=HYPERLINK\(""http:\/\/evil""\)",4,/, 'a formula is neutralised');
  });

  it('exports an operator-defined board in its own window, and refuses an unknown format', async () => {
    const res = await get('/api/leaderboards/custom.lagos?format=csv');
    assert.equal(res.status, 200);
    const rows = (await res.text())
      .trim()
      .split('\r\n')
      .slice(1)
      .map((l) => l.split(',')[1]);
    assert.deepEqual(rows, ['artist_burna_boy', 'artist_wizkid']);
    const bad = await get('/api/leaderboards/artists.plays?format=xlsx');
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { message: string }).message, /format must be json, csv/);
  });
});
