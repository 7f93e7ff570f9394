import assert from 'node:assert/strict';
import { useServer } from '../support/serverProcess.js';
import { nextMessage } from '../support/rooms.js';
import { joinSession, leaveQuietly } from '../support/session.js';
import { bearer } from '../support/auth.js';
import { journalSchema } from '../../rooms/session/replies.js';

const ADMIN = 'journal-test-admin-token-0123456789';

/** Issue 13.1: the constellation journal over HTTP and in the session room, for the token's user only. */
for (const transport of ['uws', 'ws'] as const) {
  describe(`constellation journal (${transport})`, function () {
    this.timeout(60_000);
    const running = useServer({ TRANSPORT: transport, ADMIN_TOKEN: ADMIN });
    const journalOver = async (token: string) => fetch(`${running().server.baseUrl}/api/constellations/me`, { headers: bearer(token) });

    it('401 without a token, 403 for the admin token (it has no constellation)', async () => {
      const none = await fetch(`${running().server.baseUrl}/api/constellations/me`);
      assert.equal(none.status, 401);
      assert.match(none.headers.get('www-authenticate') ?? '', /Bearer/);
      assert.equal((await journalOver(ADMIN)).status, 403);
    });

    it('a capture in the room shows in the next journal at once; the room reply equals the HTTP journal; users see only their own', async () => {
      const { room, auth } = await joinSession(running().server.baseUrl);
      const { room: other, auth: otherAuth } = await joinSession(running().server.baseUrl);
      const empty = await (await journalOver(auth.accessToken)).json();
      assert.equal(empty.statistics.totalStars, 0);

      for (const frequency of [99.9, 105.5]) {
        const locked = nextMessage(room, 'locked');
        room.send('tune', { frequency });
        await locked;
        const captured = nextMessage(room, 'captured');
        room.send('capture', {});
        await captured;
      }
      const res = await journalOver(auth.accessToken);
      assert.equal(res.status, 200);
      const journal = journalSchema.parse(await res.json());
      assert.deepEqual(journal.stars.map((s) => s.artist.name), ['Wizkid', 'Burna Boy'], 'the cached empty journal was not served');
      assert.equal(journal.statistics.totalStars, 2);
      assert.ok(journal.connections.length >= 1, 'the second star is linked to the first');
      assert.equal(journal.clusters.length, 1); // k = ⌈√(2/2)⌉ = 1
      assert.equal(journal.stars[0].artist.station, 99.9);

      const reply = nextMessage(room, 'journal');
      room.send('journal');
      assert.deepEqual(await reply, journal);

      const theirs = await (await journalOver(otherAuth.accessToken)).json();
      assert.equal(theirs.statistics.totalStars, 0, "another user's journal does not include these stars");
      await leaveQuietly(room);
      await leaveQuietly(other);
    });

    it('a journal message with fields is refused BAD_INPUT', async () => {
      const { room } = await joinSession(running().server.baseUrl);
      const error = nextMessage(room, 'error');
      room.send('journal', { userId: 'someone-else' });
      const e = await error;
      assert.deepEqual([e.code, e.for], ['BAD_INPUT', 'journal']);
      await leaveQuietly(room);
    });
  });
}
