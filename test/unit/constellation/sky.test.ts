import assert from 'node:assert/strict';
import {
  LINES_PER_STAR,
  SKY_SWAY,
  SKY_SWAY_PERIOD_MS,
  SKY_SWAY_YAWS,
  SKY_YAW,
  layoutSky,
  skyCamera,
  skyLines,
  skyYaw,
} from '../../../systems/constellation/sky.js';
import { layoutLabels, overlaps } from '../../../systems/constellation/skyLabels.js';
import { buildConnections, mulberry32, placeStar, type Star } from '../../../systems/constellation/constellation.js';

/** A sky grown the way captures grow it: seeded relationships through placeStar and buildConnections. */
function grownSky(n: number) {
  const rng = mulberry32(47);
  const kinds = ['ancestor', 'peer', 'influenced', 'contemporary'];
  const existing: Star[] = [];
  const links: ReturnType<typeof buildConnections> = [];
  const path: string[] = [];
  for (let i = 0; i < n; i++) {
    const artistId = `artist_${i}`;
    const { position } = placeStar({ existing, discoveryPath: path.slice(-2), artistId, relationshipFrom: () => kinds[Math.floor(rng() * kinds.length)], rng });
    const genres = [['Afrobeats', 'Afropop'], ['Jazz', 'Soul'], ['Highlife'], ['Soul', 'Funk']][i % 4];
    links.push(...buildConnections({ artistId, genres }, existing, path.slice(-1)));
    existing.push({ artistId, position, genres });
    path.push(artistId);
  }
  return { stars: existing.map((s, i) => ({ id: s.artistId, name: `Name of artist ${i}`, position: s.position })), links };
}

