import assert from 'node:assert/strict';
import { RoomTicker, type Tickable } from '../../../rooms/RoomTicker.js';

/** A room that records the dt of every step it is given. */
function recorder(fail = false): Tickable & { dts: number[] } {
  const dts: number[] = [];
  return {
    dts,
    step(dt: number) {
      dts.push(dt);
      if (fail) throw new Error('boom');
    },
  };
}

describe('RoomTicker (one timer for every room)', () => {
  let clock = 0;
  const tickers: RoomTicker[] = [];
  const make = (options: Partial<ConstructorParameters<typeof RoomTicker>[0]> = {}) => {
    const t = new RoomTicker({ hz: 20, phases: 4, now: () => clock, sampleEvery: 8, ...options });
    tickers.push(t);
    return t;
  };
  beforeEach(() => (clock = 0));
  afterEach(() => tickers.splice(0).forEach((t) => t.stop()));

  it('spreads rooms round-robin over the slots: one firing steps one slot, every room steps once per period', () => {
    const ticker = make();
    const rooms = Array.from({ length: 8 }, () => recorder());
    rooms.forEach((r) => ticker.add(r));
    ticker.fire();
    assert.deepEqual(
      rooms.map((r) => r.dts.length),
      [1, 0, 0, 0, 1, 0, 0, 0],
      'first firing: slot 0 only',
    );
    for (let i = 0; i < 3; i++) ticker.fire();
    assert.ok(
      rooms.every((r) => r.dts.length === 1),
      'after `phases` firings every room stepped once',
    );
    assert.equal(ticker.stats().steps, 8);
  });

  it('gives each room the time since its own previous step', () => {
    const ticker = make({ phases: 2 });
    const a = recorder();
    const b = recorder();
    ticker.add(a); // slot 0, added at t=0
    clock = 10;
    ticker.add(b); // slot 1, added at t=10
    clock = 25;
    ticker.fire(); // slot 0 → a: 25 ms
    clock = 50;
    ticker.fire(); // slot 1 → b: 40 ms
    clock = 75;
    ticker.fire(); // slot 0 → a: 50 ms
    assert.deepEqual(a.dts, [25, 50]);
    assert.deepEqual(b.dts, [40]);
  });

  it('keeps stepping the other rooms when one throws, and reports the error', () => {
    const errors: unknown[] = [];
    const ticker = make({ phases: 1, onError: (err) => errors.push(err) });
    const bad = recorder(true);
    const good = recorder();
    ticker.add(bad);
    ticker.add(good);
    ticker.fire();
    ticker.fire();
    assert.equal(good.dts.length, 2);
    assert.equal(errors.length, 2);
    assert.equal(ticker.stats().errors, 2);
  });

  it('stops stepping a removed room; the last removal stops the timer, a new room starts it again', () => {
    const ticker = make({ phases: 1 });
    const a = recorder();
    const removeA = ticker.add(a);
    ticker.fire();
    removeA();
    ticker.fire();
    assert.equal(a.dts.length, 1);
    assert.equal(ticker.size, 0);
    assert.equal((ticker as unknown as { timer: unknown }).timer, undefined, 'no rooms: no timer keeps the process busy');
    ticker.add(recorder());
    assert.notEqual((ticker as unknown as { timer: unknown }).timer, undefined);
  });

  it('samples step durations one in `sampleEvery`', () => {
    const observed: number[] = [];
    const ticker = make({ phases: 1, sampleEvery: 4, observeStep: (ms) => observed.push(ms) });
    for (let i = 0; i < 10; i++) ticker.add(recorder());
    for (let i = 0; i < 4; i++) ticker.fire();
    assert.equal(observed.length, 10, '40 steps / 4');
  });

  it('rejects a rate it cannot keep', () => {
    assert.throws(() => new RoomTicker({ hz: 0, phases: 4, sampleEvery: 8 }), /hz must be in/);
    assert.throws(() => new RoomTicker({ hz: 5000, phases: 4, sampleEvery: 8 }), /hz must be in/);
    assert.throws(() => new RoomTicker({ hz: 120, phases: 20, sampleEvery: 8 }), /at most 1000/);
  });

  it('steps a room added twice only once per period', () => {
    const ticker = make({ phases: 2 });
    const a = recorder();
    ticker.add(a);
    ticker.add(a);
    for (let i = 0; i < 4; i++) ticker.fire();
    assert.equal(a.dts.length, 2);
    assert.equal(ticker.size, 1);
  });

  it('skips a deferred room until its due time, then gives it the whole elapsed time; add() makes it due at once', () => {
    const ticker = make({ phases: 1 });
    const a = recorder();
    const b = recorder();
    ticker.add(a);
    ticker.add(b);
    ticker.fire();
    ticker.deferFor(a, 120);
    for (clock = 50; clock <= 100; clock += 50) ticker.fire();
    assert.deepEqual(a.dts, [0], 'skipped before its due time');
    assert.deepEqual(b.dts, [0, 50, 50]);
    clock = 150;
    ticker.fire();
    assert.deepEqual(a.dts, [0, 150], 'due: stepped with everything since its last step');
    ticker.deferFor(a, 10_000);
    clock = 200;
    ticker.add(a); // an input arrived
    ticker.fire();
    assert.deepEqual(a.dts, [0, 150, 50]);
    assert.equal(ticker.size, 2, 'a deferred room is still registered');
  });

  it('a remover from an earlier add still removes the room; a second call does nothing', () => {
    const ticker = make({ phases: 2 });
    const a = recorder();
    const remove = ticker.add(a);
    ticker.add(a);
    remove();
    remove();
    assert.equal(ticker.size, 0);
    ticker.fire();
    ticker.fire();
    assert.deepEqual(a.dts, []);
  });

  it('on its real timer steps each room at `hz` on average, though timers round to whole ms', async () => {
    // 1000 / 30 / 3 = 11.1 ms per firing: a plain setInterval would run at 1000/11 = 90.9 firings/s.
    const ticker = new RoomTicker({ hz: 30, phases: 3, sampleEvery: 8 });
    tickers.push(ticker);
    const rooms = [recorder(), recorder(), recorder()];
    rooms.forEach((r) => ticker.add(r));
    await new Promise((r) => setTimeout(r, 1000));
    ticker.stop();
    for (const r of rooms) {
      // 1 s at 30 Hz = 30 steps; loose bounds: this checks the scheduling, not timer precision.
      assert.ok(r.dts.length >= 25 && r.dts.length <= 31, `steps ${r.dts.length}`);
      // Each dt is the real time since the room's previous step: positive, and its mean is the period;
      // single gaps jitter with machine load (a late firing is followed by a short one), so only loosely bounded.
      const dts = r.dts.slice(1);
      assert.ok(
        dts.every((dt) => dt > 0 && dt < 250),
        `dts ${r.dts.map((d) => d.toFixed(1)).join(' ')}`,
      );
      const mean = dts.reduce((a, b) => a + b, 0) / dts.length;
      assert.ok(mean > 28 && mean < 40, `mean dt ${mean.toFixed(1)} ms for a 33.3 ms period`);
    }
  });
});
