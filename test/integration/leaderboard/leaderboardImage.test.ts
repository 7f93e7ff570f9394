import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import sharp from 'sharp';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { LocalLeaderboardStore } from '../../../persistence/leaderboard/LocalLeaderboardStore.js';
import { CustomLeaderboardStore } from '../../../persistence/leaderboard/boardTables.js';
import { LeaderboardImages } from '../../../features/leaderboard/boards.js';
import { buildRouter } from '../../support/httpRouter.js';
import { leaderboardRoutes } from '../../../src/http/leaderboardRoutes.js';
import { IMAGE_WIDTH, imageHeight } from '../../../systems/leaderboard/leaderboardImage.js';

const NOW = Date.parse('2026-11-25T12:00:00.000Z');

/** The jumbotron's picture export: any board as a PNG of at most LEADERBOARD_IMAGE_MAX_ROWS rows, drawn by sharp. */
describe('leaderboard picture export (GET /api/leaderboards/:leaderboard?format=png)', function () {
  this.timeout(30_000);
  let db: TestDatabase;
  const handlers: Record<string, (r: Request) => Promise<Response>> = {};

  before(async () => {
    db = await createTestDatabase();
    const store = new LocalLeaderboardStore();
    for (let i = 0; i < 8; i++)
      await store.incrementMany(
        [{ leaderboard: 'artists.plays', entityId: `artist_${i}`, by: 10 + i, name: `Ẹ̀gbẹ́ Jùjú Orchestra number ${i} with a long name` }],
        NOW,
      );
    const boards = new CustomLeaderboardStore(db.sql);
    await boards.create({ id: 'custom.lagos', title: 'Lagos line-up', base: 'artists.plays', window: 'day', entityIds: ['artist_1', 'artist_2'] });
    const route = (images: LeaderboardImages) => {
      const router = buildRouter(leaderboardRoutes(store, { maxLimit: 100, custom: boards, now: () => NOW, images }), pino({ level: 'silent' })) as unknown as {
        handler(r: Request): Promise<Response>;
      };
      return (r: Request) => router.handler(r);
    };
    handlers.normal = route(new LeaderboardImages({ cacheEntries: 8, maxRows: 5, maxConcurrent: 2 }));
    handlers.busy = route(new LeaderboardImages({ cacheEntries: 8, maxRows: 5, maxConcurrent: 1 }));
  });
  after(async () => db?.drop());

  const get = (path: string, which = 'normal') => handlers[which](new Request(`http://coliseum.test${path}`));

  it('answers a PNG attachment of the board, at most maxRows rows tall, named after board, window and day', async () => {
    const res = await get('/api/leaderboards/artists.plays?window=day&limit=10&format=png');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/png');
    assert.equal(res.headers.get('content-disposition'), 'attachment; filename="artists.plays-day-2026-11-25.png"');
    const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['png', IMAGE_WIDTH, imageHeight(5)], '10 asked, 5 drawn');
  });

  it('draws an operator-defined board, and a smaller page is a shorter picture', async () => {
    const res = await get('/api/leaderboards/custom.lagos?format=png');
    assert.equal(res.status, 200);
    const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
    assert.equal(meta.height, imageHeight(2));
  });

  it('past maxConcurrent renders at once answers 429 with Retry-After rather than queueing', async () => {
    const [a, b] = await Promise.all([
      get('/api/leaderboards/artists.plays?window=week&format=png', 'busy'),
      get('/api/leaderboards/artists.plays?window=all&format=png', 'busy'),
    ]);
    const statuses = [a.status, b.status].sort();
    assert.deepEqual(statuses, [200, 429]);
    const refused = a.status === 429 ? a : b;
    assert.equal(refused.headers.get('retry-after'), '1');
    assert.equal(((await refused.json()) as { error: string }).error, 'RATE_LIMITED');
  });

  it('refuses an unknown format, naming the ones it has', async () => {
    const bad = await get('/api/leaderboards/artists.plays?format=gif');
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { message: string }).message, /format must be json, csv, png/);
  });

  it('answers every format and limit the published contract offers, in the media types it names', async () => {
    const openapi = JSON.parse(readFileSync(new URL('../../../clients/contract/openapi.json', import.meta.url), 'utf8')) as {
      paths: Record<
        string,
        {
          get: {
            parameters: Array<{ name: string; schema: { enum?: string[]; maximum?: number } }>;
            responses: Record<string, { content: Record<string, unknown> }>;
          };
        }
      >;
    };
    const op = openapi.paths['/api/leaderboards/{leaderboard}'].get;
    const param = (name: string) => op.parameters.find((p) => p.name === name)!.schema;
    assert.deepEqual(param('format').enum, ['json', 'csv', 'png']);
    const media = Object.keys(op.responses['200'].content);
    for (const format of param('format').enum!) {
      const res = await get(`/api/leaderboards/artists.plays?format=${format}&limit=${param('limit').maximum}`);
      assert.equal(res.status, 200, format);
      assert.ok(
        media.includes(res.headers.get('content-type')!.split(';')[0]),
        `${format} answered ${res.headers.get('content-type')}, the contract names ${media.join(', ')}`,
      );
    }
    const over = await get(`/api/leaderboards/artists.plays?limit=${param('limit').maximum! + 1}`);
    assert.equal(over.status, 400);
  });
});
