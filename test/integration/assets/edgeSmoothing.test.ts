import assert from 'node:assert/strict';
import sharp from 'sharp';
import { featheredAlpha } from '../../../features/assets/cutout.js';
import { portraitPng } from '../../support/assetsFixtures.js';
import { useServer } from '../../support/serverProcess.js';

const JOBS_OFF = Object.fromEntries(
  ['GRAVITY_EDGES', 'SESSION_AGGREGATION', 'GLOBAL_METRICS', 'POPULARITY_SCORES', 'CLEANUP', 'PASSPORT_PARTITIONS', 'INFLUENCE_GRAPH'].map((j) => [
    `JOB_CRON_${j}`,
    'off',
  ]),
);

/** Seed 10.5's edge settings, restated here so that a change to them is a change this test sees. */
const SEED_SIGMA = Math.hypot(0.5, 1.0);

/**
 * Alpha of pixel `x` when a hard edge (opaque for x < edge, clear from it) is blurred by a Gaussian of
 * σ: the share of the kernel that falls on the opaque side, × 255.
 */
function gaussianStep(x: number, edge: number, sigma: number): number {
  const reach = Math.ceil(4 * sigma);
  let inside = 0;
  let total = 0;
  for (let j = -reach; j <= reach; j++) {
    const g = Math.exp(-(j * j) / (2 * sigma * sigma));
    total += g;
    if (x + j < edge) inside += g;
  }
  return (255 * inside) / total;
}

/** The transition from clear to opaque met walking along `alpha` (one row, read left to right). */
function transition(alpha: number[]) {
  const firstSeen = alpha.findIndex((a) => a > 0);
  const firstOpaque = alpha.findIndex((a, i) => i > firstSeen && a === 255);
  const band = alpha.slice(firstSeen, firstOpaque);
  const half = alpha.findIndex((a) => a >= 128);
  return { firstSeen, firstOpaque, band, half };
}

/**
 * Seed 000 step 10.5 edge refinement: the cut-out's alpha is not a hard 0/255 step but a feather — an
 * anti-aliasing blur of 0.5 px and a 1 px feather, one Gaussian of σ = √(0.5² + 1²) ≈ 1.12 px — while the
 * subject stays fully opaque and the background fully clear. Here on a mask whose edge is known exactly.
 */
describe('edge smoothing of the cut-out (seed 000 step 10.5)', () => {
  it('feathers a hard mask edge by the seed radius: alpha follows a Gaussian of σ ≈ 1.12 px across it; inside 255, outside 0', async () => {
    const side = 256;
    const edge = 128;
    const mask = new Uint8Array(side * side);
    for (let y = 0; y < side; y++) mask.fill(255, y * side, y * side + edge);
    const alpha = await featheredAlpha(mask, side, side, side);
    assert.equal(alpha.length, side * side);
    for (const y of [0, 100, 255]) {
      const row = Array.from(alpha.subarray(y * side, (y + 1) * side));
      assert.ok(
        row.slice(0, edge - 4).every((a) => a === 255),
        `row ${y}: the subject well inside the edge is fully opaque, got ${row.slice(edge - 8, edge - 4).join(',')}`,
      );
      assert.ok(
        row.slice(edge + 4).every((a) => a === 0),
        `row ${y}: the background well outside is fully clear`,
      );
      const band = row.slice(edge - 4, edge + 4);
      const expected = band.map((_, i) => Math.round(gaussianStep(edge - 4 + i, edge, SEED_SIGMA)));
      band.forEach((a, i) =>
        assert.ok(
          Math.abs(a - expected[i]) <= 6,
          `row ${y}: across the edge got ${band.join(',')}, a σ ${SEED_SIGMA.toFixed(2)} feather is ${expected.join(',')}`,
        ),
      );
      assert.ok(band.filter((a) => a > 5 && a < 250).length >= 4, `row ${y}: a band of intermediate alpha, not a step: ${band.join(',')}`);
      assert.ok(Math.abs(row[edge - 1] + row[edge] - 255) <= 8, 'the half-opaque contour stays on the mask edge');
    }
  });
});

/**
 * The same feather on the segmentation model's own cut-out, produced by the server's asset pipeline:
 * a 512 px portrait is uploaded, so its @1x variant (512 px, never enlarged) holds the cut-out's pixels
 * as they came out of the edge refinement.
 */
describe('edge smoothing of an uploaded portrait (seed 000 step 10.5, real server and model)', function () {
  this.timeout(90_000);
  const ADMIN = 'admin-token-for-edge-smoothing-0123';
  const running = useServer({ ADMIN_TOKEN: ADMIN, ASSET_MIN_SIDE_PX: '64', ASSET_ARTWORK: 'false', ...JOBS_OFF });

  it("feathers the head's outline: a 3–8 px ramp from clear to opaque, on the outline, opaque inside and clear outside", async () => {
    const base = running().server.baseUrl;
    const res = await fetch(`${base}/api/admin/artists/artist_wizkid/image`, {
      method: 'POST',
      body: new Uint8Array(await portraitPng(512)),
      headers: { 'content-type': 'image/png', authorization: `Bearer ${ADMIN}` },
      signal: AbortSignal.timeout(60_000),
    });
    const body = await res.json();
    assert.equal(res.status, 201, JSON.stringify(body));
    assert.deepEqual([body.backgroundRemoval, body.rimLight], ['selfie_segmentation', false], 'the model cut it out; no rim light on a bright scene');
    const variant = body.variants.find((v: { variant: string }) => v.variant === '@1x');
    const png = Buffer.from(await (await fetch(`${base}${variant.url}`)).arrayBuffer());
    const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    assert.deepEqual([info.width, info.height], [512, 512]);
    const alphaAt = (x: number, y: number) => data[(y * 512 + x) * 4 + 3];
    // The head: an ellipse centred at (200, 170) with radii 62 × 78 in the fixture's 400 px frame (test/support/assetsFixtures.ts).
    const k = 512 / 400;
    for (const y of [150, 170, 190].map((v) => Math.round(v * k))) {
      const outline = 62 * k * Math.sqrt(1 - ((y / k - 170) / 78) ** 2);
      const row = Array.from({ length: 512 }, (_, x) => alphaAt(x, y));
      const fromLeft = transition(row.slice(0, 256));
      const fromRight = transition(row.slice(256).reverse());
      for (const [side, t] of [
        ['left', fromLeft],
        ['right', fromRight],
      ] as const) {
        const where = `row ${y}, ${side} edge: ${t.band.join(',')}`;
        assert.ok(t.firstSeen > 0 && t.firstOpaque > t.firstSeen, `${where}: clear outside, fully opaque inside`);
        assert.ok(t.band.length >= 3 && t.band.length <= 8, `${where}: ${t.band.length} px from clear to opaque, the feather is 3–8`);
        assert.ok(
          t.band.every((a, i) => i === 0 || a >= t.band[i - 1]),
          `${where}: alpha rises steadily across the edge`,
        );
        assert.ok(Math.abs(t.half - (256 - outline)) <= 3, `${where}: half opaque at ${t.half}, the outline is at ${(256 - outline).toFixed(1)}`);
      }
    }
    assert.equal(alphaAt(256, Math.round(170 * k)), 255, 'the face is fully opaque');
    assert.equal(alphaAt(20, 20), 0, 'the background is fully clear');
  });
});
