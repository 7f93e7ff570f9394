import assert from 'node:assert/strict';
import { useServer } from '../../support/serverProcess.js';
import { bearer, postJson, signIn, type SignedIn } from '../../support/auth.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers read field by field
type Json = any;

/** The friend graph over HTTP on real Postgres: follow, accept, remove, block, the bounds, the inbox entry and the passport. */
describe('friends: requests, acceptance, blocks, bounds', function () {
  this.timeout(60_000);
  const running = useServer({ FRIENDS_MAX: '3', FRIEND_REQUESTS_PER_HOUR: '4' });
  const base = () => running().server.baseUrl;
  const call = async (method: string, path: string, who: SignedIn): Promise<{ status: number; body: Json }> => {
    const res = await fetch(`${base()}${path}`, { method, headers: bearer(who.accessToken) });
    return { status: res.status, body: await res.json() };
  };
  const follow = (who: SignedIn, other: SignedIn) => postJson(base(), `/api/friends/${other.userId}`, {}, bearer(who.accessToken));
  const list = async (who: SignedIn) =>
    (await call('GET', '/api/friends', who)).body.friends as Array<{ userId: string; state: string; displayName: string | null }>;
  const stateOf = async (who: SignedIn, other: SignedIn) => (await list(who)).find((f) => f.userId === other.userId)?.state ?? null;
  const users = async (n: number) => Promise.all(Array.from({ length: n }, () => signIn(base())));
  const name = (who: SignedIn, displayName: string) =>
    fetch(`${base()}/api/mediaid/me`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...bearer(who.accessToken) },
      body: JSON.stringify({ displayName }),
    });

  it('a request, then their acceptance: friends both ways, with names; the request left an inbox entry and a social.follow event', async () => {
    const [ada, bo] = await users(2);
    await name(ada, 'Ada');
    assert.deepEqual((await follow(ada, bo)).body, { state: 'requested' });
    assert.deepEqual((await follow(ada, bo)).body, { state: 'requested' }, 'asking again answers the same');
    assert.equal(await stateOf(ada, bo), 'requested');
    assert.equal(await stateOf(bo, ada), 'incoming');
    const inbox = (await call('GET', '/api/notifications', bo)).body.notifications as Json[];
    assert.equal(inbox.length, 1);
    assert.equal(inbox[0].type, 'friend_request');
    assert.equal(inbox[0].title, 'Ada wants to be friends');
    assert.deepEqual(inbox[0].from, { userId: ada.userId, displayName: 'Ada' });
    assert.deepEqual((await follow(bo, ada)).body, { state: 'friends' }, 'asking back accepts');
    assert.equal(await stateOf(ada, bo), 'friends');
    assert.equal((await list(bo)).find((f) => f.userId === ada.userId)?.displayName, 'Ada');
    const events = await running().db.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM passport_entries WHERE event_type = 'social.follow' AND user_id = ?::uuid AND payload->>'targetUserId' = ?`,
      [ada.userId, bo.userId],
    );
    assert.equal(events[0]!.n, 1, 'one follow event, however often asked');
    assert.deepEqual((await call('DELETE', `/api/friends/${ada.userId}`, bo)).body, { removed: true });
    assert.equal(await stateOf(ada, bo), null, 'removed both ways');
    assert.deepEqual((await call('DELETE', `/api/friends/${ada.userId}`, bo)).body, { removed: false });
  });

  it('two listeners asking each other at once end as friends', async () => {
    const [a, b] = await users(2);
    const answers = await Promise.all([follow(a, b), follow(b, a)]);
    assert.ok(
      answers.some((r) => r.body.state === 'friends'),
      JSON.stringify(answers.map((r) => r.body)),
    );
    assert.equal(await stateOf(a, b), 'friends');
    assert.equal(await stateOf(b, a), 'friends');
  });

  it('a block ends the friendship; the blocked one cannot ask (403), the blocker must unblock first (409)', async () => {
    const [a, b] = await users(2);
    await follow(a, b);
    await follow(b, a);
    assert.deepEqual((await call('PUT', `/api/friends/${b.userId}/block`, a)).body, { state: 'blocked' });
    assert.equal(await stateOf(a, b), 'blocked');
    assert.equal(await stateOf(b, a), null);
    const refused = await follow(b, a);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error, 'FORBIDDEN');
    assert.equal((await follow(a, b)).status, 409);
    assert.deepEqual((await call('DELETE', `/api/friends/${b.userId}/block`, a)).body, { removed: true });
    assert.deepEqual((await follow(b, a)).body, { state: 'requested' });
  });

  it('bounded: FRIENDS_MAX friends and requests, FRIEND_REQUESTS_PER_HOUR new requests; bad ids get a code', async () => {
    const [me, ...others] = await users(6);
    for (const o of others.slice(0, 3)) assert.equal((await follow(me, o)).body.state, 'requested');
    const full = await follow(me, others[3]!);
    assert.equal(full.status, 409);
    assert.match(full.body.message, /FRIENDS_MAX 3/);
    await call('DELETE', `/api/friends/${others[0]!.userId}`, me);
    await call('DELETE', `/api/friends/${others[1]!.userId}`, me);
    assert.equal((await follow(me, others[3]!)).body.state, 'requested', 'the 4th request this hour');
    const limited = await follow(me, others[4]!);
    assert.equal(limited.status, 429);
    assert.equal(limited.body.error, 'RATE_LIMITED');
    assert.equal((await follow(me, me)).status, 400);
    assert.equal((await postJson(base(), '/api/friends/not-a-uuid', {}, bearer(me.accessToken))).status, 400);
    assert.equal((await postJson(base(), '/api/friends/00000000-0000-4000-8000-000000000000', {}, bearer(me.accessToken))).status, 404);
    assert.equal((await fetch(`${base()}/api/friends`)).status, 401);
  });
});
