import assert from 'node:assert/strict';
import { FlickTracker, releaseVelocity } from '../../../web/src/play/gesture.js';

describe('web/play gesture: drag-flick → swipe', () => {
  it('measures the release velocity over the last 100 ms (850 px/s right → right swipe at 850)', () => {
    const f = new FlickTracker();
    f.start(100, 200, 0);
    for (let t = 10; t <= 200; t += 10) f.move(100 + t * 0.85, 200, t); // 0.85 px/ms = 850 px/s
    const out = f.end(100 + 200 * 0.85, 200, 200);
    assert.deepEqual(out.kind === 'swipe' && out.swipe, { direction: 'right', velocity: 850 });
  });

  it('a leftward flick is a left swipe', () => {
    const f = new FlickTracker();
    f.start(500, 0, 1000);
    f.move(450, 0, 1020);
    f.move(380, 0, 1040);
    const out = f.end(300, 0, 1060);
    assert.equal(out.kind, 'swipe');
    assert.equal(out.kind === 'swipe' && out.swipe.direction, 'left');
    assert.equal(out.kind === 'swipe' && out.swipe.velocity, Math.round((200 * 1000) / 60));
  });

  it('a drag that stopped before release is not a flick', () => {
    const f = new FlickTracker();
    f.start(0, 0, 0);
    f.move(300, 0, 100);
    f.move(300, 0, 400);
    assert.deepEqual(f.end(300, 0, 420), { kind: 'none' });
  });

  it('a short press without travel is a tap at the release point', () => {
    const f = new FlickTracker();
    f.start(40, 50, 0);
    f.move(42, 51, 50);
    assert.deepEqual(f.end(42, 51, 90), { kind: 'tap', x: 42, y: 51 });
  });

  it('clamps to the protocol maximum (20000 px/s) and never divides by a zero time span', () => {
    const f = new FlickTracker();
    f.start(0, 0, 5);
    f.move(400, 0, 5);
    const out = f.end(800, 0, 5);
    assert.equal(out.kind === 'swipe' && out.swipe.velocity, 20_000);
    assert.equal(releaseVelocity([{ t: 0, x: 0, y: 0 }, { t: 0, x: 160, y: 0 }], 100), 10_000); // 160 px over the 16 ms floor
  });

  it('end without start is nothing', () => {
    assert.deepEqual(new FlickTracker().end(1, 1, 1), { kind: 'none' });
  });
});
