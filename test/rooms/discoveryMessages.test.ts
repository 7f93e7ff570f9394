import assert from 'node:assert/strict';
import { useServer } from '../support/serverProcess.js';
import { nextMessage, waitForState } from '../support/rooms.js';
import { joinSession, leaveQuietly } from '../support/session.js';

/** Discovery in the session room: `search` → `search`, a capture → `recommendations`, an orb zoom → `suggestions`. */
describe('session room: search, recommendations after a capture, suggestions after an orb zoom', function () {
  this.timeout(60_000);
  const running = useServer({ PASSPORT_FLUSH_MS: '10', SEARCH_MAX_LIMIT: '20' });

  it('a `search` message is answered with a `search` reply (validated; the requestId echoed)', async () => {
    const { room } = await joinSession(running().server.baseUrl);
    const reply = nextMessage(room, 'search');
    room.send('search', { q: 'Burna', limit: 5, requestId: 'r1' });
    const answer = await reply;
    assert.equal(answer.requestId, 'r1');
    assert.equal(answer.query, 'burna');
    assert.equal(answer.results[0].artist.id, 'artist_burna_boy');
    assert.equal(answer.results[0].inConstellation, false);
    assert.ok(answer.results[0].influenceCount > 0);

    for (const [payload, field] of [
      [{ q: 'b' }, 'q'],
      [{ q: 'x'.repeat(101) }, 'q'],
      [{ q: 'burna', limit: 21 }, 'limit'],
      [{ q: 'burna', limit: 0 }, 'limit'],
    ] as const) {
      const error = nextMessage(room, 'error');
      room.send('search', payload);
      const e = await error;
      assert.equal(e.code, 'BAD_INPUT', JSON.stringify(payload));
      assert.equal(e.for, 'search');
      assert.equal(e.details[0].field, field, JSON.stringify(e));
    }
    await leaveQuietly(room);
  });

  it('capture → `captured`, then `recommendations` pushed without the new star; the next search flags it', async () => {
    const { room } = await joinSession(running().server.baseUrl);
    const locked = nextMessage(room, 'locked');
    room.send('tune', { frequency: 105.5 });
    await locked;
    const captured = nextMessage(room, 'captured');
    const pushed = nextMessage(room, 'recommendations', 10_000);
    room.send('capture', {});
    assert.equal((await captured).star.artistId, 'artist_burna_boy');
    const list = await pushed;
    assert.ok(list.recommendations.length > 0);
    const ids = list.recommendations.map((r: { artist: { id: string } }) => r.artist.id);
    assert.ok(!ids.includes('artist_burna_boy'), 'never the star just captured');
    const fela = list.recommendations.find((r: { artist: { id: string } }) => r.artist.id === 'artist_fela_kuti');
    assert.equal(fela?.reason, 'Influenced Burna Boy', "Burna Boy's ancestor orb");
    assert.ok(typeof list.generatedAt === 'string' && Array.isArray(list.newArtistIds));

    const reply = nextMessage(room, 'search');
    room.send('search', { q: 'burna boy' });
    const answer = await reply;
    assert.equal(answer.results[0].artist.id, 'artist_burna_boy');
    assert.equal(answer.results[0].inConstellation, true);
    await leaveQuietly(room);
  });

  it("an orb zoom from Wizkid to Fela Kuti → `suggestions` from Fela's orbs (seed 6.8: James Brown, Tony Allen)", async () => {
    const { room } = await joinSession(running().server.baseUrl);
    const fela = [...room.state.orbs.entries()].find(([, o]: [string, { name: string }]) => o.name === 'Fela Kuti');
    assert.ok(fela, 'Wizkid has a Fela Kuti orb');
    const suggestions = nextMessage(room, 'suggestions', 10_000);
    room.send('tap_orb', { orbId: fela[0] });
    await waitForState(room, (s) => s.station.artistName === 'Fela Kuti', 5000, 'arrival at Fela');
    const s = await suggestions;
    assert.equal(s.artistId, 'artist_fela_kuti');
    assert.ok(s.recommendations.length >= 1 && s.recommendations.length <= 3);
    const reasons = new Map(s.recommendations.map((r: { artist: { name: string }; reason: string }) => [r.artist.name, r.reason]));
    if (reasons.has('James Brown')) assert.equal(reasons.get('James Brown'), 'Influenced Fela Kuti');
    if (reasons.has('Tony Allen')) assert.equal(reasons.get('Tony Allen'), 'Connected to Fela Kuti');
    assert.ok(reasons.has('James Brown') || reasons.has('Tony Allen'), JSON.stringify([...reasons]));
    await leaveQuietly(room);
  });
});
