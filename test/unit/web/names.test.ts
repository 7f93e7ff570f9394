import assert from 'node:assert/strict';
import { shortName } from '../../../web/src/play/constellation.js';
import { labelForms, labelFromArtistId, spanFor } from '../../../web/src/play/dial.js';
import { ago } from '../../../web/src/play/inbox.js';

describe('web/play names: on the dial and in the sky', () => {
  it('names a dial station from its id with its first letter up: "2Baba", as the catalog spells it', () => {
    assert.equal(labelFromArtistId('artist_2baba'), '2Baba');
    assert.equal(labelFromArtistId('artist_burna_boy'), 'Burna Boy');
  });

  it('shortens a name too long for the sky at a word, with an ellipsis', () => {
    assert.equal(shortName('Seun Kuti & Egypt 80 (Live at the New Afrika Shrine)', 30), 'Seun Kuti & Egypt 80 (Live at…');
    assert.equal(shortName('Ladysmith_Black_Mambazo_Homeless_Extended', 20), 'Ladysmith_Black_Mam…');
    assert.equal(shortName('Fela Kuti', 20), 'Fela Kuti');
  });

  it('a crowded dial tries shorter forms of a name, longest first, before leaving a dot unnamed', () => {
    assert.deepEqual(labelForms('King Sunny Ade'), ['King Sunny Ade', 'K. S. Ade', 'K. Ade', 'King Su…', 'King…', 'Ki…']);
    assert.deepEqual(labelForms('Ladysmith_Black_Mambazo'), ['Ladysmith_Black_Mambazo', 'Ladysmi…', 'Lady…', 'La…']);
    assert.deepEqual(labelForms('Sade'), ['Sade']);
  });

  it('shows 8 MHz across a desktop strip and less on a phone, so close stations stay apart', () => {
    assert.equal(spanFor(1920), 8);
    assert.equal(spanFor(1280), 8);
    assert.ok(spanFor(390) > 4 && spanFor(390) < 4.2);
    assert.equal(spanFor(300), 4);
  });

  it("says an inbox entry's age in words", () => {
    const now = Date.parse('2026-11-26T12:00:00Z');
    assert.equal(ago('2026-11-26T11:59:30Z', now), 'just now');
    assert.equal(ago('2026-11-26T11:55:00Z', now), '5 min ago');
    assert.equal(ago('2026-11-26T09:00:00Z', now), '3 h ago');
    assert.equal(ago('2026-11-24T12:00:00Z', now), '2 d ago');
  });
});
