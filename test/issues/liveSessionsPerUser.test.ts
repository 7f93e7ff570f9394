import assert from 'node:assert/strict';
import type { Room } from '@colyseus/sdk';
import { useServer } from '../support/serverProcess.js';
import { clientFor, nextMessage } from '../support/rooms.js';
import { signIn } from '../support/auth.js';

const PER_USER = 2;
const PER_DEVICE = 2;
const ROOMS_PER_SESSION = 2;

type Refusal = { code?: number; message?: string };
const refusalOf = (join: Promise<Room>): Promise<Room | Refusal> => join.catch((err: Refusal) => ({ code: err.code, message: err.message }));
const isRoom = (r: Room | Refusal): r is Room => 'roomId' in r && typeof (r as Room).leave === 'function';

/**
 * Regression: one valid token created 5,007 live `session` rooms in 36 s; nothing bounded a user's live
 * sessions. Now sessions per user and per device, and rooms per session, are bounded (the join is refused
 * with 4429 LIVE_SESSIONS_LIMIT), counted on the backplane by session id.
 */
describe('issue: one token held thousands of live session rooms', function () {
  this.timeout(60_000);
  const running = useServer({ LOG_LEVEL: 'warn', LIVE_SESSIONS_PER_USER: String(PER_USER), LIVE_SESSIONS_PER_DEVICE: String(PER_DEVICE), LIVE_ROOMS_PER_SESSION: String(ROOMS_PER_SESSION) });

  it('a flood of joins with one token keeps at most PER_USER × ROOMS_PER_SESSION rooms; the rest get 4429 LIVE_SESSIONS_LIMIT', async () => {
    const { baseUrl } = running().server;
    const device = await signIn(baseUrl);
    const outcomes = await Promise.all(Array.from({ length: 60 }, () => refusalOf(clientFor(baseUrl, device.accessToken).create('session', {}))));
    const rooms = outcomes.filter(isRoom);
    const refused = outcomes.filter((o): o is Refusal => !isRoom(o));
    assert.ok(rooms.length >= 1 && rooms.length <= PER_USER * ROOMS_PER_SESSION, `${rooms.length} rooms live`);
    assert.equal(refused.length, 60 - rooms.length);
    for (const r of refused) {
      assert.equal(r.code, 4429, JSON.stringify(r));
      assert.match(r.message ?? '', /^LIVE_SESSIONS_LIMIT: this (session is already live in \d+ rooms|account already has \d+ live sessions|device already has \d+ live sessions)/);
    }
    await Promise.all(rooms.map((room) => room.leave(true)));
    // Their claims are released at the leave: the user joins again.
    const again = await clientFor(baseUrl, device.accessToken).create('session', {});
    await nextMessage(again, 'welcome');
    await again.leave(true);
  });

  it('a resume of the same session counts once; its rooms are bounded, and a room that leaves frees its place', async () => {
    const { baseUrl } = running().server;
    const phone = await signIn(baseUrl);
    const first = await clientFor(baseUrl, phone.accessToken).create('session', {});
    const { sessionId } = await nextMessage(first, 'welcome');
    const resumed = await clientFor(baseUrl, phone.accessToken).create('session', { lastSessionId: sessionId });
    assert.equal((await nextMessage(resumed, 'welcome')).sessionId, sessionId, 'the second join resumed the same session');
    const third = await refusalOf(clientFor(baseUrl, phone.accessToken).create('session', { lastSessionId: sessionId }));
    assert.ok(!isRoom(third) && third.code === 4429 && /session is already live in 2 rooms/.test(third.message ?? ''), JSON.stringify(third));
    await first.leave(true);
    const after = await clientFor(baseUrl, phone.accessToken).create('session', { lastSessionId: sessionId });
    assert.equal((await nextMessage(after, 'welcome')).sessionId, sessionId);
    await Promise.all([resumed, after].map((room) => room.leave(true)));
  });
});
