import assert from 'node:assert/strict';
import { parseTournament, standings, TournamentIdError } from '../../../systems/reports/tournament.js';
import { standingLines, standingsHeadline } from '../../../systems/reports/reportSections.js';

describe('city-to-city tournaments (systems/reports/tournament)', () => {
  it('reads the field from the entity id: " vs " between cities, any case, or all cities', () => {
    assert.deepEqual(parseTournament(' Lagos vs ACCRA VS. Nairobi ', 16), {
      kind: 'named',
      cities: ['lagos', 'accra', 'nairobi'],
      names: ['Lagos', 'ACCRA', 'Nairobi'],
    });
    assert.deepEqual(
      parseTournament('Port   Harcourt vs I\u0300ba\u0300da\u0300n', 16),
      { kind: 'named', cities: ['port harcourt', 'ìbàdàn'], names: ['Port Harcourt', 'Ìbàdàn'] },
      'spelled as ingest stores cities',
    );
    assert.deepEqual(parseTournament('All Cities', 16), { kind: 'all' });
    assert.deepEqual(parseTournament('all', 16), { kind: 'all' });
  });

  it('refuses one city, too many, an empty name and a city named twice, saying how to write it', () => {
    assert.throws(
      () => parseTournament('Lagos', 16),
      (e: Error) => e instanceof TournamentIdError && /" vs " between them/.test(e.message),
    );
    assert.throws(() => parseTournament('A vs B vs C', 2), /at most 2 cities \(REPORT_TOURNAMENT_MAX_CITIES\)/);
    assert.throws(() => parseTournament('Lagos vs lagos', 16), /named twice/);
    assert.throws(() => parseTournament('vs Lagos vs Accra', 16), /empty/);
    assert.throws(() => parseTournament('Lagos vs', 16), /empty/);
    assert.deepEqual(parseTournament('Versailles vs Vsetin', 16), { kind: 'named', cities: ['versailles', 'vsetin'], names: ['Versailles', 'Vsetin'] });
  });

  it('ranks by engagement with shared ranks for ties, shares, movement since the previous range', () => {
    const now = new Map([
      ['lagos', 30],
      ['accra', 50],
      ['nairobi', 30],
    ]);
    const before = new Map([
      ['lagos', 40],
      ['accra', 10],
    ]);
    const names = new Map([
      ['lagos', 'Lagos'],
      ['accra', 'Accra'],
      ['nairobi', 'Nairobi'],
    ]);
    const s = standings(['lagos', 'accra', 'nairobi', 'kigali'], now, before, names);
    assert.deepEqual(
      s.rows.map((r) => [r.city, r.rank, r.share, r.previousRank, r.movement]),
      [
        ['Accra', 1, 45.5, 2, 1],
        ['Lagos', 2, 27.3, 1, -1],
        ['Nairobi', 2, 27.3, null, null],
        ['kigali', null, 0, null, null],
      ],
    );
    assert.equal(s.winner, 'Accra');
    assert.equal(s.total, 110);
    assert.equal(standingsHeadline(s), 'Accra leads by 20 · 110 engagement events in all');
    const lines = standingLines(s);
    assert.deepEqual(lines[0], { rank: '#1', city: 'Accra', engagement: '50', share: '45.5%', previous: '#2 before (10) · ▲1' });
    assert.equal(lines[1].previous, '#1 before (40) · ▼1');
    assert.deepEqual([lines[3].rank, lines[3].previous], ['—', 'unranked before (0)']);
  });

  it('names no winner for a shared first place or a silent field', () => {
    const tie = standings(
      ['a', 'b'],
      new Map([
        ['a', 5],
        ['b', 5],
      ]),
      new Map(),
      new Map(),
    );
    assert.equal(tie.winner, null);
    assert.match(standingsHeadline(tie), /^Shared first place · 10 engagement events/);
    const silent = standings(['a', 'b'], new Map(), new Map(), new Map());
    assert.deepEqual([silent.winner, silent.total, standingsHeadline(silent)], [null, 0, 'No engagement from these cities in this range.']);
  });
});
