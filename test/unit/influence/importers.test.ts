import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ImportFormatError, lastfmSimilar, MAX_RELATIONS_PER_ARTIST, musicBrainzArtist } from '../../../systems/influence/importers.js';
import { readExportRecords } from '../../../persistence/influence/exportFiles.js';
import { importRelations } from '../../../features/influence/importRelations.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/influence');
const fixture = (name: string): unknown => JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8'));

describe('influence importers: MusicBrainz artist-rels and Last.fm artist.getSimilar (seed 000 step 11.a)', () => {
  it('MusicBrainz: "influenced by" artist relations at confidence 1.0; other types and URL relations skipped and counted', () => {
    const burna = musicBrainzArtist(fixture('musicbrainz-burna-boy.json'));
    assert.equal(burna.name, 'Burna Boy');
    assert.equal(burna.externalId, '00000000-0000-4000-8000-00000000b001');
    assert.deepEqual(burna.relations, [
      { name: 'Fela Kuti', confidence: 1 },
      { name: 'Bob Marley', confidence: 1 },
    ]);
    assert.deepEqual(burna.skipped, { other_type: 1, not_an_artist: 1 });
  });

  it('MusicBrainz: both directions relate the pair (the builder types them by era)', () => {
    const fela = musicBrainzArtist({
      name: 'Fela Kuti',
      relations: [
        { type: 'influenced by', direction: 'backward', 'target-type': 'artist', artist: { name: 'Femi Kuti' } },
        { type: 'influenced by', direction: 'forward', 'target-type': 'artist', artist: { name: 'James Brown' } },
      ],
    });
    assert.deepEqual(
      fela.relations.map((r) => r.name),
      ['Femi Kuti', 'James Brown'],
    );
  });

  it('Last.fm: each similar artist at its match (a string in 0–1); a bad match or name skipped and counted', () => {
    const burna = lastfmSimilar(fixture('lastfm-similar-burna-boy.json'));
    assert.equal(burna.name, 'Burna Boy');
    assert.deepEqual(burna.relations.slice(0, 4), [
      { name: 'Wizkid', confidence: 1 },
      { name: 'Davido', confidence: 0.912345 },
      { name: 'Tems', confidence: 0.74 },
      { name: 'Rema', confidence: 0.68 },
    ]);
    assert.equal(burna.relations.length, 5);
    assert.deepEqual(burna.skipped, { bad_match: 1 });
    // Last.fm writes one similar artist as an object, none as an empty string.
    assert.deepEqual(lastfmSimilar({ similarartists: { artist: { name: 'Sade', match: '0.3' }, '@attr': { artist: 'Tems' } } }).relations, [
      { name: 'Sade', confidence: 0.3 },
    ]);
    assert.deepEqual(lastfmSimilar({ similarartists: { artist: '', '@attr': { artist: 'Nobody' } } }).relations, []);
  });

  it('hostile records are refused with IMPORT_INVALID and a message naming the problem', () => {
    const refuses = (fn: () => unknown, pattern: RegExp) =>
      assert.throws(fn, (err: unknown) => err instanceof ImportFormatError && err.code === 'IMPORT_INVALID' && pattern.test(err.message));
    refuses(() => lastfmSimilar(fixture('lastfm-error.json')), /Last\.fm error response \(error 6\): The artist you supplied could not be found/);
    refuses(() => lastfmSimilar({ artists: [] }), /no "similarartists"/);
    refuses(() => lastfmSimilar({ similarartists: { artist: [] } }), /@attr\.artist/);
    refuses(() => lastfmSimilar({ similarartists: { artist: 7, '@attr': { artist: 'X' } } }), /must be an array/);
    refuses(() => lastfmSimilar([1, 2]), /JSON object/);
    refuses(() => musicBrainzArtist({ relations: [] }), /needs a "name"/);
    refuses(() => musicBrainzArtist({ name: 'x'.repeat(201) }), /needs a "name"/);
    refuses(() => musicBrainzArtist({ name: 'A', relations: {} }), /must be an array/);
    refuses(
      () => musicBrainzArtist({ error: 'Not Found', help: 'For usage, please see: https://musicbrainz.org/development/mmd' }),
      /MusicBrainz error response/,
    );
    refuses(() => musicBrainzArtist('Burna Boy'), /JSON object/);
    refuses(() => musicBrainzArtist(null), /JSON object/);
  });

  it('bounds: at most 100 relations per artist, a name once, control characters and empty names refused', () => {
    const many = Array.from({ length: 150 }, (_, i) => ({ name: `Artist ${i}`, match: '0.5' }));
    const big = lastfmSimilar({
      similarartists: {
        artist: [...many, { name: 'artist 0', match: '0.9' }, { name: 'bad\u0007bell', match: '0.9' }, { name: '   ', match: '0.9' }],
        '@attr': { artist: 'X' },
      },
    });
    assert.equal(big.relations.length, MAX_RELATIONS_PER_ARTIST);
    assert.deepEqual(big.skipped, { over_limit: 50, duplicate: 1, bad_name: 2 });
    const match = (m: unknown) => lastfmSimilar({ similarartists: { artist: [{ name: 'Y', match: m }], '@attr': { artist: 'X' } } }).relations.length;
    assert.deepEqual([match('1'), match(0.2), match('1.5'), match('-0.1'), match(null), match('NaN'), match('0x1')], [1, 1, 0, 0, 0, 0, 0]);
  });

  it('an export file: one JSON document or JSON lines; a bad line is reported with its number and the rest imported (dry run)', async () => {
    const dump = await importRelations('musicbrainz', readExportRecords(path.join(FIXTURES, 'musicbrainz-dump.jsonl')), null, Date.now);
    assert.deepEqual(
      { records: dump.records, artists: dump.artists, relations: dump.relations, refused: dump.refused, dryRun: dump.dryRun },
      { records: 4, artists: 2, relations: 4, refused: 2, dryRun: true },
    );
    assert.deepEqual(
      dump.problems.map((p) => p.line),
      [3, 4],
    );
    assert.match(dump.problems[0].message, /^not JSON/);
    assert.match(dump.problems[1].message, /needs a "name"/);
    assert.deepEqual(dump.skipped, { other_type: 1 });
    const single = await importRelations('lastfm', readExportRecords(path.join(FIXTURES, 'lastfm-similar-burna-boy.json')), null, Date.now);
    assert.deepEqual([single.records, single.artists, single.relations, single.refused], [1, 1, 5, 0]);
  });
});
