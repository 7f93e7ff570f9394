import assert from 'node:assert/strict';
import { influenceScore } from '../../../systems/catalog/catalogRules.js';
import {
  ORB_SCORE_THRESHOLD,
  describeInfluence,
  eraDecadeOf,
  makesOrb,
  mergeRelations,
  planOrbs,
  scoreInfluence,
  type InfluenceArtist,
  type MatchedRelation,
} from '../../../systems/influence/influence.js';
import { buildDemoCatalog } from '../../../persistence/catalog/buildCatalog.js';

const close = (a: number, b: number, eps = 1e-9) => assert.ok(Math.abs(a - b) < eps, `${a} ≉ ${b}`);
const artist = (id: string, genres: string[], eraDecade: number | null, frequency: number | null): InfluenceArtist => ({
  id,
  name: id,
  genres,
  eraDecade,
  frequency,
});

const wizkid = artist('Wizkid', ['Afrobeats', 'Afropop', 'R&B'], 2000, 99.9);
const fela = artist('Fela Kuti', ['Afrobeat', 'Funk', 'Jazz'], 1950, 102.7);

describe('systems/influence (seed 000 step 11)', () => {
  it('merges sources: confidences averaged, sources counted once each (11.b)', () => {
    const merged = mergeRelations([
      [{ name: 'Fela Kuti', confidence: 1.0 }], // MusicBrainz "influenced by"
      [
        { name: 'fela kuti', confidence: 0.7 },
        { name: 'Sade', confidence: 0.7 },
      ], // Spotify related
      [
        { name: 'Fela  Kuti', confidence: 0.4 },
        { name: 'Fela Kuti', confidence: 0.1 },
      ], // Last.fm: the best match per source
    ]);
    const fk = merged.find((m) => m.name === 'Fela Kuti')!;
    close(fk.confidence, (1.0 + 0.7 + 0.4) / 3);
    assert.equal(fk.sourceCount, 3);
    assert.deepEqual(
      merged.find((m) => m.name === 'Sade'),
      { name: 'Sade', confidence: 0.7, sourceCount: 1, type: undefined, description: undefined },
    );
  });

  it('types relationships by era and dial distance (11.d)', () => {
    const typeOf = (a: InfluenceArtist, b: InfluenceArtist) => scoreInfluence(a, { name: b.name, confidence: 1, sourceCount: 1, target: b }).type;
    assert.equal(typeOf(wizkid, fela), 'ancestor');
    assert.equal(typeOf(fela, wizkid), 'influenced');
    assert.equal(typeOf(artist('Burna Boy', [], 2010, 105.5), artist('Tiwa Savage', [], 2010, 103.3)), 'peer');
    assert.equal(typeOf(artist('Burna Boy', [], 2010, 105.5), artist('Tems', [], 2010, 95.0)), 'contemporary');
    assert.equal(typeOf(artist('A', [], 2010, 105.5), artist('B', [], 2010, null)), 'contemporary', 'off the dial counts as far');
    assert.equal(typeOf(artist('A', [], null, 105.5), artist('B', [], 2010, 105.0)), 'contemporary', 'an unknown era');
    assert.equal(eraDecadeOf('1950s–present'), 1950);
    assert.equal(eraDecadeOf('2019'), 2010);
    assert.equal(eraDecadeOf(''), null);
  });

  it('scores 0.4 · confidence + 0.3 · genre overlap + 0.2 / |Δ station| + 0.1 · sources / 3 (11.d)', () => {
    // Wizkid → Fela Kuti, one explicit source; Afrobeats/Afrobeat count as one genre (1 of 3 shared):
    // 0.4 + 0.1 + 0.2/2.8 + 0.1/3 = 0.605.
    const s = scoreInfluence(wizkid, { name: 'Fela Kuti', confidence: 1, sourceCount: 1, target: fela });
    close(s.genreSimilarity, 1 / 3);
    close(s.score, 0.4 + 0.3 / 3 + 0.2 / 2.8 + 0.1 / 3);
    assert.equal(s.type, 'ancestor');
    assert.ok(makesOrb(s.score));
    // The same with Last.fm's 0.6 match alone: 0.24 + 0.1 + 0.0714 + 0.0333 = 0.445, no orb.
    assert.equal(makesOrb(scoreInfluence(wizkid, { name: 'Fela Kuti', confidence: 0.6, sourceCount: 1, target: fela }).score), false);
    // Seed numbers with two shared genres of three and three agreeing sources, 0.5 MHz apart (proximity capped at 1).
    close(influenceScore(0.9, 2 / 3, 0.5, 3), 0.36 + 0.2 + 0.2 + 0.1);
  });

  it('creates orbs only strictly above 0.5', () => {
    assert.equal(ORB_SCORE_THRESHOLD, 0.5);
    assert.equal(makesOrb(0.5), false);
    assert.equal(makesOrb(0.5001), true);
  });

  it('lays orbs out by step 11.e, the strongest of a ring nearest', () => {
    const me = artist('Me', ['Afrobeats'], 2010, 100);
    const m = (id: string, decade: number, frequency: number, confidence: number, genres = ['Afrobeats']): MatchedRelation => ({
      name: id,
      confidence,
      sourceCount: 3,
      target: artist(id, genres, decade, frequency),
    });
    const { orbs } = planOrbs(me, [
      m('OldA', 1960, 101, 0.7),
      m('OldB', 1970, 102, 1.0),
      m('PeerA', 2010, 101, 1.0),
      m('PeerB', 2010, 102, 0.9),
      m('PeerC', 2010, 103, 0.8),
      m('FarA', 2010, 90, 1.0),
      m('FarB', 2010, 91, 0.8),
      m('Weak', 2010, 95, 0.1, ['Polka']), // 0.04 + 0 + 0.04 + 0.1 = 0.18: no orb
    ]);
    const by = new Map(orbs.map((o) => [o.targetArtistId, o]));
    assert.equal(by.has('Weak'), false);
    // ancestors: angle = i/n·180 + 90, radius 150 + 20i, inclination 30, speed 0.2 + 0.05i
    assert.deepEqual(
      [by.get('OldB'), by.get('OldA')].map((o) => [o!.startAngle, o!.orbitRadius, o!.inclination, o!.orbitSpeed]),
      [
        [90, 150, 30, 0.2],
        [180, 170, 30, 0.25],
      ],
    );
    // peers: angle = i/n·360, radius 120, level, speed 0.4
    assert.deepEqual(
      ['PeerA', 'PeerB', 'PeerC'].map((id) => [by.get(id)!.startAngle, by.get(id)!.orbitRadius, by.get(id)!.inclination, by.get(id)!.orbitSpeed]),
      [
        [0, 120, 0, 0.4],
        [120, 120, 0, 0.4],
        [240, 120, 0, 0.4],
      ],
    );
    // contemporaries: angle = i/n·120 + 30, radius 100, −20, speed 0.5
    assert.deepEqual(
      ['FarA', 'FarB'].map((id) => [by.get(id)!.startAngle, by.get(id)!.orbitRadius, by.get(id)!.inclination, by.get(id)!.orbitSpeed]),
      [
        [30, 100, -20, 0.5],
        [90, 100, -20, 0.5],
      ],
    );
    // 11.f: size 50 + score · 30, glow by type
    const peerA = by.get('PeerA')!;
    assert.equal(peerA.size, Math.round(50 + peerA.score * 30));
    assert.equal(peerA.glowColor, '#00CED1');
  });

  it('describes pairs with the seed templates, the same text every run (11.g)', () => {
    const text = describeInfluence({ ...wizkid, eraDecade: 2000 }, fela, 'ancestor');
    assert.ok(
      [
        'Fela Kuti pioneered the sound that Wizkid modernized',
        "Wizkid draws from Fela Kuti's revolutionary approach",
        'The lineage from Fela Kuti to Wizkid is unmistakable',
      ].includes(text),
      text,
    );
    assert.equal(describeInfluence({ ...wizkid, eraDecade: 2000 }, fela, 'ancestor'), text);
  });

  it('the demo catalog holds no orb at or below the threshold (the 8 that scored 0.397–0.491 are gone), and keeps the seed-named orbs', () => {
    const { orbs } = buildDemoCatalog();
    assert.deepEqual(
      orbs.filter((o) => o.influence_score <= ORB_SCORE_THRESHOLD).map((o) => o.id),
      [],
    );
    for (const id of [
      'orb_wizkid__fela_kuti',
      'orb_wizkid__sade',
      'orb_burna_boy__fela_kuti',
      'orb_burna_boy__damian_marley',
      'orb_fela_kuti__james_brown',
      'orb_fela_kuti__tony_allen',
    ]) {
      assert.ok(
        orbs.some((o) => o.id === id),
        `${id} is kept`,
      );
    }
    assert.equal(
      orbs.some((o) => o.id === 'orb_bob_marley__burna_boy'),
      false,
      'scored 0.397',
    );
  });
});
