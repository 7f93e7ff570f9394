import assert from 'node:assert/strict';
import { shortName } from '../../../web/src/play/constellation.js';
import { labelFromArtistId } from '../../../web/src/play/dial.js';

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
});
