import assert from 'node:assert/strict';
import { artworkPalette, demoArtworkSvg, hslHex, initials } from '../../../systems/assets/demoArtwork.js';

describe('generated artist artwork (systems/assets/demoArtwork)', () => {
  it('converts HSL to hex on the primaries and wraps the hue', () => {
    assert.equal(hslHex(0, 100, 50), '#FF0000');
    assert.equal(hslHex(120, 100, 50), '#00FF00');
    assert.equal(hslHex(240, 100, 50), '#0000FF');
    assert.equal(hslHex(360 + 240, 100, 50), '#0000FF');
    assert.equal(hslHex(77, 0, 100), '#FFFFFF');
  });

  it('takes initials from words with letters, at most first and last of a long name', () => {
    assert.equal(initials('Fela Kuti'), 'FK');
    assert.equal(initials('E.T. Mensah'), 'ETM');
    assert.equal(initials('Sade'), 'S');
    assert.equal(initials("Youssou N'Dour"), 'YN');
    assert.equal(initials('Ali Farka Touré Junior Band'), 'AB');
    assert.equal(initials('Ángélique Kidjo'), 'ÁK');
  });

  it('draws the same poster for the same artist and different colours for different ones', () => {
    const a = demoArtworkSvg({ id: 'artist_fela_kuti', name: 'Fela Kuti' }, 2048);
    assert.equal(a, demoArtworkSvg({ id: 'artist_fela_kuti', name: 'Fela Kuti' }, 2048));
    assert.match(a, /^<svg [^>]*width="2048" height="2048"/);
    assert.match(a, />FK<\/text>/);
    assert.notDeepEqual(artworkPalette({ id: 'artist_fela_kuti', name: 'x' }), artworkPalette({ id: 'artist_wizkid', name: 'x' }));
  });
});
