import assert from 'node:assert/strict';
import { startBrowserEnv, type BrowserEnv } from './harness.js';
import { buildConnections, mulberry32, placeStar, type Star } from '../../systems/constellation/constellation.js';

const NAMES = [
  'Miriam Makeba',
  'Hugh Masekela',
  'Ali Farka Touré',
  "Youssou N'Dour",
  'Salif Keita',
  'Yemi Alade',
  'Angélique Kidjo',
  'Manu Dibango',
  'Osibisa',
  'Ebo Taylor',
];

/** A 50-star share grown the way captures grow one (placeStar, buildConnections), served in place of the API. */
function fiftyStarShare() {
  const rng = mulberry32(47);
  const kinds = ['ancestor', 'peer', 'influenced', 'contemporary'];
  const existing: Star[] = [];
  const connections: Array<{ fromStarId: string; toStarId: string; strength: number; type: string }> = [];
  const path: string[] = [];
  for (let i = 0; i < 50; i++) {
    const artistId = `artist_${i}`;
    const { position } = placeStar({ existing, discoveryPath: path.slice(-2), artistId, relationshipFrom: () => kinds[Math.floor(rng() * kinds.length)], rng });
    const genres = [['Afrobeats', 'Afropop'], ['Jazz', 'Soul'], ['Highlife'], ['Soul', 'Funk']][i % 4];
    for (const c of buildConnections({ artistId, genres }, existing, path.slice(-1)))
      connections.push({ fromStarId: `star_${c.from}`, toStarId: `star_${c.to}`, strength: c.strength, type: c.type });
    existing.push({ artistId, position, genres });
    path.push(artistId);
  }
  const stars = existing.map((s, i) => ({
    id: `star_${s.artistId}`,
    artist: { id: s.artistId, name: `${NAMES[i % NAMES.length]} ${Math.floor(i / NAMES.length) || ''}`.trim(), era: '1970s', genre: s.genres[0] },
    position: s.position,
  }));
  return {
    owner: { displayName: 'Ngozi' },
    message: null,
    views: 3,
    expiresAt: '2027-01-01T00:00:00.000Z',
    constellation: { stars, connections, clusters: [], insights: [] },
  };
}

/** The one sky module draws /shared (and /play, the journal, the ops user page): names never overlap. */
describe('browser: the constellation sky with 50 stars', function () {
  this.timeout(90_000);
  let env: BrowserEnv;

  before(async () => {
    env = await startBrowserEnv();
    const body = JSON.stringify(fiftyStarShare());
    await env.page.route('**/api/shared/*', (route) => route.fulfill({ status: 200, contentType: 'application/json', body }));
  });
  after(async () => env?.close());

  for (const [width, height] of [
    [390, 844],
    [1440, 900],
    [1920, 1080],
  ]) {
    it(`at ${width} px no two label boxes overlap, none leaves the sky, and the stars fill it`, async () => {
      const { page } = env;
      await page.setViewportSize({ width, height });
      await page.goto('/shared/AAAAAAAAAAAAAAAAAAAAAA');
      await page.waitForSelector('body[data-stars="50"]', { timeout: 15_000 });
      await page.waitForTimeout(200);
      // No named functions inside evaluate: the test's transpiler would wrap them in a helper the page lacks.
      const [sky, ...labels] = await page.evaluate(() =>
        [document.querySelector('#constellation')!, ...Array.from(document.querySelectorAll<HTMLElement>('.sky-label')).filter((e) => !e.hidden)]
          .map((e) => e.getBoundingClientRect())
          .map((b) => ({ x: b.x, y: b.y, w: b.width, h: b.height })),
      );
      assert.ok(labels.length >= 10, `only ${labels.length} names shown`);
      for (const [i, a] of labels.entries()) {
        assert.ok(
          a.x >= sky.x - 0.5 && a.y >= sky.y - 0.5 && a.x + a.w <= sky.x + sky.w + 0.5 && a.y + a.h <= sky.y + sky.h + 0.5,
          `label leaves the sky: ${JSON.stringify(a)} in ${JSON.stringify(sky)}`,
        );
        for (const b of labels.slice(i + 1)) {
          const overlap = a.x < b.x + b.w - 0.5 && b.x < a.x + a.w - 0.5 && a.y < b.y + b.h - 0.5 && b.y < a.y + a.h - 0.5;
          assert.ok(!overlap, `${JSON.stringify(a)} overlaps ${JSON.stringify(b)}`);
        }
      }
      const spread = (k: 'x' | 'y') => Math.max(...labels.map((l) => l[k])) - Math.min(...labels.map((l) => l[k]));
      assert.ok(spread('x') > sky.w * 0.5 && spread('y') > sky.h * 0.5, `names spread ${spread('x')}×${spread('y')} over ${sky.w}×${sky.h}`);
      const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
      assert.ok(scrollWidth <= innerWidth, `scrollWidth ${scrollWidth} > ${innerWidth}`);
      await env.screenshot(`sky50-shared-${width}`, page, { fullPage: false });
      // The page's HTML answers 404 for a share the database lacks (its data comes from the route above).
      assert.deepEqual(
        env.problems.filter((p) => !p.startsWith('404 GET') || !p.includes('/shared/AAAA')),
        [],
      );
    });
  }

  it('turns slowly (names move with their stars and still never overlap), and holds still under reduced motion', async () => {
    const { page } = env;
    await page.setViewportSize({ width: 1440, height: 900 });
    const boxes = () =>
      page.evaluate(() =>
        Array.from(document.querySelectorAll<HTMLElement>('.sky-label'))
          .filter((e) => !e.hidden)
          .map((e) => {
            const b = e.getBoundingClientRect();
            return { id: e.dataset.id!, x: b.x, y: b.y, w: b.width, h: b.height };
          }),
      );
    for (const motion of ['no-preference', 'reduce'] as const) {
      await page.emulateMedia({ reducedMotion: motion });
      await page.goto('/shared/AAAAAAAAAAAAAAAAAAAAAA');
      await page.waitForSelector('body[data-stars="50"]', { timeout: 15_000 });
      await page.waitForTimeout(500);
      const before = new Map((await boxes()).map((b) => [b.id, b]));
      await page.waitForTimeout(3000);
      const after = await boxes();
      const moved = after.filter((b) => before.has(b.id) && Math.hypot(b.x - before.get(b.id)!.x, b.y - before.get(b.id)!.y) > 0.5).length;
      if (motion === 'reduce') assert.equal(moved, 0, 'a still sky under reduced motion');
      else assert.ok(moved >= 5, `only ${moved} names moved in 3 s: the sky does not turn`);
      for (const [i, a] of after.entries())
        for (const b of after.slice(i + 1))
          assert.ok(
            !(a.x < b.x + b.w - 0.5 && b.x < a.x + a.w - 0.5 && a.y < b.y + b.h - 0.5 && b.y < a.y + a.h - 0.5),
            `${a.id} overlaps ${b.id} while turning`,
          );
    }
    await page.emulateMedia({ reducedMotion: 'no-preference' });
  });
});
