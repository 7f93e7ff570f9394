import assert from 'node:assert/strict';
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { useTestDatabase } from '../support/db.js';
import { unitOfWork } from '../../persistence/db.js';
import { User } from '../../persistence/entities/session.js';
import { DeviceRepository } from '../../persistence/auth/DeviceRepository.js';
import { CatalogRepository } from '../../persistence/catalog/CatalogRepository.js';
import { ArtistAssetStore } from '../../persistence/assets/ArtistAssetStore.js';

/**
 * Regression: every `em.flush()` runs MikroORM's commit inside an AsyncLocalStorage, and on Node 20–22
 * the first such run turns on promise hooks for every promise of the process, for good. The server's
 * sign-in flushed an empty unit of work, so from the first join on each promise paid the hooks (140–220 ns
 * each, docs/benchmarks-archive.md "Micro-benchmarks: prepared statements and promise hooks"). The server's writes must never enter one.
 */
describe('issue: an empty EntityManager flush turned on promise hooks for the whole process', function () {
  this.timeout(60_000);
  const db = useTestDatabase();
  const runs: string[] = [];
  const original = { run: AsyncLocalStorage.prototype.run, enterWith: AsyncLocalStorage.prototype.enterWith };

  before(() => {
    // Records who enters an AsyncLocalStorage: the first `run` or `enterWith` is what turns the hooks on.
    AsyncLocalStorage.prototype.run = function (this: AsyncLocalStorage<unknown>, ...args: Parameters<typeof original.run>) {
      runs.push(new Error().stack ?? '');
      return original.run.apply(this, args);
    } as typeof original.run;
    AsyncLocalStorage.prototype.enterWith = function (this: AsyncLocalStorage<unknown>, store: unknown) {
      runs.push(new Error().stack ?? '');
      return original.enterWith.call(this, store);
    };
  });
  after(() => Object.assign(AsyncLocalStorage.prototype, original));
  beforeEach(() => void runs.splice(0));

  const mikroOrmRuns = () => runs.filter((stack) => stack.includes('@mikro-orm'));

  it('the sign-in, the demo catalog load and an artist asset save write without entering one', async () => {
    const devices = new DeviceRepository(db().orm);
    const userId = randomUUID();
    const outcome = await devices.createUserWithDevice({ userId, deviceId: randomUUID(), secretHash: randomUUID(), deviceModel: 'test', now: new Date() });
    assert.equal(outcome, 'created');
    const catalog = await new CatalogRepository(db().orm).ensureDemoCatalog();
    assert.ok(catalog.loaded && catalog.artists > 0);
    const [artist] = await db().sql.query<{ id: string }>('SELECT id FROM artists ORDER BY id LIMIT 1');
    const urls = { heroImage: '/h.png', deepEtchedImage: '/d.png', thumbnail: '/t.png' };
    await new ArtistAssetStore(db().orm).save(
      {
        artistId: artist.id,
        palette: ['#000000'],
        orbGlowColor: null,
        originalWidth: 4,
        originalHeight: 4,
        backgroundRemoval: 'none',
        confidence: null,
        rimLight: false,
        urls,
      },
      [{ variant: '@1x', contentType: 'image/png', width: 4, height: 4, bytes: Buffer.from([1, 2, 3]) }],
      new Date(),
    );
    // What each wrote is there: skipping the flush lost nothing.
    const [{ users }] = await db().sql.query<{ users: number }>('SELECT count(*)::int AS users FROM users WHERE id = ?', [userId]);
    const [{ images }] = await db().sql.query<{ images: number }>('SELECT count(*)::int AS images FROM artist_images WHERE artist_id = ?', [artist.id]);
    assert.deepEqual([users, images], [1, 1]);
    assert.deepEqual(mikroOrmRuns(), [], 'no MikroORM AsyncLocalStorage run: promise hooks stay off');
  });

  it('a unit of work with created entities still flushes them (and that is the only path that enters one)', async () => {
    const id = randomUUID();
    await unitOfWork(db().orm, async (em) => void em.create(User, { id, deviceId: id, firstLaunch: true, createdAt: new Date(), lastSeenAt: new Date() }));
    const [{ n }] = await db().sql.query<{ n: number }>('SELECT count(*)::int AS n FROM users WHERE id = ?', [id]);
    assert.equal(n, 1, 'the created user was flushed');
    assert.ok(mikroOrmRuns().length > 0, "the flush ran inside MikroORM's AsyncLocalStorage (so the probe above can see one)");
  });
});
