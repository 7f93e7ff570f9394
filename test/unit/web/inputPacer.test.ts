import assert from 'node:assert/strict';
import { InputPacer } from '../../../clients/ts/src/InputPacer.js';

function harness(options = {}) {
  let now = 0;
  const sent: Array<[string, unknown]> = [];
  const pacer = new InputPacer(
    (type, payload) => sent.push([type, payload]),
    () => now,
    { ratePerSec: 10, burst: 3, backoffMs: 1000, maxBackoffMs: 8000, maxQueued: 4, ...options },
  );
  return { pacer, sent, advance: (ms: number) => ((now += ms), pacer.flush()) };
}

describe('clients/ts InputPacer (a held key must not flood the server)', () => {
  it('lets a burst through, then paces at the rate; a held swipe key sends the latest swipe only', () => {
    const { pacer, sent, advance } = harness();
    for (let i = 0; i < 30; i++) pacer.input('swipe', { i }); // 30 key repeats at once
    assert.deepEqual(
      sent.map(([, p]) => (p as { i: number }).i),
      [0, 1, 2],
    );
    assert.equal(pacer.pending, 1, 'the other 27 collapsed into the newest');
    assert.equal(pacer.waitMs, 100);
    advance(100);
    assert.deepEqual(sent.at(-1), ['swipe', { i: 29 }]);
    assert.equal(pacer.pending, 0);
  });

  it('keeps captures and taps in order (bounded), and sends them before a waiting swipe', () => {
    const { pacer, sent, advance } = harness({ burst: 1 });
    pacer.input('swipe', { a: 1 });
    pacer.input('swipe', { a: 2 });
    pacer.input('capture', { opId: 'c1' });
    for (let i = 0; i < 6; i++) pacer.input('tap_orb', { orbId: `o${i}` });
    assert.equal(pacer.dropped, 3, 'the queue holds 4: the oldest inputs beyond it are dropped');
    for (let i = 0; i < 10; i++) advance(100);
    assert.deepEqual(
      sent.map(([t]) => t),
      ['swipe', 'tap_orb', 'tap_orb', 'tap_orb', 'tap_orb', 'swipe'],
    );
    assert.deepEqual(sent.at(-1), ['swipe', { a: 2 }]);
  });

  it('after RATE_LIMITED pauses, doubling while refusals keep coming, back to the base after a quiet spell', () => {
    const { pacer, sent, advance } = harness();
    pacer.rateLimited();
    pacer.input('swipe', { n: 1 });
    assert.equal(sent.length, 0);
    assert.equal(pacer.waitMs, 1000);
    advance(999);
    assert.equal(sent.length, 0);
    advance(1);
    assert.equal(sent.length, 1);
    pacer.rateLimited();
    assert.equal(pacer.waitMs, 0, 'nothing waits');
    pacer.input('swipe', { n: 2 });
    assert.equal(pacer.waitMs, 2000, 'a second refusal soon after doubles the pause');
    advance(2000);
    pacer.rateLimited();
    pacer.rateLimited();
    pacer.rateLimited();
    pacer.input('tune', { f: 99.9 });
    assert.equal(pacer.waitMs, 8000, 'capped');
    advance(40_000);
    pacer.rateLimited();
    pacer.input('tune', { f: 101.1 });
    assert.equal(pacer.waitMs, 1000, 'reset after a quiet spell');
  });
});
