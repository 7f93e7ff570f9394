import assert from 'node:assert/strict';
import { FlickTracker, dragPreviewFrequency, releaseVelocity } from '../../../web/src/play/gesture.js';
import { predictStation } from '../../../systems/session/momentum.js';

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
    assert.equal(
      releaseVelocity(
        [
          { t: 0, x: 0, y: 0 },
          { t: 0, x: 160, y: 0 },
        ],
        100,
      ),
      10_000,
    ); // 160 px over the 16 ms floor
  });

  it('end without start is nothing', () => {
    assert.deepEqual(new FlickTracker().end(1, 1, 1), { kind: 'none' });
  });

  it('the drag preview moves the way the release will glide (right = up the band, both)', () => {
    const f = new FlickTracker();
    f.start(100, 0, 0);
    for (let t = 10; t <= 100; t += 10) f.move(100 + t * 2, 0, t); // dragging right at 2,000 px/s
    const preview = dragPreviewFrequency(99.9, f.dx, 10); // 10 px per MHz
    const out = f.end(300, 0, 100);
    assert.ok(out.kind === 'swipe');
    assert.ok(preview > 99.9, `preview while dragging right: ${preview}`);
    assert.equal(out.swipe.direction, 'right');
    assert.ok(predictStation(99.9, out.swipe, [88.1, 99.9, 105.5]).target > 99.9, 'the glide after the release goes up too');
    assert.ok(dragPreviewFrequency(99.9, -40, 10) < 99.9, 'dragging left previews lower');
  });
});
