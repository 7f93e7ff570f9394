import assert from 'node:assert/strict';
import { zeroVectors, type DomainVectors } from '../../../systems/mediaid/dna.js';
import { percentOf } from '../../../systems/numbers.js';
import { audienceInsights, clusterNameCandidates, distinctClusterNames, kmeans, matchScore, type Listener } from '../../../systems/mediaid/audienceInsights.js';

const close = (a: number, b: number, eps = 1e-3) => assert.ok(Math.abs(a - b) < eps, `${a} ≉ ${b}`);
const cultural = (v: number[]): DomainVectors => ({ ...zeroVectors(v.length), cultural: v });
const listener = (v: number[], genres: string[] = []): Listener => ({ vectors: cultural(v), genres, interests: [] });

describe('systems/mediaid insights (seed 004 "DNA insights in reports")', () => {
  it('averages matches and bands them: 1, 0.7071, 0.4472, 0 → 0.539, good; 50% strong, 25% moderate, 25% weak', () => {
    // subject [1,0]; cos with [1,0] = 1, [1,1] = 1/√2 = 0.7071, [1,2] = 1/√5 = 0.4472, [0,1] = 0
    const insights = audienceInsights([listener([1, 0]), listener([1, 1]), listener([1, 2]), listener([0, 1])], cultural([1, 0]));
    assert.equal(insights.listenersAnalysed, 4);
    close(insights.averageMatch, (1 + Math.SQRT1_2 + 1 / Math.sqrt(5) + 0) / 4); // 0.5386
    assert.equal(insights.band, 'good');
    assert.deepEqual(insights.distribution, {
      strong: { count: 2, share: 50 },
      good: { count: 0, share: 0 },
      moderate: { count: 1, share: 25 },
      weak: { count: 1, share: 25 },
    });
    assert.deepEqual(insights.topDomain, { domain: 'cultural', averageMatch: 0.539 });
    assert.equal(insights.domains.spatial, null, 'nobody has a spatial DNA');
  });

  it("finds the seed's three audience clusters, 45% / 30% / 25%, named after their genres", () => {
    const audience = [
      ...Array.from({ length: 9 }, () => listener([1, 0, 0], ['Underground Hip-Hop'])),
      ...Array.from({ length: 6 }, () => listener([0, 1, 0], ['Jazz Fusion'])),
      ...Array.from({ length: 5 }, () => listener([0, 0, 1], ['Indie R&B'])),
    ];
    const { clusters } = audienceInsights(audience, cultural([1, 1, 1]));
    // 9/20 = 45%, 6/20 = 30%, 5/20 = 25%
    assert.deepEqual(
      clusters.map((c) => [c.name, c.size, c.share]),
      [
        ['Underground Hip-Hop fans', 9, 45],
        ['Jazz Fusion fans', 6, 30],
        ['Indie R&B fans', 5, 25],
      ],
    );
    close(clusters[0].averageMatch, 1 / Math.sqrt(3)); // each group's vector against [1,1,1]: 0.577
  });

  it('is deterministic and copes with tiny or empty audiences', () => {
    assert.deepEqual(kmeans([[0], [0], [10], [10], [11]], 2), [0, 0, 1, 1, 1]);
    assert.equal(percentOf(563, 1250), 45); // the seed's 1,250 listeners: 563 → 45.0%
    const none = audienceInsights([], cultural([1, 0]));
    assert.equal(none.listenersAnalysed, 0);
    assert.equal(none.band, null);
    assert.deepEqual(none.clusters, []);
  });
});

describe('systems/mediaid kmeans on a large audience (fitted on a sample)', () => {
  it('fits on every n/sample-th point and assigns everyone to the nearest centroid', () => {
    // 3,000 points in two tight groups at 0 and 10 (alternating); fitted on 1,000 of them
    const points = Array.from({ length: 3000 }, (_, i) => [i % 2 === 0 ? 0 : 10]);
    const labels = kmeans(points, 2, 20, 1000);
    assert.equal(labels.filter((l, i) => l !== labels[i % 2]).length, 0);
    assert.notEqual(labels[0], labels[1]);
  });
});

describe('systems/mediaid cluster names', () => {
  it('gives two clusters with the same top genres distinct names from their next genres', () => {
    const audience = [
      ...Array.from({ length: 6 }, () => listener([1, 0, 0], ['Afrobeats', 'Jùjú'])),
      ...Array.from({ length: 4 }, (_, i) => listener([0, 0, 1], i < 3 ? ['Jùjú', 'Afrobeats', 'Fújì'] : ['Jùjú', 'Afrobeats'])),
    ];
    // both clusters' two most common genres are Afrobeats & Jùjú (6/6 and 4/4); the smaller takes its next pair
    const names = audienceInsights(audience, cultural([1, 1, 1]), 2).clusters.map((c) => c.name);
    assert.deepEqual(names, ['Afrobeats & Jùjú fans', 'Afrobeats & Fújì fans']);
  });

  it('names clusters without genres or interests after the DNA domains they match best on, never "Listener group"', () => {
    const both = (c: number[], s: number[]): Listener => ({ vectors: { ...zeroVectors(2), cultural: c, spatial: s }, genres: [], interests: [] });
    const audience = [...Array.from({ length: 5 }, () => both([1, 0], [0, 1])), ...Array.from({ length: 4 }, () => both([0, 1], [1, 0]))];
    const subject = { ...zeroVectors(2), cultural: [1, 0], spatial: [1, 0] };
    const { clusters } = audienceInsights(audience, subject, 2);
    assert.deepEqual(
      clusters.map((c) => c.name),
      ['Culture-led listeners', 'Place-led listeners'],
    );
    for (const c of clusters) assert.ok(c.averageMatch >= 0 && !Object.is(c.averageMatch, -0), `match ${c.averageMatch}`);
  });

  it('clamps a match to [0, 1] without a negative zero, and never repeats a name', () => {
    assert.deepEqual([matchScore(-0.0004), matchScore(-0.3), matchScore(1.0000001), matchScore(0.12345)], [0, 0, 1, 0.123]);
    assert.ok(!Object.is(matchScore(-0.0004), -0));
    // Two clusters led by one domain differ by how closely they match, not by "(2)".
    assert.deepEqual(
      distinctClusterNames([
        clusterNameCandidates([], { cultural: 0.9, behavioral: null, economic: null, spatial: null }),
        clusterNameCandidates([], { cultural: 0.45, behavioral: null, economic: null, spatial: null }),
      ]),
      ['Culture-led listeners', 'Loosely aligned, culture-led listeners'],
    );
    assert.deepEqual(distinctClusterNames([['A fans', 'B fans'], ['A fans'], ['A fans'], []]), [
      'A fans',
      'A fans (2)',
      'A fans (3)',
      'Listeners without a DNA profile yet',
    ]);
  });
});
