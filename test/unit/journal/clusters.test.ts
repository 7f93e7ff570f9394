import assert from 'node:assert/strict';
import { clusterAssignment } from '../../../features/journal/clusters.js';

/** k-means over star positions (ml-kmeans, kmeans++ with a fixed seed): stable, and the k rule applied. */
describe('journal clusters (k-means over positions)', () => {
  const seedStars = [
    { x: 0, y: 0, z: 0 }, // Wizkid
    { x: 120, y: 80, z: -50 }, // Burna Boy
    { x: 40, y: 180, z: -80 }, // Fela Kuti
  ];

  it("the seed's three positions: k = 2, and Burna Boy goes with Fela Kuti (the closer pair)", () => {
    // |Burna–Fela|² = 17,300 < |Wizkid–Burna|² = 23,300: k-means on positions cannot give the seed's
    // [Wizkid, Burna Boy] / [Fela Kuti]; the labels are tested on that grouping in test/unit/journal/journal.test.ts.
    const a = clusterAssignment(seedStars);
    assert.equal(new Set(a).size, 2);
    assert.equal(a[1], a[2]);
    assert.notEqual(a[0], a[1]);
  });

  it('is deterministic: the same constellation clusters the same every time', () => {
    const stars = Array.from({ length: 200 }, (_, i) => ({ x: Math.sin(i) * 900, y: Math.cos(i * 1.7) * 900, z: ((i * 37) % 600) - 300 }));
    const first = clusterAssignment(stars);
    assert.equal(new Set(first).size, 10, 'k = ⌈√(200/2)⌉ = 10');
    for (let i = 0; i < 5; i++) assert.deepEqual(clusterAssignment(stars), first);
  });

  it('never asks for more clusters than distinct positions (duplicates, one star, none)', () => {
    assert.deepEqual(
      clusterAssignment([
        { x: 1, y: 1, z: 1 },
        { x: 1, y: 1, z: 1 },
        { x: 1, y: 1, z: 1 },
      ]),
      [0, 0, 0],
    );
    assert.deepEqual(clusterAssignment([{ x: 5, y: 0, z: 0 }]), [0]);
    assert.deepEqual(clusterAssignment([]), []);
  });
});
