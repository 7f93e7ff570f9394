import assert from 'node:assert/strict';
import {
  DEFAULT_GRAVITY_WEIGHT,
  GRAVITY_EPOCH_MS,
  SKIP_GRACE_MS,
  SKIP_MAX_PENALTY,
  currentWeight,
  eventContribution,
  normalizedScores,
  rankCandidates,
  skipPenalty,
} from '../../../systems/gravity/gravity.js';
import { halfLifeMs } from '../../../systems/mediaid/dna.js';

const close = (a: number, b: number, eps = 1e-12) => assert.ok(Math.abs(a - b) < eps, `${a} ≉ ${b}`);
/** What persistence/gravity/gravityEdges.ts stores a contribution at `atMs` as (times the contribution). */
const storedScale = (atMs: number, halfLife: number) => 2 ** ((atMs - GRAVITY_EPOCH_MS) / halfLife);

describe('systems/gravity (seed 001)', () => {
  it('penalises a skip by how early it came: full at 0 ms, half at 15 s, none from 30 s', () => {
    assert.equal(skipPenalty(0), SKIP_MAX_PENALTY);
    close(skipPenalty(SKIP_GRACE_MS / 2), SKIP_MAX_PENALTY / 2);
    close(skipPenalty(1234), SKIP_MAX_PENALTY * (1 - 1234 / 30_000)); // the seed's "elapsed_ms": 1234
    assert.equal(skipPenalty(SKIP_GRACE_MS), 0);
    assert.equal(skipPenalty(120_000), 0);
    assert.equal(skipPenalty(undefined), SKIP_MAX_PENALTY, 'no elapsed_ms: an immediate skip');
    assert.equal(skipPenalty(-5), SKIP_MAX_PENALTY);
  });

  it('raises edges for play_10s and like, lowers them for early skips', () => {
    assert.ok(eventContribution('player.play_10s') > eventContribution('player.track_played'));
    assert.ok(eventContribution('player.like') > eventContribution('player.play_10s'));
    assert.ok(eventContribution('player.radio_next') > 0);
    close(eventContribution('player.track_skipped', 1234), -skipPenalty(1234));
    assert.equal(eventContribution('player.track_skipped', 45_000), 0);
    assert.equal(eventContribution('station.visited'), 0);
  });

  it('decays every edge by the same factor: half a contribution after one half-life', () => {
    const h = halfLifeMs(14);
    const at = GRAVITY_EPOCH_MS + 40 * 86_400_000;
    const stored = 3 * storedScale(at, h);
    close(currentWeight(stored, at, h), 3, 1e-9);
    close(currentWeight(stored, at + h, h), 1.5, 1e-9);
    close(currentWeight(stored, at + 2 * h, h), 0.75, 1e-9);
    // A late batch adds the same stored amount whenever it is applied: additions commute.
    const a = storedScale(at, h) * 2;
    const b = storedScale(at + 5 * 86_400_000, h) * 1;
    close(a + b, b + a);
  });

  it('normalizes neighbour weights into [0, 1] by the strongest (seed: normalized_score)', () => {
    const scored = normalizedScores([
      { trackId: 'a', weight: 8 },
      { trackId: 'b', weight: 2 },
      { trackId: 'c', weight: -1 }, // skipped away: no neighbour
      { trackId: 'd', weight: 4 },
    ]);
    assert.deepEqual(
      scored.map((s) => [s.trackId, s.normalizedScore]),
      [
        ['a', 1],
        ['b', 0.25],
        ['d', 0.5],
      ],
    );
    assert.deepEqual(normalizedScores([{ trackId: 'x', weight: 0 }]), []);
  });

  describe('rankCandidates', () => {
    // The seed's call: candidates uuid-1, uuid-2 with embedding scores 0.9 and 0.85.
    const candidates = ['uuid-1', 'uuid-2'];
    const emb = { 'uuid-1': 0.9, 'uuid-2': 0.85 };

    it('without gravity, follows the embedding scores (seed: ranked[0] is uuid-1)', () => {
      const ranked = rankCandidates('current', candidates, emb, []);
      assert.deepEqual(
        ranked.map((r) => r.trackId),
        ['uuid-1', 'uuid-2'],
      );
      close(ranked[0].score, (1 - DEFAULT_GRAVITY_WEIGHT) * 0.9);
    });

    it('lets listening gravity reorder close candidates: current → uuid-2 is a strong edge', () => {
      const ranked = rankCandidates('current', candidates, emb, [], { 'uuid-2': 1, 'uuid-1': 0.1 });
      assert.equal(ranked[0].trackId, 'uuid-2');
      close(ranked[0].score, 0.7 * 0.85 + 0.3 * 1); // 0.895
      close(ranked[1].score, 0.7 * 0.9 + 0.3 * 0.1); // 0.66
    });

    it('never repeats a track of the session history, nor the current one, nor a duplicate', () => {
      const ranked = rankCandidates('now', ['now', 'uuid-1', 'uuid-2', 'uuid-3', 'uuid-2'], { ...emb, 'uuid-3': 0.1 }, ['uuid-1']);
      assert.deepEqual(
        ranked.map((r) => r.trackId),
        ['uuid-2', 'uuid-3'],
      );
      assert.deepEqual(rankCandidates('now', ['uuid-1'], emb, ['uuid-1']), []);
    });

    it('counts a missing embedding as 0, clamps scores into [0, 1], breaks ties by embedding then input order', () => {
      const ranked = rankCandidates(
        'c',
        ['x', 'y', 'z', 'w'],
        { x: 0.5, y: 0.5, z: 7, constructor: 1 } as Record<string, number>,
        [],
        { w: 1 },
        { gravityWeight: 0.5 },
      );
      assert.deepEqual(
        ranked.map((r) => [r.trackId, r.score]),
        [
          ['z', 0.5],
          ['w', 0.5],
          ['x', 0.25],
          ['y', 0.25],
        ],
      );
    });
  });
});
