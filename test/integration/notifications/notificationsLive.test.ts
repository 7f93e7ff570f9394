import assert from 'node:assert/strict';
import pg from 'pg';
import { pino } from 'pino';
import { BACKPLANE_KINDS, localBackplane, type Backplane } from '../../support/backplanes.js';
import { useTestDatabase } from '../../support/db.js';
import { insertUser } from '../../support/auth.js';
import { LiveInbox } from '../../../features/notifications/LiveInbox.js';
import { Notifier } from '../../../features/notifications/Notifier.js';
import { Notifications, type InboxEntry } from '../../../features/notifications/Notifications.js';
import { Limit } from '../../../features/limits/Limits.js';
import { NotificationRepository } from '../../../persistence/notifications/NotificationRepository.js';
import type { RecommendationList } from '../../../features/discovery/Recommendations.js';

const log = pino({ level: 'silent' });
const until = async (check: () => boolean, ms = 2000) => {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
};
/** Statements the pool's clients send while `work` runs (nothing else runs in these tests meanwhile). */
async function statementsOf(work: () => Promise<unknown>): Promise<string[]> {
  const sent: string[] = [];
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: Parameters<pg.Client['query']>) {
    const config = args[0] as string | { text: string };
    sent.push(typeof config === 'string' ? config : config.text);
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as pg.Client['query'];
  try {
    await work();
  } finally {
    pg.Client.prototype.query = query;
  }
  return sent;
}
const entry = (id: string): InboxEntry => ({
  id,
  type: 'constellation_share',
  from: { userId: null, displayName: 'Ada' },
  shareId: 's',
  shareUrl: '/shared/s',
  message: null,
  artistId: null,
  title: 'Ada shared their constellation',
  body: null,
  deepLink: '/shared/s',
  createdAt: new Date(0).toISOString(),
  read: false,
});

for (const kind of BACKPLANE_KINDS) {
  describe(`live notifications across processes: ${kind.name}`, () => {
    let backplanes: { all: Backplane[]; close(): Promise<void> };
    let here: LiveInbox;
    let there: LiveInbox;
    beforeEach(async () => {
      backplanes = await kind.make(2);
      here = new LiveInbox(backplanes.all[0]!, log);
      there = backplanes.all[1] === backplanes.all[0] ? here : new LiveInbox(backplanes.all[1]!, log);
      await here.start();
      if (there !== here) await there.start();
    });
    afterEach(async () => {
      await here.stop();
      if (there !== here) await there.stop();
      await backplanes.close();
    });

    it("an entry published on one process reaches the user's sessions on every process, once each, and no one else's", async () => {
      const user = '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';
      const other = '7f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';
      const got: Array<[string, string]> = [];
      here.enter(user, (e) => got.push(['here', e.id]));
      const leave = there.enter(user, (e) => got.push(['there', e.id]));
      there.enter(other, (e) => got.push(['other', e.id]));
      here.publish(user, entry('1'));
      await until(() => got.length >= 2);
      await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(got.sort(), [
        ['here', '1'],
        ['there', '1'],
      ]);
      leave();
      there.publish(user, entry('2'));
      await until(() => got.length >= 3);
      await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(got.slice(2), [['here', '2']], 'a session that left hears nothing more');
    });
  });
}

/**
 * Seed 000 step 12.10 through the Notifier on real Postgres: the top recommendation is told when it is a
 * new artist (in the seed's words), never the same one twice, at most once per interval, and only through
 * the channels the user left open; a direct share's recipient bound refuses with RATE_LIMITED.
 */
