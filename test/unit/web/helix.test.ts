import assert from 'node:assert/strict';
import { eventBases, helixGeometry, MAX_RUNGS, turnsFor } from '../../../web/src/ops/mediaidHelix.js';

describe('web/ops DNA helix geometry (seed 002 "visualize DNA helix")', () => {
  it('draws one rung per ATGC base, in sequence order, between the two strands', () => {
    const g = helixGeometry('AATTGC', 0, 640, 120);
    assert.deepEqual(
      g.rungs.map((r) => r.base),
      ['A', 'A', 'T', 'T', 'G', 'C'],
    );
    for (const r of g.rungs) {
      assert.ok(Math.abs(r.y1 - 60 + (r.y2 - 60)) < 0.2, 'the two ends are mirror images about the middle');
      assert.ok(r.x > 0 && r.x < 640);
    }
    assert.ok(
      g.rungs.every((r, i) => i === 0 || r.x > g.rungs[i - 1]!.x),
      'left to right',
    );
    assert.match(g.strands[0], /^M14 /);
    assert.equal(g.more, 0);
  });

  it('twists more as interactions are mirrored in: 1.5 turns for none, +1 per tenfold, at most 6', () => {
    assert.equal(turnsFor(0), 1.5);
    assert.equal(turnsFor(9), 2.5);
    assert.equal(turnsFor(99), 3.5);
    assert.equal(turnsFor(1e9), 6);
    assert.ok(helixGeometry('AT', 500, 640, 120).turns > helixGeometry('AT', 5, 640, 120).turns);
  });

  it('keeps the drawing bounded and ignores what is not a base', () => {
    const g = helixGeometry('A'.repeat(MAX_RUNGS + 7) + 'x<script>', 3, 640, 120);
    assert.equal(g.rungs.length, MAX_RUNGS);
    assert.equal(g.more, 7);
    assert.deepEqual(helixGeometry('', 0, 640, 120).rungs, []);
  });

  it("a listener's events add bases: genres heard T, actions A, money G, places C, in proportion, at least one each", () => {
    // The DNA of a listener with no profile and 163 events' worth of mirrored signals.
    const bases = eventBases({ cultural: { strength: 15.8 }, behavioral: { strength: 8.4 }, economic: { strength: 0 }, spatial: { strength: 0.3 } });
    assert.equal(bases, 'TTTTTTTTAAAAC');
    assert.equal(eventBases({ cultural: { strength: 500 } }).length, 12, 'bounded per domain');
    assert.equal(eventBases({ cultural: { strength: 0 } }), '', 'no events, no bases');
    assert.equal(helixGeometry(bases, 163, 640, 120).rungs.length, 13);
  });
});
