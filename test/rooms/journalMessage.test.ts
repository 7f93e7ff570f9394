import assert from 'node:assert/strict';
import { useServer } from '../support/serverProcess.js';
import { bearer } from '../support/auth.js';
import { nextMessage } from '../support/rooms.js';
import { joinSession, leaveQuietly } from '../support/session.js';

/** The session room's `journal` message answers what `GET /api/constellations/me` answers. */
describe('session room: journal message', function () {
  this.timeout(60_000);
  const running = useServer();

  it('after captures, the `journal` reply equals the HTTP journal; a bad payload is BAD_INPUT', async () => {
    const { room, auth } = await joinSession(running().server.baseUrl);
    const locked = nextMessage(room, 'locked');
    room.send('tune', { frequency: 99.9 });
    await locked;
    for (const artistId of [undefined, 'artist_burna_boy', 'artist_fela_kuti']) {
      const captured = nextMessage(room, 'captured');
      room.send('capture', artistId ? { artistId } : {});
      await captured;
    }
    const reply = nextMessage(room, 'journal');
    room.send('journal');
    const fromRoom = await reply;
    const res = await fetch(`${running().server.baseUrl}/api/constellations/me`, { headers: bearer(auth.accessToken) });
    assert.equal(res.status, 200);
    assert.deepEqual(fromRoom, await res.json());
    assert.deepEqual(
      fromRoom.stars.map((s: { artist: { name: string } }) => s.artist.name),
      ['Wizkid', 'Burna Boy', 'Fela Kuti'],
    );
    assert.equal(fromRoom.clusters.length, 2, "the seed's k = 2 for three stars");

    const error = nextMessage(room, 'error');
    room.send('journal', { userId: 'someone-else' });
    const err = await error;
    assert.equal(err.code, 'BAD_INPUT');
    assert.equal(err.for, 'journal');
    await leaveQuietly(room);
  });
});