describe('one sky for every constellation view (systems/constellation/sky)', () => {
  for (const [width, height] of [
    [358, 358],
    [900, 640],
    [1200, 720],
  ]) {
    it(`50 stars in ${width}×${height}: every star inside, the box filled, no two names overlap, none leaves the box`, () => {
      const { stars, links } = grownSky(50);
      const sky = layoutSky(stars, links, { width, height }, { measure: (t) => t.length * 6.5, labelHeight: 14, dotRadius: 3.5 });
      const pts = [...sky.points.values()];
      for (const p of pts) assert.ok(p.x >= 0 && p.x <= width && p.y >= 0 && p.y <= height, JSON.stringify(p));
      const spanX = Math.max(...pts.map((p) => p.x)) - Math.min(...pts.map((p) => p.x));
      const spanY = Math.max(...pts.map((p) => p.y)) - Math.min(...pts.map((p) => p.y));
      assert.ok(spanX > width * 0.8 && spanY > height * 0.6, `filled ${spanX}×${spanY}`);
      const boxes = [...sky.labels.values()].filter((b) => b !== null);
      assert.ok(boxes.length >= 10, `placed ${boxes.length}`);
      for (const [i, b] of boxes.entries()) {
        assert.ok(b.x >= 0 && b.y >= 0 && b.x + b.w <= width && b.y + b.h <= height, JSON.stringify(b));
        for (const c of boxes.slice(i + 1)) assert.ok(!overlaps(b, c));
      }
    });
  }

  it('fills the box: every ninth of it holds a star, none holds more than a fifth, and older (higher) stars stay above', () => {
    const { stars } = grownSky(50);
    const [width, height] = [400, 300];
    const positions = stars.map((s) => s.position);
    const cam = skyCamera(positions, { width, height });
    const plain = skyCamera(positions, { width, height, even: 0 });
    const pts = positions.map((p) => cam.project(p));
    const ninths = Array.from({ length: 9 }, () => 0);
    for (const p of pts) ninths[Math.min(2, Math.floor((p.x / width) * 3)) + 3 * Math.min(2, Math.floor((p.y / height) * 3))]++;
    assert.ok(Math.min(...ninths) >= 1 && Math.max(...ninths) <= 10, `stars per ninth, row by row: ${ninths.join(' ')}`);
    // The framing moves stars sideways and evens their spacing, but never swaps two stars' heights.
    const order = (cam2: typeof cam) =>
      positions
        .map((p, i) => [cam2.project(p).y, i] as const)
        .sort((a, b) => a[0] - b[0])
        .map(([, i]) => i);
    assert.deepEqual(order(cam), order(plain));
  });

  it('draws the connections that exist, each pair once, never a line for an unlinked pair', () => {
    const at = new Map([
      ['a', { x: 0, y: 0, scale: 1 }],
      ['b', { x: 1, y: 1, scale: 1 }],
      ['c', { x: 2, y: 2, scale: 1 }],
    ]);
    const lines = skyLines(
      [
        { from: 'a', to: 'b', strength: 0.5 },
        { from: 'b', to: 'a', strength: 0.9 },
        { from: 'a', to: 'zz', strength: 1 },
      ],
      at,
    );
    assert.deepEqual(
      lines.map((l) => [l.from, l.to, l.strength]),
      [['b', 'a', 0.9]],
    );
  });

  it('a perspective camera: of two stars the same size apart, the nearer one projects farther apart', () => {
    const cam = skyCamera(
      [
        { x: -100, y: 0, z: 0 },
        { x: 100, y: 0, z: 0 },
        { x: 0, y: 0, z: 200 },
        { x: 0, y: 0, z: -200 },
      ],
      { width: 600, height: 600, yaw: 0, pitch: 0 },
    );
    const near = cam.project({ x: 10, y: 0, z: 200 }).x - cam.project({ x: -10, y: 0, z: 200 }).x;
    const far = cam.project({ x: 10, y: 0, z: -200 }).x - cam.project({ x: -10, y: 0, z: -200 }).x;
    assert.ok(near > far * 1.3, `near ${near} far ${far}`);
    assert.ok(cam.project({ x: 0, y: 0, z: 200 }).scale > cam.project({ x: 0, y: 0, z: -200 }).scale);
  });

  it('one star sits in the middle of the box', () => {
    const p = skyCamera([{ x: 40, y: 180, z: -80 }], { width: 300, height: 200 }).project({ x: 40, y: 180, z: -80 });
    assert.deepEqual([Math.round(p.x), Math.round(p.y)], [150, 100]);
  });

  it('turns slowly: a sway about the still view, and a fit that holds the whole sway (no breathing, nothing leaves)', () => {
    assert.equal(skyYaw(0), SKY_YAW);
    assert.ok(Math.abs(skyYaw(SKY_SWAY_PERIOD_MS / 4) - (SKY_YAW + SKY_SWAY)) < 1e-9);
    assert.equal(skyYaw(SKY_SWAY_PERIOD_MS / 4, true), SKY_YAW, 'reduced motion keeps the still view');
    const { stars } = grownSky(30);
    const [width, height] = [390, 300];
    const xs: number[] = [];
    const ys: number[] = [];
    for (let t = 0; t <= SKY_SWAY_PERIOD_MS; t += SKY_SWAY_PERIOD_MS / 97) {
      const cam = skyCamera(
        stars.map((s) => s.position),
        { width, height, marginX: 10, marginY: 20, yaw: skyYaw(t), fitYaws: SKY_SWAY_YAWS },
      );
      for (const s of stars) {
        const p = cam.project(s.position);
        xs.push(p.x);
        ys.push(p.y);
      }
    }
    // Over the whole turn every star stays inside the margins (1 px slack between the sampled yaws).
    assert.ok(Math.min(...xs) >= 9 && Math.max(...xs) <= width - 9, `x ${Math.min(...xs)}…${Math.max(...xs)}`);
    assert.ok(Math.min(...ys) >= 19 && Math.max(...ys) <= height - 19, `y ${Math.min(...ys)}…${Math.max(...ys)}`);
    // …and the sway fills the box (the fit is not wasted on yaws the sky never takes).
    assert.ok(Math.max(...xs) - Math.min(...xs) > (width - 20) * 0.98);
  });

  it('names stay where they were while their stars drift (sticky spots), and still never overlap', () => {
    const sticky = new Map<string, number>();
    const req = (dx: number) => [
      { id: 'a', x: 100 + dx, y: 100, w: 60, h: 14 },
      { id: 'b', x: 100, y: 118, w: 60, h: 14 },
    ];
    const first = layoutLabels(req(0), 400, 300, [], 6, sticky);
    const moved = layoutLabels(req(2), 400, 300, [], 6, sticky);
    assert.equal(moved.get('a')!.y, first.get('a')!.y);
    assert.equal(moved.get('b')!.y, first.get('b')!.y);
    assert.ok(!overlaps(moved.get('a')!, moved.get('b')!));
  });

  it("draws each star's nearest links only (no hairball), whatever their type, the same at any turn", () => {
    const ids = ['s0', 's1', 's2', 's3', 's4', 's5'];
    const at = new Map(ids.map((id, i) => [id, { x: i * 10, y: 0, scale: 1 }]));
    // Every pair joined, the way a walk along the dial links every capture to every star of its path.
    const links = ids.flatMap((a, i) => ids.slice(i + 1).map((b) => ({ from: a, to: b, strength: 0.95, type: i % 2 ? 'genre_similarity' : 'discovery_path' })));
    const space = (a: string, b: string) => Math.abs(ids.indexOf(a) - ids.indexOf(b));
    const lines = skyLines(links, at, space);
    assert.ok(lines.length < 15 && lines.length >= ids.length - 1, `${lines.length} lines`);
    for (const l of lines) assert.ok(space(l.from, l.to) <= LINES_PER_STAR, `${l.from}–${l.to} is nobody's near neighbour`);
    // The walk is traced: each star is joined to the next.
    for (let i = 1; i < ids.length; i++)
      assert.ok(
        lines.some((l) => space(l.from, l.to) === 1 && [l.from, l.to].includes(ids[i])),
        `s${i} joined to a neighbour`,
      );
  });
});
