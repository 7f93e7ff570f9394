import assert from 'node:assert/strict';
import { BACKPLANE_KINDS, type Backplane } from '../../support/backplanes.js';

const NOW = Date.now();
const MIN = 60_000;
const user = (limit: number) => ({ key: 'user:u1', limit });
const device = (key: string, limit: number) => ({ key: `device:${key}`, limit });

for (const kind of BACKPLANE_KINDS) {
  describe(`Backplane slots: ${kind.name}`, () => {
    let all: Backplane[];
    let close: () => Promise<void>;
    beforeEach(async () => {
      ({ all, close } = await kind.make(2));
    });
    afterEach(async () => close());
    const tables = () => all.map((b) => b.slots('probe'));

    it('bounds every group a member joins, counts a member once, and refuses without changing anything', async () => {
      const [a, b] = tables();
      assert.deepEqual(await a.claim('u1', [user(2), device('d1', 5)], 's1', 'room1', NOW, NOW + MIN), { ok: true });
      assert.deepEqual(
        await b.claim('u1', [user(2), device('d2', 5)], 's2', 'room2', NOW, NOW + MIN),
        { ok: true },
        'another process counts in the same groups',
      );
      assert.deepEqual(await a.claim('u1', [user(2), device('d1', 5)], 's3', 'room3', NOW, NOW + MIN), { ok: false, group: 'user:u1', held: 2 });
      assert.deepEqual(await b.members('u1', 'device:d1', NOW), ['s1'], 'the refused claim added nothing to its other group');
      assert.deepEqual(
        await b.claim('u1', [user(2), device('d1', 5)], 's1', 'room9', NOW, NOW + MIN),
        { ok: true },
        'the same member again counts once (a resume elsewhere)',
      );
      assert.deepEqual(await a.members('u1', 'user:u1', NOW), ['s1', 's2']);
      assert.deepEqual(await a.claim('u1', [device('d3', 0)], 'sx', 'r', NOW, NOW + MIN), { ok: false, group: 'device:d3', held: 0 });
    });

    it('only the latest holder releases or refreshes a member; a lapsed member frees its place', async () => {
      const [a, b] = tables();
      await a.claim('u1', [user(1)], 's1', 'old-room', NOW, NOW + MIN);
      await b.claim('u1', [user(1)], 's1', 'new-room', NOW, NOW + MIN); // handed over
      assert.equal(await a.release('u1', ['user:u1'], 's1', 'old-room'), false);
      assert.equal(await a.refresh('u1', ['user:u1'], 's1', 'old-room', NOW, NOW + 2 * MIN), false);
      assert.deepEqual(await a.members('u1', 'user:u1', NOW), ['s1']);
      assert.equal(await b.refresh('u1', ['user:u1'], 's1', 'new-room', NOW + MIN / 2, NOW + 2 * MIN), true);
      assert.deepEqual(await a.members('u1', 'user:u1', NOW + 1.5 * MIN), ['s1'], 'refreshed past its first expiry');
      assert.equal(await b.release('u1', ['user:u1'], 's1', 'new-room'), true);
      assert.deepEqual(await a.members('u1', 'user:u1', NOW), []);

      await a.claim('u1', [user(1)], 's2', 'crashed', NOW, NOW + 1000);
      assert.equal((await b.claim('u1', [user(1)], 's3', 'r3', NOW + 500, NOW + MIN)).ok, false);
      assert.deepEqual(
        await b.claim('u1', [user(1)], 's3', 'r3', NOW + 1000, NOW + MIN),
        { ok: true },
        'a holder that stopped refreshing loses its place at the expiry',
      );
    });

    it('concurrent claims never pass the bound together', async () => {
      const [a, b] = tables();
      const results = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).claim('u1', [user(5)], `s${i}`, `r${i}`, NOW, NOW + MIN)));
      assert.equal(results.filter((r) => r.ok).length, 5);
      assert.equal((await a.members('u1', 'user:u1', NOW)).length, 5);
    });
  });
}
