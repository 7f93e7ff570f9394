import assert from 'node:assert/strict';
import { LIT_SCALE, ringPoint, stageLayout } from '../../../web/src/play/stageRings.js';

/** The stages /play has at 390, 1440 and 1920 px (the stage less the side panel) and a cramped laptop. */
const STAGES = [
  { width: 390, height: 557, controls: 78, captionHeight: 52 },
  { width: 1030, height: 760, controls: 74, captionHeight: 86 },
  { width: 1440, height: 970, controls: 86, captionHeight: 96 },
  { width: 900, height: 520, controls: 74, captionHeight: 120 },
];
/** Wizkid's orbits on the demo catalog: contemporaries 100, peers 120, ancestors 150 + 20i. */
const RADII = [100, 120, 120, 150, 170, 190];

const intersects = (c: { x: number; y: number; r: number }, b: { x: number; y: number; w: number; h: number }) => {
  const nx = Math.max(b.x, Math.min(c.x, b.x + b.w));
  const ny = Math.max(b.y, Math.min(c.y, b.y + b.h));
  return Math.hypot(c.x - nx, c.y - ny) < c.r;
};

describe('web/play stage rings: orbs circle the cover and never cross it or the name', () => {
  for (const stage of STAGES) {
    it(`at ${stage.width}×${stage.height}: every orb, at every angle and even highlighted, stays off the cover, off the caption and on the stage`, () => {
      const layout = stageLayout({ ...stage, radii: RADII });
      const caption = { x: 0, y: layout.captionTop, w: stage.width, h: stage.captionHeight };
      assert.ok(layout.captionTop + stage.captionHeight <= stage.height - stage.controls, 'the caption sits above the controls');
      for (const radius of new Set(RADII)) {
        const ring = layout.rings.get(radius)!;
        for (let angle = 0; angle < 360; angle += 1) {
          const p = ringPoint(layout, ring, angle);
          const orb = { x: p.x, y: p.y, r: layout.orbPx * p.scale * LIT_SCALE };
          assert.ok(!intersects(orb, layout.cover), `ring ${radius} at ${angle}° crosses the cover`);
          assert.ok(!intersects(orb, caption), `ring ${radius} at ${angle}° crosses the name`);
          assert.ok(orb.x - orb.r >= 0 && orb.x + orb.r <= stage.width && orb.y - orb.r >= 0, `ring ${radius} at ${angle}° leaves the stage`);
        }
      }
    });
  }

  it('keeps the rings in the server order (a larger orbit is an outer ring) and the cover large', () => {
    const phone = stageLayout({ ...STAGES[0], radii: RADII });
    const laptop = stageLayout({ ...STAGES[1], radii: RADII });
    const tv = stageLayout({ ...STAGES[2], radii: RADII });
    const rings = [...laptop.rings.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r);
    for (let i = 1; i < rings.length; i++) assert.ok(rings[i].a > rings[i - 1].a && rings[i].b > rings[i - 1].b);
    assert.ok(phone.art >= 140, `phone cover ${phone.art}`);
    assert.ok(laptop.art >= 250, `laptop cover ${laptop.art}`);
    assert.ok(tv.art > laptop.art, 'a larger stage has a larger cover');
  });
});
