import assert from 'node:assert/strict';
import { hashString as fnv1a } from '../../../systems/constellation/constellation.js';
import {
  bandOf,
  basesOf,
  baseSignals,
  cosine,
  decayFactor,
  halfLifeMs,
  hashSlot,
  locationTokens,
  match,
  mirror,
  profileEmbedding,
  zeroVectors,
  type DomainVectors,
  type MediaIdInputs,
} from '../../../systems/mediaid/dna.js';
import { eventSignals, moneyWeight } from '../../../systems/mediaid/signals.js';
import { applyBody, mediaIdBody } from '../../../systems/mediaid/inputs.js';

const close = (a: number, b: number, eps = 1e-6) => assert.ok(Math.abs(a - b) < eps, `${a} ≉ ${b}`);
const H = halfLifeMs(30);
const DAY = 86_400_000;

const inputs: MediaIdInputs = {
  interests: ['Vinyl', 'Live music'],
  genrePreferences: ['Afrobeats', 'Jazz', 'Highlife'],
  contentFlags: { explicit: false },
  locationCode: 'NG-LA',
  privacy: { shareLocation: true, allowMatching: true },
};

describe('systems/mediaid DNA (seed 002)', () => {
  it('reads the ATGC bases of the MediaID inputs: A interests, T genres, G flags, C location + privacy', () => {
    const b = basesOf(inputs);
    assert.deepEqual(b.A, ['Vinyl', 'Live music']);
    assert.deepEqual(b.T, ['Afrobeats', 'Jazz', 'Highlife']);
    assert.deepEqual(b.G, { explicit: false });
    assert.deepEqual(b.C, { location: 'NG-LA', privacy: { shareLocation: true, allowMatching: true } });
    // 2 interests, 3 genres, 1 flag, a location → AATTTGC
    assert.equal(b.sequence, 'AATTTGC');
    const tokens = baseSignals(inputs).map((s) => `${s.domain}/${s.token}`);
    assert.deepEqual(tokens, [
      'cultural/interest:vinyl',
      'cultural/interest:live music',
      'cultural/genre:afrobeats',
      'cultural/genre:jazz',
      'cultural/genre:highlife',
      'behavioral/flag:explicit=false',
      'spatial/loc:ng',
      'spatial/loc:ng-la',
    ]);
  });

  it('keeps the location out of the DNA when the user does not share it (privacy)', () => {
    const hidden = baseSignals({ ...inputs, privacy: { shareLocation: false, allowMatching: true } });
    assert.equal(hidden.filter((s) => s.domain === 'spatial').length, 0);
    assert.deepEqual(locationTokens('us-ny-nyc'), ['loc:us', 'loc:us-ny', 'loc:us-ny-nyc']);
  });

  it('hashes tokens with FNV-1a (published test vectors) into a dimension and a sign', () => {
    assert.equal(fnv1a(''), 0x811c9dc5);
    assert.equal(fnv1a('a'), 0xe40c292c);
    assert.equal(fnv1a('foobar'), 0xbf9cf968);
    // 0xbf9cf968 = 3214735720; mod 32 = 8 (…968 & 31 = 0x08); top bit set → sign −1
    assert.deepEqual(hashSlot('foobar', 32), { index: 8, sign: -1 });
  });

  it('decays a signal by half every half-life (carbon decay)', () => {
    close(decayFactor(30 * DAY, H), 0.5);
    close(decayFactor(60 * DAY, H), 0.25);
    close(decayFactor(15 * DAY, H), Math.SQRT1_2); // 2^−0.5 = 0.7071068
    assert.equal(decayFactor(-DAY, H), 1, 'a signal from the future is not amplified');
  });

  it('mirrors events with decay, independent of the order batches arrive in', () => {
    const like = (atMs: number, weight: number) => ({ atMs, signals: [{ domain: 'cultural' as const, token: 'artist:x', weight }] });
    const { index, sign } = hashSlot('artist:x', 4);
    const day0 = mirror(null, [like(0, 4)], 4, H);
    assert.equal(day0.vectors.cultural[index], 4 * sign);
    // 30 days later a weight-1 signal: 4·0.5 + 1 = 3, reference moves to day 30
    const day30 = mirror(day0, [like(30 * DAY, 1)], 4, H);
    close(day30.vectors.cultural[index], 3 * sign);
    assert.equal(day30.refMs, 30 * DAY);
    assert.equal(day30.signals, 2);
    // a late, back-dated signal (day 0, weight 2) enters at half: 3 + 1 = 4
    const late = mirror(day30, [like(0, 2)], 4, H);
    close(late.vectors.cultural[index], 4 * sign);
    // the same three signals in one batch give the same vector
    const once = mirror(null, [like(30 * DAY, 1), like(0, 2), like(0, 4)], 4, H);
    close(once.vectors.cultural[index], late.vectors.cultural[index]);
  });

  it('computes cosine similarity: [1,2,3]·[4,5,6] = 32/√(14·77) = 0.9746318', () => {
    close(cosine([1, 2, 3], [4, 5, 6]), 32 / Math.sqrt(14 * 77));
    close(cosine([1, 2, 3], [4, 5, 6]), 0.9746318);
    assert.equal(cosine([0, 0], [1, 1]), 0);
  });

  it('matches per domain and averages the domains both sides have', () => {
    const a: DomainVectors = { ...zeroVectors(2), cultural: [1, 0], behavioral: [1, 0], economic: [3, 0] };
    const b: DomainVectors = { ...zeroVectors(2), cultural: [2, 0], behavioral: [0, 1] };
    const m = match(a, b);
    // cultural 1, behavioral 0, economic and spatial missing on one side → (1 + 0) / 2
    assert.deepEqual(m.domains, { cultural: 1, behavioral: 0, economic: null, spatial: null });
    assert.equal(m.score, 0.5);
    assert.equal(m.topDomain, 'cultural');
  });

  it('bands scores as seed 004 does: 0.74 is a strong alignment', () => {
    assert.equal(bandOf(0.74), 'strong');
    assert.equal(bandOf(0.7), 'strong');
    assert.equal(bandOf(0.69), 'good');
    assert.equal(bandOf(0.5), 'good');
    assert.equal(bandOf(0.3), 'moderate');
    assert.equal(bandOf(0.29), 'weak');
  });

  it('blends the bases (weight 5, never decayed) with the decayed behaviour', () => {
    const jazz: MediaIdInputs = { ...inputs, interests: [], genrePreferences: ['Jazz', 'Jazz', 'Jazz'], contentFlags: {}, locationCode: null };
    const { index, sign } = hashSlot('genre:jazz', 2); // three times one token: unit → ±1 there, × 5
    const dyn = { vectors: { ...zeroVectors(2), cultural: [0, 0] }, refMs: 0, signals: 2 };
    dyn.vectors.cultural[1 - index] = 2;
    const e = profileEmbedding(jazz, dyn, 30 * DAY, { dims: 2, halfLifeMs: H, baseWeight: 5 }); // behaviour 30 days old: 2 · 0.5 = 1
    assert.equal(e.cultural[index], 5 * sign);
    assert.equal(e.cultural[1 - index], 1);
  });

  it('mirrors a passport event into domain signals', () => {
    const vote = eventSignals({
      eventType: 'concierto.vote_cast',
      payload: { eventId: 'E1', voteFor: 'artist_wizkid', weight: 2 },
      occurredAtMs: 0,
      artistGenres: ['Afrobeats'],
    });
    assert.deepEqual(
      vote.map((s) => [s.domain, s.token, s.weight]),
      [
        ['behavioral', 'event:concierto.vote_cast', 0.5],
        ['cultural', 'artist:artist_wizkid', 2],
        ['cultural', 'genre:afrobeats', 1],
        ['cultural', 'event:e1', 1],
        ['economic', 'vote', 2],
      ],
    );
    close(moneyWeight(1000), Math.log2(11)); // $10 → log2(11) = 3.4594
    const spend = eventSignals({ eventType: 'treasury.money_spent', payload: { amountCents: 1000, currency: 'USD', reason: 'ticket' }, occurredAtMs: 0 });
    assert.deepEqual(
      spend.filter((s) => s.domain === 'economic').map((s) => s.token),
      ['spend:ticket', 'currency:usd'],
    );
  });

  it('validates MediaID inputs with bounds and field details, and merges a partial update', () => {
    const bad = mediaIdBody.safeParse({ interests: new Array(21).fill('x'), locationCode: 'Lagos', extra: 1 });
    assert.equal(bad.success, false);
    const fields = bad.error!.issues.map((i) => i.path.join('.') || i.code);
    assert.ok(fields.includes('interests') && fields.includes('locationCode'), fields.join());
    const ok = mediaIdBody.parse({ genrePreferences: ['Jazz', 'jazz', 'Afrobeats'], locationCode: 'ng-la' });
    const merged = applyBody(inputs, ok);
    assert.deepEqual(merged.genrePreferences, ['jazz', 'Afrobeats']);
    assert.equal(merged.locationCode, 'NG-LA');
    assert.deepEqual(merged.interests, inputs.interests);
  });
});
