import assert from 'node:assert/strict';
import { inOwnersVoice } from '../../../web/src/share/voice.js';
import { readableOnDark } from '../../../web/src/shared/colour.js';

describe('web/share voice: the owner spoken of, colours readable', () => {
  it('turns the journal\'s "you" into the owner', () => {
    assert.equal(inOwnersVoice("You're exploring the evolution of Afrobeat", 'Ngozi'), 'Ngozi is exploring the evolution of Afrobeat');
    assert.equal(inOwnersVoice("You're deep in House", 'Ngozi'), 'Ngozi is deep in House');
    assert.equal(inOwnersVoice('Capture your first star to start your constellation', 'Ngozi'), "Capture Ngozi's first star to start Ngozi's constellation");
    assert.equal(inOwnersVoice('14 stars captured, spanning 7 decades', 'Ngozi'), '14 stars captured, spanning 7 decades');
    // An owner with no name: capitalised at the start of a sentence only.
    assert.equal(inOwnersVoice("You're ranging across Afrobeat, Hip Hop and Funk", 'A listener'), 'A listener is ranging across Afrobeat, Hip Hop and Funk');
    assert.equal(inOwnersVoice('Capture your first star', 'A listener'), "Capture a listener's first star");
  });

  it('lightens a dark cluster colour towards white, keeps its hue', () => {
    assert.equal(readableOnDark('#3e8fb0'), '#95c1d4');
    assert.equal(readableOnDark('#ffffff'), '#ffffff');
    assert.equal(readableOnDark('nonsense'), 'nonsense');
  });
});
