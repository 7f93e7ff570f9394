import assert from 'node:assert/strict';
import { layoutLabels, overlaps, type Box, type LabelRequest } from '../../../web/src/shared/labels.js';

const placedBoxes = (m: Map<string, Box | null>): Box[] => [...m.values()].filter((b): b is Box => b !== null);

describe('web/shared labels: greedy layout without overlaps', () => {
  it('a lone label sits centred above its anchor', () => {
    const out = layoutLabels([{ id: 'a', x: 100, y: 100, w: 40, h: 14 }], 300, 300, [], 6);
    assert.deepEqual(out.get('a'), { x: 80, y: 80, w: 40, h: 14 });
  });

  it('a second label on the same spot moves below instead of covering the first', () => {
    const out = layoutLabels(
      [
        { id: 'a', x: 100, y: 100, w: 40, h: 14 },
        { id: 'b', x: 102, y: 100, w: 40, h: 14 },
      ],
      300,
      300,
      [],
      6,
    );
    assert.equal(out.get('a')!.y, 80);
    assert.ok(out.get('b')!.y >= 100, `below the anchor: ${JSON.stringify(out.get('b'))}`);
    assert.ok(!overlaps(out.get('a')!, out.get('b')!));
  });

  it('a label at the edge is moved inside, whole', () => {
    const b = layoutLabels([{ id: 'edge', x: 295, y: 150, w: 80, h: 14 }], 300, 300, [], 6).get('edge')!;
    assert.ok(b.x >= 0 && b.x + b.w <= 300, JSON.stringify(b));
  });

  it('twenty names on one crowded line: none overlap each other or a dot, all inside; the rest are left out', () => {
    const requests: LabelRequest[] = Array.from({ length: 20 }, (_, i) => ({ id: `s${i}`, x: 20 + i * 12, y: 100, w: 60, h: 14 }));
    const dots = requests.map((r) => ({ x: r.x - 4, y: r.y - 4, w: 8, h: 8 }));
    const out = layoutLabels(requests, 280, 200, dots, 6);
    const boxes = placedBoxes(out);
    assert.ok(boxes.length >= 8, `placed ${boxes.length}`);
    assert.ok(boxes.length < 20, 'not every name fits: some are left out rather than overlapped');
    for (let i = 0; i < boxes.length; i++) {
      assert.ok(boxes[i].x >= 0 && boxes[i].y >= 0 && boxes[i].x + boxes[i].w <= 280 && boxes[i].y + boxes[i].h <= 200);
      assert.ok(!dots.some((d) => overlaps(boxes[i], d)), 'a name covers a star');
      for (let j = i + 1; j < boxes.length; j++) assert.ok(!overlaps(boxes[i], boxes[j]), `${JSON.stringify(boxes[i])} overlaps ${JSON.stringify(boxes[j])}`);
    }
  });

  it('a label wider than the map is left out', () => {
    assert.equal(layoutLabels([{ id: 'w', x: 50, y: 50, w: 200, h: 14 }], 100, 100).get('w'), null);
  });
});
