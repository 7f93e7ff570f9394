import assert from 'node:assert/strict';
import { useServer } from '../../support/serverProcess.js';
import { bearer, postJson, signIn, type SignedIn } from '../../support/auth.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers read field by field
type Json = any;
const ADMIN = 'admin-token-for-share-links-0123456789';
const BROWSER = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const EVENT = 'ev-links';

/**
 * Seed 004 "Link shares and opens": a listener shares an event, people follow the link; the share and each
 * person's first open of the day are counted into the rollups and the event's attendee board, robots and
 * prefetches are redirected without being counted, and nothing about a visitor is stored.
 */
describe('share links: shares and opens counted, bot-safe, bounded, no PII', function () {
  this.timeout(60_000);
  const running = useServer({ ADMIN_TOKEN: ADMIN, JOB_CRON_DNA_MIRRORING: 'off', LINK_OPENS_PER_LINK_PER_HOUR: '3', LEADERBOARD_ROLLUP_POLL_MS: '100' });
  const base = () => running().server.baseUrl;
  const sql = () => running().db.sql;
  let ada: SignedIn;
  let bo: SignedIn;
  let linkId = '';

  const follow = (id: string, headers: Record<string, string> = { 'user-agent': BROWSER }, method = 'GET') =>
    fetch(`${base()}/l/${id}`, { method, headers, redirect: 'manual' });
  const count = async (table: string, where = 'true'): Promise<number> =>
    (await sql().query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`))[0]!.n;

  before(async () => {
    [ada, bo] = [await signIn(base()), await signIn(base())];
    const now = Date.now();
    const created = await postJson(
      base(),
      '/api/ops/concierto/events',
      {
        id: EVENT,
        title: 'Links night',
        startsAt: new Date(now - 3_600_000).toISOString(),
        endsAt: new Date(now + 3_600_000).toISOString(),
        options: [
          { id: 'a', name: 'A' },
          { id: 'b', name: 'B' },
        ],
      },
      bearer(ADMIN),
    );
    assert.equal(created.status, 201, JSON.stringify(created.body));
  });

  it("makes a link to an event, records the share as the user's, and never shows the sharer's id", async () => {
    const res = await postJson(base(), '/api/links', { targetType: 'event', targetId: EVENT, channel: 'whatsapp' }, bearer(ada.accessToken));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    linkId = res.body.id;
    assert.match(linkId, /^[A-Za-z0-9_-]{22}$/);
    assert.equal(res.body.url, `/l/${linkId}`);
    assert.equal(res.body.userId, undefined);
    assert.ok(!JSON.stringify(res.body).includes(ada.userId));
    const [shared] = await sql().query<{ user_id: string; payload: Json }>(
      `SELECT user_id::text, payload FROM passport_entries WHERE event_type = 'social.link_shared'`,
    );
    assert.equal(shared!.user_id, ada.userId);
    assert.deepEqual(shared!.payload, { linkId, targetType: 'event', eventId: EVENT, channel: 'whatsapp' });
  });

  it('refuses hostile links with a code, storing nothing', async () => {
    const cases: Array<[unknown, Record<string, string>, number, string]> = [
      [{ targetType: 'event', targetId: EVENT }, {}, 401, 'UNAUTHORIZED'],
      [{ targetType: 'event', targetId: EVENT }, bearer(ADMIN), 403, 'FORBIDDEN'],
      [{ targetType: 'user', targetId: ada.userId }, bearer(ada.accessToken), 400, 'VALIDATION_FAILED'],
      [{ targetType: 'event', targetId: 'no-such-event' }, bearer(ada.accessToken), 404, 'NOT_FOUND'],
      [{ targetType: 'artist', targetId: 'artist_nobody' }, bearer(ada.accessToken), 404, 'NOT_FOUND'],
      [{ targetType: 'event', targetId: EVENT, userId: bo.userId }, bearer(ada.accessToken), 400, 'VALIDATION_FAILED'],
      [{ targetType: 'event', targetId: 'x'.repeat(201) }, bearer(ada.accessToken), 400, 'VALIDATION_FAILED'],
      [{ targetType: 'event', targetId: 'a b' }, bearer(ada.accessToken), 400, 'VALIDATION_FAILED'],
      [{ targetType: 'event', targetId: EVENT, channel: '<script>' }, bearer(ada.accessToken), 400, 'VALIDATION_FAILED'],
      [[1, 2], bearer(ada.accessToken), 400, 'VALIDATION_FAILED'],
    ];
    for (const [body, headers, status, code] of cases) {
      const res = await postJson(base(), '/api/links', body, headers);
      assert.equal(res.status, status, `${JSON.stringify(body)} → ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error, code);
      assert.ok(!/\n\s+at |postgres|select |duplicate key/i.test(res.body.message), res.body.message);
    }
    assert.equal(await count('share_links'), 1);
    assert.equal(await count('passport_entries', `event_type = 'social.link_shared'`), 1);
  });

  it("counts a person's first open of the day; robots, prefetches, HEAD and repeats are redirected uncounted", async () => {
    const first = await follow(linkId);
    assert.equal(first.status, 302);
    assert.equal(first.headers.get('location'), `/coliseum?event=${EVENT}`);
    assert.equal(first.headers.get('cache-control'), 'no-store');
    for (const headers of <Array<Record<string, string>>>[
      { 'user-agent': BROWSER }, // the same visitor again today
      { 'user-agent': 'Twitterbot/1.0' },
      { 'user-agent': 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)' },
      { 'user-agent': 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)' },
      { 'user-agent': 'curl/8.5.0' },
      {},
      { 'user-agent': `${BROWSER} Chrome`, 'sec-purpose': 'prefetch;prerender' },
      { 'user-agent': `${BROWSER} Edge`, purpose: 'prefetch' },
    ]) {
      const res = await follow(linkId, headers);
      assert.equal(res.status, 302, JSON.stringify(headers));
    }
    assert.equal((await follow(linkId, { 'user-agent': `${BROWSER} Other` }, 'HEAD')).status, 302);
    const second = await follow(linkId, { 'user-agent': `${BROWSER} Firefox/126.0` });
    assert.equal(second.status, 302);
    const mine = await fetch(`${base()}/api/links/${linkId}`, { headers: bearer(ada.accessToken) });
    assert.equal(((await mine.json()) as Json).opens, 2, 'two people, each once');
    assert.equal(await count('passport_entries', `event_type = 'social.link_opened'`), 2);
    const [opened] = await sql().query<{ user_id: string; payload: Json }>(
      `SELECT user_id::text, payload FROM passport_entries WHERE event_type = 'social.link_opened' LIMIT 1`,
    );
    assert.equal(opened!.user_id, ada.userId, "an open is the sharer's engagement");
    assert.deepEqual(opened!.payload, { linkId, targetType: 'event', eventId: EVENT }, 'no address, no browser');
  });

  it('stores a visitor only as a 16-byte hash under a random daily key; nothing of the address or browser', async () => {
    const rows = await sql().query<{ visitor: Buffer }>(`SELECT visitor FROM share_link_opens`);
    assert.equal(rows.length, 2);
    for (const r of rows) assert.equal(r.visitor.length, 16);
    const cols = await sql().query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'share_link_opens' ORDER BY 1`,
    );
    assert.deepEqual(
      cols.map((c) => c.column_name),
      ['day', 'link_id', 'visitor'],
    );
    const dump = JSON.stringify(await sql().query(`SELECT * FROM share_links`)) + JSON.stringify(await sql().query(`SELECT payload FROM passport_entries`));
    assert.ok(!dump.includes('127.0.0.1') && !dump.includes('iPhone'), 'no address or browser anywhere');
  });

  it('counts at most LINK_OPENS_PER_LINK_PER_HOUR opens of one link an hour; unknown and malformed links are 404 and store nothing', async () => {
    const res = await postJson(base(), '/api/links', { targetType: 'event', targetId: EVENT }, bearer(bo.accessToken));
    const id = res.body.id as string;
    for (let i = 0; i < 6; i++) assert.equal((await follow(id, { 'user-agent': `${BROWSER} v${i}` })).status, 302);
    const mine = await fetch(`${base()}/api/links/${id}`, { headers: bearer(bo.accessToken) });
    assert.equal(((await mine.json()) as Json).opens, 3);
    const before = await count('share_link_opens');
    for (const bad of ['AAAAAAAAAAAAAAAAAAAAAA', 'short', '%27%20OR%201%3D1', 'x'.repeat(300)]) {
      const r = await follow(bad);
      assert.equal(r.status, 404, bad);
      assert.equal(((await r.json()) as Json).error, 'NOT_FOUND');
    }
    assert.equal(await count('share_link_opens'), before);
    const other = await fetch(`${base()}/api/links/${id}`, { headers: bearer(ada.accessToken) });
    assert.equal(other.status, 404, "another user's link is not found");
  });

  it('feeds the rollups (shares, opens, unique attendees) and the ops-only attendee board of the event', async () => {
    const deadline = Date.now() + 20_000;
    let metrics: Json = null;
    while (Date.now() < deadline) {
      const r = (await (await fetch(`${base()}/api/coliseum/rollups/event/${EVENT}?period=day&buckets=1`)).json()) as Json;
      metrics = r.buckets[0].metrics;
      if (metrics.link_opens >= 5) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.equal(metrics.shares, 2);
    assert.equal(metrics.link_opens, 5, '2 of the first link, 3 of the second');
    assert.equal(metrics.unique_listeners, 2, 'Ada and Bo');
    assert.equal((await fetch(`${base()}/api/leaderboards/engagement.${EVENT}`)).status, 404, 'a board of people is not public');
    const ops = (await (await fetch(`${base()}/api/ops/leaderboards?window=day&limit=5`, { headers: bearer(ADMIN) })).json()) as Json;
    const board = ops.leaderboards.find((b: Json) => b.name === `engagement.${EVENT}`);
    assert.ok(board, 'operators see the attendee board');
    const scores = Object.fromEntries(board.entries.map((e: Json) => [e.entityId, e.score]));
    assert.deepEqual(scores, { [ada.userId]: 1, [bo.userId]: 1 }, 'a share each: opens are what others did, not the attendee');
  });

  it('answers bad rollup queries with a code', async () => {
    for (const q of [
      '/api/coliseum/rollups/user/x',
      '/api/coliseum/rollups/event/ev?period=year',
      '/api/coliseum/rollups/event/ev?buckets=0',
      '/api/coliseum/rollups/event/ev?buckets=91',
    ]) {
      const r = await fetch(`${base()}${q}`);
      assert.equal(r.status, 400, q);
      assert.equal(((await r.json()) as Json).error, 'VALIDATION_FAILED');
    }
  });
});