describe('Notifier: the top recommendation and the recipient bound (real Postgres)', function () {
  this.timeout(20_000);
  const database = useTestDatabase();
  let clock = Date.parse('2026-11-26T09:00:00.000Z');
  const list = (id: string, name: string, reason: string, station: number | null): RecommendationList => ({
    recommendations: [
      { artist: { id, name, thumbnail: '', station, genres: [], era: '2010s' }, score: 65, reason, source: 'influence', connectionText: null },
      {
        artist: { id: 'artist_sade', name: 'Sade', thumbnail: '', station: 95.1, genres: [], era: '1980s' },
        score: 40,
        reason: 'Trending today',
        source: 'trending',
        connectionText: null,
      },
    ],
    generatedAt: new Date(clock).toISOString(),
    newArtistIds: [],
  });
  const setup = (intervalMs: number, perRecipient = 5) => {
    const repo = new NotificationRepository(database().orm, 100);
    const live: Array<[string, InboxEntry]> = [];
    const notifier = new Notifier({
      repo,
      live: { publish: (userId, e) => void live.push([userId, e]) },
      perRecipient: new Limit(localBackplane(`test:notify:${Math.random()}:`), 'notify-recipient', perRecipient, 3600, 'notifications to this listener'),
      pushKinds: [],
      topIntervalMs: intervalMs,
      pushesQueued: () => undefined,
      log,
      now: () => clock,
    });
    return { repo, notifier, live, inbox: new Notifications(repo, () => clock) };
  };

  it("tells a new top artist in the seed's words, not the same one again, and a changed one only after the interval", async () => {
    const { userId } = await insertUser(database().sql);
    const { notifier, live, inbox } = setup(3_600_000);
    await notifier.topRecommendation(userId, list('artist_davido', 'Davido', 'Connected to Wizkid', 98.9));
    assert.equal(live.length, 1);
    const [to, told] = live[0]!;
    assert.equal(to, userId);
    assert.deepEqual(
      [told.type, told.title, told.body, told.deepLink, told.artistId],
      ['top_recommendation', 'New artist to explore', 'Davido - Connected to Wizkid', 'deepstream://station/98.9', 'artist_davido'],
    );
    clock += 7_200_000;
    await notifier.topRecommendation(userId, list('artist_davido', 'Davido', 'Connected to Wizkid', 98.9));
    assert.equal(live.length, 1, 'the same top artist is never told twice');
    await notifier.topRecommendation(userId, list('artist_tiwa_savage', 'Tiwa Savage', 'Users like you explored this', 103.3));
    assert.equal(live.length, 2, 'a new top artist after the interval is told');
    clock += 60_000;
    await notifier.topRecommendation(userId, list('artist_burna_boy', 'Burna Boy', 'Trending today', null));
    assert.equal(live.length, 2, 'another change within the interval is not');
    clock += 3_600_000;
    await notifier.topRecommendation(userId, list('artist_burna_boy', 'Burna Boy', 'Trending today', null));
    assert.equal(live[2]![1].deepLink, null, 'an artist off the dial has no station link');
    assert.equal((await inbox.inbox(userId, 10, null)).unread, 3);
  });

  it("a new user's first tell is one statement; a process that has not seen a told user reads the row in one and tells nothing", async () => {
    const { userId } = await insertUser(database().sql);
    const { notifier, live, inbox } = setup(3_600_000);
    const first = await statementsOf(() => notifier.topRecommendation(userId, list('artist_davido', 'Davido', 'x', 98.9)));
    assert.equal(first.length, 1, first.join('\n---\n'));
    assert.deepEqual(
      live.map(([, e]) => e.artistId),
      ['artist_davido'],
    );
    assert.equal((await inbox.inbox(userId, 10, null)).unread, 1);
    const [settings] = await database().sql.query<{ last_top_artist_id: string }>(`SELECT last_top_artist_id FROM notification_settings WHERE user_id = ?`, [
      userId,
    ]);
    assert.equal(settings.last_top_artist_id, 'artist_davido');
    const other = setup(3_600_000);
    const again = await statementsOf(() => other.notifier.topRecommendation(userId, list('artist_davido', 'Davido', 'x', 98.9)));
    assert.equal(again.length, 1);
    assert.equal(other.live.length, 0, 'the same top is not told again');
    clock += 3_600_000;
    await other.notifier.topRecommendation(userId, list('artist_tiwa_savage', 'Tiwa Savage', 'x', 103.3));
    assert.deepEqual(
      other.live.map(([, e]) => e.artistId),
      ['artist_tiwa_savage'],
      'a new top an interval later is told over the row',
    );
  });

  it("first tells of a recompute window share one statement: each user's entry and pushes; a user with a row gets it back", async () => {
    const users = await Promise.all(Array.from({ length: 5 }, async () => (await insertUser(database().sql)).userId));
    const { repo } = setup(3_600_000);
    const told = setup(3_600_000);
    await told.notifier.topRecommendation(users[4], list('artist_davido', 'Davido', 'x', 98.9)); // a row already there
    for (const [i, userId] of users.entries())
      await database().sql.query(`INSERT INTO push_devices (user_id, kind, address, created_at, last_seen_at) VALUES (?, 'apns', ?, now(), now())`, [
        userId,
        `token-${i}`,
      ]);
    const at = new Date(clock);
    const notice = { title: 'New artist to explore', body: 'Davido - x', deepLink: null };
    const tell = (userId: string, inApp: boolean) => ({
      ...{ userId, type: 'top_recommendation' as const, fromUserId: null, shareId: null, message: null, artistId: 'artist_davido' },
      ...{ notice, createdAt: at, inApp, pushKinds: ['apns' as const] },
    });
    const seen: Array<{ lastTopArtistId: string | null }> = [];
    let written: Awaited<ReturnType<typeof repo.tellTop>>[] = [];
    const sent = await statementsOf(async () => {
      written = await Promise.all(
        users.map((userId, i) =>
          repo.tellTop(userId, 'artist_davido', at, (settings) => (seen.push(settings), settings.lastTopArtistId ? null : tell(userId, i !== 1))),
        ),
      );
    });
    assert.equal(sent.length, 1, sent.join('\n---\n'));
    assert.deepEqual(
      written.map((w) => w && [w.record !== null, w.pushesQueued, w.outboxFull]),
      [[true, 1, false], [false, 1, false], [true, 1, false], [true, 1, false], null],
      'in-app closed for the second: pushed only; the fifth had a row: nothing written',
    );
    assert.equal(seen.at(-1)?.lastTopArtistId, 'artist_davido', 'the row the statement found was decided on');
    const [{ entries, pushes }] = await database().sql.query<{ entries: string[]; pushes: number }>(
      `SELECT (SELECT array_agg(user_id::text ORDER BY id) FROM notifications WHERE user_id = ANY(?::uuid[])) AS entries,
              (SELECT count(*)::int FROM push_outbox o JOIN push_devices d ON d.id = o.device_id WHERE d.user_id = ANY(?::uuid[])) AS pushes`,
      [`{${users.join(',')}}`, `{${users.join(',')}}`],
    );
    assert.deepEqual(entries, [users[4], users[0], users[2], users[3]]);
    assert.equal(pushes, 4);
  });

  it('two processes computing the same list at once tell it once (the settings row is locked)', async () => {
    const { userId } = await insertUser(database().sql);
    const { notifier, live } = setup(0);
    const other = setup(0);
    await Promise.all([
      notifier.topRecommendation(userId, list('artist_davido', 'Davido', 'x', 98.9)),
      other.notifier.topRecommendation(userId, list('artist_davido', 'Davido', 'x', 98.9)),
    ]);
    assert.equal(live.length + other.live.length, 1);
  });

  it('the same top again within the interval is answered without reading the row, and the answer is the rule read from the row', async () => {
    const { userId } = await insertUser(database().sql);
    const minutes = 60_000;
    const a = setup(60 * minutes);
    const b = setup(60 * minutes);
    let reads = 0;
    const tellTop = a.repo.tellTop.bind(a.repo);
    a.repo.tellTop = (...args) => (reads++, tellTop(...args));
    const at = async (min: number, who: typeof a, top: string, name: string) => {
      clock = min * minutes;
      await who.notifier.topRecommendation(userId, list(top, name, 'x', null));
    };
    await at(0, a, 'artist_davido', 'Davido');
    await at(30, a, 'artist_davido', 'Davido');
    assert.equal(reads, 1, 'the top it told, again within the interval: nothing read');
    await at(65, a, 'artist_davido', 'Davido');
    assert.equal(reads, 2, 'past the interval since it was seen: read (the same top: nothing to tell)');
    await at(70, b, 'artist_tiwa_savage', 'Tiwa Savage'); // another process, 70 minutes after davido was told
    await at(100, a, 'artist_davido', 'Davido');
    assert.equal(reads, 2, 'seen at 65, within the interval: nothing read; the row would say "too soon" (tiwa savage at 70)');
    await at(130, a, 'artist_davido', 'Davido');
    assert.equal(reads, 3);
    await at(140, a, 'artist_burna_boy', 'Burna Boy');
    assert.equal(reads, 3, 'another top within the interval of the tell it saw: nothing read (the row would say "too soon")');
    await at(190, a, 'artist_burna_boy', 'Burna Boy');
    assert.equal(reads, 4, 'past the interval: read, and told');
    assert.deepEqual(
      a.live.map(([, e]) => e.artistId),
      ['artist_davido', 'artist_davido', 'artist_burna_boy'],
      'told at 0, again at 130 (an interval after tiwa savage), burna boy at 190',
    );
    assert.deepEqual(
      b.live.map(([, e]) => e.artistId),
      ['artist_tiwa_savage'],
    );
  });

  it('two processes telling a new top over an existing settings row at once: one writes, the other sees the row changed and tells nothing', async () => {
    const { userId } = await insertUser(database().sql);
    const { notifier, live, inbox } = setup(0);
    const other = setup(0);
    await notifier.topRecommendation(userId, list('artist_davido', 'Davido', 'x', 98.9));
    for (const [top, name] of [
      ['artist_tiwa_savage', 'Tiwa Savage'],
      ['artist_burna_boy', 'Burna Boy'],
    ] as const)
      await Promise.all([notifier.topRecommendation(userId, list(top, name, 'x', null)), other.notifier.topRecommendation(userId, list(top, name, 'x', null))]);
    assert.deepEqual([...live, ...other.live].map(([, e]) => e.artistId).sort(), ['artist_burna_boy', 'artist_davido', 'artist_tiwa_savage']);
    const { notifications } = await inbox.inbox(userId, 10, null);
    assert.equal(notifications.length, 3, 'one inbox entry per told top');
  });

  it('a recompute with nothing to tell neither takes nor waits for the settings row lock; a new top still waits for it', async () => {
    const { userId } = await insertUser(database().sql);
    const { notifier, live } = setup(0);
    await notifier.topRecommendation(userId, list('artist_davido', 'Davido', 'x', 98.9));
    assert.equal(live.length, 1);
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const holder = database().sql.transaction(async (tx) => {
      await tx.query(`SELECT 1 FROM notification_settings WHERE user_id = ? FOR UPDATE`, [userId]);
      locked();
      await released;
    });
    await isLocked;
    let changed: Promise<'done'> | undefined;
    try {
      const timedOut = (ms: number) => new Promise<'waiting'>((r) => setTimeout(() => r('waiting'), ms));
      const same = notifier.topRecommendation(userId, list('artist_davido', 'Davido', 'x', 98.9)).then(() => 'done' as const);
      assert.equal(await Promise.race([same, timedOut(1500)]), 'done', 'the same top is answered while another transaction holds the row');
      changed = notifier.topRecommendation(userId, list('artist_tiwa_savage', 'Tiwa Savage', 'x', 103.3)).then(() => 'done' as const);
      assert.equal(await Promise.race([changed, timedOut(300)]), 'waiting', 'a new top decides again under the lock');
    } finally {
      release(); // a failed assertion must not leave the row locked for the next tests
      await holder;
    }
    assert.equal(await changed, 'done');
    assert.deepEqual(
      live.map(([, e]) => e.artistId),
      ['artist_davido', 'artist_tiwa_savage'],
    );
  });

  it('a told top the listener captured since is no longer suggested: not in the inbox, the unread page or the count', async () => {
    const { sql } = database();
    await sql.query(
      `INSERT INTO scenes (id, name, scene_type, video_url_high, video_url_medium, video_url_low) VALUES ('scene_inbox', 'Lagos', 'street', 'h', 'm', 'l')
       ON CONFLICT DO NOTHING`,
    );
    await sql.query(`INSERT INTO artists (id, name, scene_id) VALUES ('artist_davido', 'Davido', 'scene_inbox') ON CONFLICT DO NOTHING`);
    const { userId } = await insertUser(sql);
    const { notifier, live, inbox } = setup(0);
    await notifier.topRecommendation(userId, list('artist_davido', 'Davido', 'Connected to Wizkid', 98.9));
    const friend = await insertUser(sql);
    await notifier.tell('friend_request', { userId: friend.userId, name: 'Ada' }, userId, { title: 'Ada wants to be friends', body: null, deepLink: null });
    assert.equal(live.length, 2);
    assert.equal((await inbox.unread(userId, 10)).unread, 2, 'before the capture: the pick and the request');
    // The capture lands after the pick was told (here, or from the recompute that told it racing the capture).
    await sql.query(`INSERT INTO constellation_stars (user_id, artist_id, x, y, z, captured_at) VALUES (?, 'artist_davido', 0, 0, 0, ?)`, [
      userId,
      new Date(clock),
    ]);
    const page = await inbox.inbox(userId, 10, null);
    assert.deepEqual(
      page.notifications.map((e) => e.type),
      ['friend_request'],
      'the captured artist is not suggested',
    );
    assert.equal(page.unread, 1);
    const unread = await inbox.unread(userId, 10);
    assert.deepEqual([unread.notifications.map((e) => e.type), unread.unread], [['friend_request'], 1], 'nor at a join');
    assert.equal((await inbox.unread(userId, 1)).unread, 1, 'a full first page counts the same way');
  });

  it('opt-outs: recommendations closed in-app and push → nothing is written or told', async () => {
    const { userId } = await insertUser(database().sql);
    const { notifier, live, inbox } = setup(0);
    await inbox.setPreferences(userId, { shares: { inApp: true, push: true }, recommendations: { inApp: false, push: false } });
    await notifier.topRecommendation(userId, list('artist_davido', 'Davido', 'x', 98.9));
    assert.equal(live.length, 0);
    assert.equal((await inbox.inbox(userId, 10, null)).notifications.length, 0);
    assert.deepEqual(await inbox.preferences(userId), { shares: { inApp: true, push: true }, recommendations: { inApp: false, push: false } });
  });

  it("a share's recipient past NOTIFY_PER_RECIPIENT_PER_HOUR is refused RATE_LIMITED naming recipientId; a released point counts again", async () => {
    const { userId } = await insertUser(database().sql);
    const { notifier } = setup(0, 2);
    const share = { senderId: userId, senderName: null, recipientId: userId, shareId: 'x', message: null, createdAt: new Date(clock) };
    await notifier.forShare(share);
    const second = await notifier.forShare(share);
    await assert.rejects(notifier.forShare(share), (err: { code: string; details: Array<{ field: string }>; retryAfterSec: number }) => {
      assert.equal(err.code, 'RATE_LIMITED');
      assert.equal(err.details[0]!.field, 'recipientId');
      assert.ok(err.retryAfterSec > 0);
      return true;
    });
    await second.release();
    assert.equal((await notifier.forShare(share)).notification?.notice.title, 'A listener shared their constellation');
  });
});
