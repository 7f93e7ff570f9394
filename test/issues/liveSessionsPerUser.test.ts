import assert from 'node:assert/strict';
import type { Room } from '@colyseus/sdk';
import { useServer } from '../support/serverProcess.js';
import { clientFor, nextMessage } from '../support/rooms.js';
import { signIn } from '../support/auth.js';

const PER_USER = 2;
const PER_DEVICE = 2;
const ROOMS_PER_USER = 3;
const ADMIN = 'admin-token-for-live-rooms-0123456789';

type Refusal = { code?: number; message?: string };
const refusalOf = (join: Promise<Room>): Promise<Room | Refusal> => join.catch((err: Refusal) => ({ code: err.code, message: err.message }));
const isRoom = (r: Room | Refusal): r is Room => 'roomId' in r && typeof (r as Room).leave === 'function';

/**
 * Regression: one valid token created 5,007 live `session` rooms in 36 s; nothing bounded a user's live
 * sessions. Now a user's live rooms are bounded before the join touches a session, and sessions per user
 * and per device by session id once it is known (the join is refused with 4429 LIVE_SESSIONS_LIMIT), on the backplane.
 */
describe('issue: one token held thousands of live session rooms', function () {
  this.timeout(60_000);
  const running = useServer({
    LOG_LEVEL: 'warn',
    LIVE_SESSIONS_PER_USER: String(PER_USER),
    LIVE_SESSIONS_PER_DEVICE: String(PER_DEVICE),
    LIVE_ROOMS_PER_USER: String(ROOMS_PER_USER),
    ADMIN_TOKEN: ADMIN,
  });
  /** Rooms this process made so far: each creation chooses a process once (src/joinPhases.ts). */
  const roomsMade = async (): Promise<number> => {
    const text = await (await fetch(`${running().server.baseUrl}/metrics`, { headers: { authorization: `Bearer ${ADMIN}` } })).text();
    return Number(/ds_join_phase_seconds_count\{phase="select_process"\} (\d+)/.exec(text)?.[1] ?? 0);
  };

  it('a flood of joins with one token keeps at most LIVE_ROOMS_PER_USER rooms; the rest get 4429 LIVE_SESSIONS_LIMIT', async () => {
    const { baseUrl } = running().server;
    const device = await signIn(baseUrl);
    const outcomes = await Promise.all(Array.from({ length: 60 }, () => refusalOf(clientFor(baseUrl, device.accessToken).create('session', {}))));
    const rooms = outcomes.filter(isRoom);
    const refused = outcomes.filter((o): o is Refusal => !isRoom(o));
    assert.ok(rooms.length >= 1 && rooms.length <= ROOMS_PER_USER, `${rooms.length} rooms live`);
    assert.equal(refused.length, 60 - rooms.length);
    for (const r of refused) {
      assert.ok(r.code === 429 || r.code === 4429, JSON.stringify(r));
      assert.match(
        r.message ?? '',
        /^LIVE_SESSIONS_LIMIT: this (account already has \d+ live session rooms|account already has \d+ live sessions|device already has \d+ live sessions)/,
      );
    }
    await Promise.all(rooms.map((room) => room.leave(true)));
    // Their claims are released at the leave: the user joins again.
    const again = await clientFor(baseUrl, device.accessToken).create('session', {});
    await nextMessage(again, 'welcome');
    await again.leave(true);
  });

  it('a resume of the same session counts once; the rooms a user holds are bounded, a room that leaves frees its place, and a refused join leaves the live rooms their session', async () => {
    const { baseUrl } = running().server;
    const phone = await signIn(baseUrl);
    const first = await clientFor(baseUrl, phone.accessToken).create('session', {});
    const { sessionId } = await nextMessage(first, 'welcome');
    const rooms = [first];
    for (let i = 1; i < ROOMS_PER_USER; i++) {
      const resumed = await clientFor(baseUrl, phone.accessToken).create('session', { lastSessionId: sessionId });
      assert.equal((await nextMessage(resumed, 'welcome')).sessionId, sessionId, 'each join resumed the same session');
      rooms.push(resumed);
    }
    const [{ resume_count: before }] = await running().db.sql.query<{ resume_count: number }>('SELECT resume_count FROM sessions WHERE id = ?', [sessionId]);
    const made = await roomsMade();
    const refused = await refusalOf(clientFor(baseUrl, phone.accessToken).create('session', { lastSessionId: sessionId }));
    assert.ok(!isRoom(refused) && refused.code === 429 && /account already has 3 live session rooms/.test(refused.message ?? ''), JSON.stringify(refused));
    for (let i = 0; i < 5; i++) await refusalOf(clientFor(baseUrl, phone.accessToken).create('session', {}));
    assert.equal(await roomsMade(), made, 'refused at matchmaking: no room was made for them');
    const [{ resume_count: after }] = await running().db.sql.query<{ resume_count: number }>('SELECT resume_count FROM sessions WHERE id = ?', [sessionId]);
    assert.equal(after, before, 'the refused join did not resume the session (the newest live room still holds it)');
    await rooms.shift()!.leave(true);
    const again = await clientFor(baseUrl, phone.accessToken).create('session', { lastSessionId: sessionId });
    assert.equal((await nextMessage(again, 'welcome')).sessionId, sessionId);
    await Promise.all([...rooms, again].map((room) => room.leave(true)));
  });
});
