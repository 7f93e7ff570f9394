import assert from 'node:assert/strict';
import { useServer } from '../support/serverProcess.js';
import { nextMessage } from '../support/rooms.js';
import { joinSession, leaveQuietly } from '../support/session.js';

/**
 * Strings Postgres cannot store reached it: NUL in `capture.artistId` answered INTERNAL, NUL
 * in `deviceModel` failed the join with a database error. They are refused at the room edge, naming the field.
 */
describe('issue: NUL and lone surrogates in room strings reached Postgres', function () {
  this.timeout(60_000);
  const running = useServer();

  // Over msgpack a lone surrogate arrives as U+FFFD (harmless); NUL arrives as it is.
  it('capture with NUL in artistId → BAD_INPUT naming artistId, nothing stored', async () => {
    const { room, welcome } = await joinSession(running().server.baseUrl);
    const error = nextMessage(room, 'error');
    room.send('capture', { artistId: 'artist\u0000fela' });
    const reply = await error;
    assert.equal(reply.code, 'BAD_INPUT');
    assert.equal(reply.details[0].field, 'artistId');
    const [{ n }] = await running().db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM constellation_stars WHERE user_id = ?', [welcome.userId]);
    assert.equal(n, 0);
    await leaveQuietly(room);
  });

  // Join options travel as JSON over HTTP: both reach the room as they were sent.
  for (const [label, bad] of [
    ['NUL', '\u0000'],
    ['a lone surrogate', '\ud800'],
  ] as const) {
    it(`a join with ${label} in deviceModel is refused with a message naming deviceModel (no database error)`, async () => {
      await assert.rejects(joinSession(running().server.baseUrl, { deviceModel: `iPhone${bad}` }), (err: Error) => {
        assert.match(err.message, /deviceModel/);
        assert.doesNotMatch(err.message, /invalid byte sequence|unsupported Unicode|syntax/i);
        return true;
      });
    });
  }

  it('sync_offline with NUL deep inside an operation → BAD_INPUT naming the path', async () => {
    const { room } = await joinSession(running().server.baseUrl);
    const error = nextMessage(room, 'error');
    room.send('sync_offline', { operations: [{ opId: 'op-1', type: 'station_visit', payload: { artistId: 'x\u0000' } }] });
    const reply = await error;
    assert.equal(reply.code, 'BAD_INPUT');
    assert.equal(reply.details[0].field, 'operations.0.payload.artistId');
    await leaveQuietly(room);
  });
});
