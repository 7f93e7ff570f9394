import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { useServer } from '../support/serverProcess.js';
import { bearer, postJson, signIn, type SignedIn } from '../support/auth.js';
import { jsonOf } from '../support/http.js';

/**
 * Seed 000 step 16.4: a `direct_user` share (with `recipient_id`) inserts a notification for the
 * recipient. The server refused `direct_user` with 400. Now it is a share like the others plus an entry
 * in the recipient's durable inbox (GET /api/notifications, POST /api/notifications/read), bounded per
 * sender per hour; nothing is stored for a refused share, and no one reads or marks another's inbox.
 */
describe('issue: direct_user shares notify their recipient (seed 000 step 16.4)', function () {
  this.timeout(60_000);
  const ADMIN = 'admin-token-for-direct-shares-0123456789';
  const running = useServer({ ADMIN_TOKEN: ADMIN, JOURNAL_DIRECT_SHARES_PER_HOUR: '3' });
  let sender: SignedIn;
  let recipient: SignedIn;

  const share = (who: SignedIn, body: unknown) => postJson(running().server.baseUrl, '/api/constellations/share', body, bearer(who.accessToken));
  const inbox = async (who: SignedIn, query = '') => {
    const res = await fetch(`${running().server.baseUrl}/api/notifications${query}`, { headers: bearer(who.accessToken) });
    return { status: res.status, body: await jsonOf(res) };
  };
  const markRead = (who: { accessToken: string }, body: unknown) =>
    postJson(running().server.baseUrl, '/api/notifications/read', body, bearer(who.accessToken));
  const counts = async () => {
    const [row] = await running().db.sql.query<{ shares: number; notes: number }>(
      `SELECT (SELECT count(*)::int FROM constellation_shares) AS shares, (SELECT count(*)::int FROM notifications) AS notes`,
    );
    return row;
  };

  before(async () => {
    sender = await signIn(running().server.baseUrl);
    recipient = await signIn(running().server.baseUrl);
    await running().db.sql.query(
      `INSERT INTO constellation_stars (user_id, artist_id, x, y, z, captured_at) VALUES (?, 'artist_fela_kuti', 0, 0, 0, now()), (?, 'artist_burna_boy', 120, 80, -50, now())`,
      [sender.userId, sender.userId],
    );
    await running().db.sql.query(`INSERT INTO media_ids (user_id, display_name) VALUES (?, 'Ada')`, [sender.userId]);
  });

  it('refuses a direct share without a recipient, to oneself, to a malformed or unknown id: coded errors, nothing stored', async () => {
    const cases: Array<[unknown, number, string, string]> = [
      [{ shareType: 'direct_user' }, 400, 'VALIDATION_FAILED', 'recipientId'],
      [{ shareType: 'direct_user', recipientId: null }, 400, 'VALIDATION_FAILED', 'recipientId'],
      [{ shareType: 'direct_user', recipientId: 'bob' }, 400, 'VALIDATION_FAILED', 'recipientId'],
      [{ shareType: 'direct_user', recipientId: randomUUID() }, 404, 'NOT_FOUND', 'recipientId'],
      [{ shareType: 'carrier_pigeon', recipientId: randomUUID() }, 400, 'VALIDATION_FAILED', 'shareType'],
    ];
    for (const [body, status, code, field] of cases) {
      const res = await share(sender, body);
      assert.equal(res.status, status, JSON.stringify(body));
      assert.equal(res.body.error, code);
      assert.equal(res.body.details?.[0]?.field, field, JSON.stringify(res.body));
    }
    const self = await share(sender, { shareType: 'direct_user', recipientId: sender.userId });
    assert.deepEqual([self.status, self.body.details[0].field], [400, 'recipientId']);
    assert.deepEqual(await counts(), { shares: 0, notes: 0 });
  });

  it("a direct share is a share plus an unread entry in the recipient's inbox, which only they read and mark", async () => {
    const res = await share(sender, { shareType: 'direct_user', recipientId: recipient.userId, message: 'Listen to this lineage!' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal((await fetch(`${running().server.baseUrl}/api/shared/${res.body.shareId}`)).status, 200, 'the share is viewable like any other');

    const mine = await inbox(recipient);
    assert.equal(mine.status, 200);
    assert.equal(mine.body.unread, 1);
    assert.equal(mine.body.nextBefore, null);
    const [entry] = mine.body.notifications;
    assert.deepEqual(
      { type: entry.type, from: entry.from, shareId: entry.shareId, shareUrl: entry.shareUrl, message: entry.message, read: entry.read },
      {
        type: 'constellation_share',
        from: { userId: sender.userId, displayName: 'Ada' },
        shareId: res.body.shareId,
        shareUrl: `/shared/${res.body.shareId}`,
        message: 'Listen to this lineage!',
        read: false,
      },
    );
    assert.deepEqual((await inbox(sender)).body, { notifications: [], unread: 0, nextBefore: null }, "the sender's inbox is their own");

    assert.deepEqual((await markRead(sender, { ids: [entry.id] })).body, { marked: 0 }, "another user's id is ignored");
    assert.equal((await inbox(recipient)).body.unread, 1);
    assert.deepEqual((await markRead(recipient, { ids: [entry.id, entry.id] })).body, { marked: 1 });
    assert.deepEqual((await markRead(recipient, { all: true })).body, { marked: 0 });
    const after = await inbox(recipient);
    assert.deepEqual([after.body.unread, after.body.notifications[0].read], [0, true]);
  });

  it('hostile inbox calls: bad bodies and pages are 400 naming the field, the admin token 403, no token 401', async () => {
    for (const body of [
      {},
      { ids: [] },
      { ids: ['abc'] },
      { ids: ['1'], all: true },
      { all: false },
      { ids: Array.from({ length: 101 }, (_, i) => String(i + 1)) },
      [1],
    ]) {
      const res = await markRead(recipient, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.error, 'VALIDATION_FAILED');
    }
    for (const [query, field] of [
      ['?limit=0', 'limit'],
      ['?limit=101', 'limit'],
      ['?limit=x', 'limit'],
      ['?before=-1', 'before'],
      ['?before=1e3', 'before'],
    ]) {
      const res = await inbox(recipient, query);
      assert.deepEqual([res.status, res.body.details?.[0]?.field], [400, field], query);
    }
    assert.equal((await markRead({ accessToken: ADMIN }, { all: true })).status, 403);
    assert.equal((await fetch(`${running().server.baseUrl}/api/notifications`, { headers: bearer(ADMIN) })).status, 403);
    const anonymous = await fetch(`${running().server.baseUrl}/api/notifications`);
    assert.equal(anonymous.status, 401);
    assert.match(anonymous.headers.get('www-authenticate') ?? '', /^Bearer/);
  });

  it('at most JOURNAL_DIRECT_SHARES_PER_HOUR (3) direct shares an hour: the next is 429 with Retry-After and stores nothing; the inbox pages', async () => {
    for (let i = 0; i < 2; i++) assert.equal((await share(sender, { shareType: 'direct_user', recipientId: recipient.userId })).status, 201);
    const before = await counts();
    const refused = await share(sender, { shareType: 'direct_user', recipientId: recipient.userId });
    assert.equal(refused.status, 429);
    assert.equal(refused.body.error, 'RATE_LIMITED');
    assert.ok(Number(refused.headers.get('retry-after')) > 0);
    assert.deepEqual(await counts(), before);
    assert.equal((await share(sender, { shareType: 'public_link' })).status, 201, 'public links are not bounded by it');

    const first = await inbox(recipient, '?limit=2');
    assert.equal(first.body.notifications.length, 2);
    assert.equal(first.body.unread, 2);
    const second = await inbox(recipient, `?limit=2&before=${first.body.nextBefore}`);
    assert.equal(second.body.notifications.length, 1);
    assert.equal(second.body.nextBefore, null);
    const ids = [...first.body.notifications, ...second.body.notifications].map((n: { id: string }) => Number(n.id));
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => b - a),
      'newest first',
    );
  });
});
