import assert from 'node:assert/strict';
import type { JournalStarInput } from '../../../systems/journal/index.js';
import { journalRecommendations } from '../../../systems/journal/recommend.js';

const star = (id: string, name: string, genres: string[]): JournalStarInput => ({
  id: `s_${id}`,
  artist: { id, name, genres, era: '2010s', origin: 'Lagos, Nigeria', frequency: 99.9, thumbnail: '' },
  position: { x: 0, y: 0, z: 0 },
  capturedAt: '2026-11-25T00:00:00.000Z',
});
const candidate = (id: string, name: string, genres: string[], frequency: number) => ({ id, name, genres, frequency, thumbnail: `/t/${id}` });

describe('journal recommendations (seed 000 step 8.7)', () => {
  const stars = [
    star('wizkid', 'Wizkid', ['Afrobeats', 'Afropop', 'R&B']),
    star('burna', 'Burna Boy', ['Afrofusion', 'Afrobeats']),
    star('fela', 'Fela Kuti', ['Afrobeat', 'Funk', 'Jazz']),
  ];

  it('with no popularity yet, ranks by genre weight, leaves out captured artists, three at most, and says why', () => {
    const recs = journalRecommendations(stars, [
      candidate('wizkid', 'Wizkid', ['Afrobeats'], 99.9),
      candidate('ksa', 'King Sunny Ade', ['Jùjú', 'Highlife'], 101.1),
      candidate('tiwa', 'Tiwa Savage', ['Afrobeats', 'R&B'], 103.3),
      candidate('davido', 'Davido', ['Afrobeats', 'Afropop'], 98.9),
      candidate('tony', 'Tony Allen', ['Afrobeat', 'Jazz'], 96.7),
      candidate('yemi', 'Yemi Alade', ['Afropop', 'Afrobeats'], 89.9),
    ]);
    // Afrobeats weighs 2 (Wizkid, Burna Boy); Davido and Yemi Alade 2 + 1, Tiwa Savage 2 + 1 (R&B): the dial's order breaks the tie.
    assert.deepEqual(
      recs.map((r) => r.name),
      ['Yemi Alade', 'Davido', 'Tiwa Savage'],
    );
    assert.deepEqual(recs[0], { artistId: 'yemi', name: 'Yemi Alade', reason: 'Afrobeats, like Burna Boy', station: 89.9, thumbnail: '/t/yemi' });
  });

  it('the most popular first (the seed orders by popularity); genre weight and the dial only among equals', () => {
    const recs = journalRecommendations(stars, [
      { ...candidate('yemi', 'Yemi Alade', ['Afropop', 'Afrobeats'], 89.9), popularity: 1 },
      { ...candidate('ksa', 'King Sunny Ade', ['Jùjú', 'Jazz'], 101.1), popularity: 7 },
      { ...candidate('tiwa', 'Tiwa Savage', ['Afrobeats', 'R&B'], 103.3), popularity: 9 },
    ]);
    assert.deepEqual(
      recs.map((r) => r.name),
      ['Tiwa Savage', 'King Sunny Ade', 'Yemi Alade'],
    );
  });

  it('gives every pick its own reason (another star or genre before repeating one)', () => {
    const recs = journalRecommendations(stars, [
      candidate('tiwa', 'Tiwa Savage', ['Afrobeats', 'R&B'], 103.3),
      candidate('davido', 'Davido', ['Afrobeats', 'Afropop'], 98.9),
      candidate('yemi', 'Yemi Alade', ['Afropop', 'Afrobeats'], 89.9),
    ]);
    const reasons = recs.map((r) => r.reason);
    // Yemi Alade, Davido, Tiwa Savage (dial order): Tiwa's Afrobeats pairings are taken, so her R&B speaks.
    assert.deepEqual(reasons, ['Afrobeats, like Burna Boy', 'Afrobeats, like Wizkid', 'R&B, like Wizkid']);
    assert.equal(new Set(reasons).size, reasons.length);
    // One star with one genre: the reasons still differ.
    const lone = journalRecommendations(
      [star('mr', 'Mr Eazi', ['Afrobeats'])],
      [candidate('a', 'A', ['Afrobeats'], 90), candidate('b', 'B', ['Afrobeats'], 91), candidate('c', 'C', ['Afrobeats'], 92)],
    );
    assert.equal(new Set(lone.map((r) => r.reason)).size, 3, JSON.stringify(lone.map((r) => r.reason)));
  });

  it('recommends nobody who shares no genre, and nothing for an empty sky', () => {
    assert.deepEqual(journalRecommendations(stars, [candidate('ksa', 'King Sunny Ade', ['Jùjú'], 101.1)]), []);
    assert.deepEqual(journalRecommendations([], [candidate('ksa', 'King Sunny Ade', ['Jùjú'], 101.1)]), []);
  });
});
