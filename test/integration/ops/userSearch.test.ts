import assert from 'node:assert/strict';
import { useServer } from '../../support/serverProcess.js';
import { bearer, signIn } from '../../support/auth.js';

const ADMIN = 'admin-token-for-user-search-0123456789';

interface Found {
  id: string;
  deviceId: string;
  displayName: string | null;
  email: string | null;
  deviceModel: string | null;
  matchedBy: string;
  sessionCount: number;
}

/** The ops console's one user search, over HTTP against Postgres: every way an operator knows a user. */
describe('GET /api/ops/users: one search by user id, device id, email, display name or device model; the paged list', function () {
  this.timeout(90_000);
  const running = useServer({ ADMIN_TOKEN: ADMIN, JOB_CRON_DNA_MIRRORING: 'off' });
  const base = () => running().server.baseUrl;
  let ada = { accessToken: '', userId: '' };
  let bo = { accessToken: '', userId: '' };
  let adaDevice = '';
  let phones: string[] = [];

  const search = async (q: string, token = ADMIN): Promise<{ status: number; users: Found[] }> => {
    const res = await fetch(`${base()}/api/ops/users?q=${encodeURIComponent(q)}`, { headers: bearer(token) });
    const body = (await res.json()) as { users?: Found[] };
    return { status: res.status, users: body.users ?? [] };
  };
  const putMediaId = async (token: string, body: Record<string, unknown>): Promise<void> => {
    const res = await fetch(`${base()}/api/mediaid/me`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...bearer(token) },
      body: JSON.stringify(body),
    });
    assert.equal(res.status, 200, await res.text());
  };

  before(async () => {
    ada = await signIn(base());
    bo = await signIn(base());
    await putMediaId(ada.accessToken, { displayName: 'Ada Listener', email: 'Ada@Example.com' });
    await putMediaId(bo.accessToken, { displayName: 'Bo', email: 'bo@example.org' });
    const [row] = await running().db.sql.query<{ device_id: string }>('SELECT device_id FROM users WHERE id = ?::uuid', [ada.userId]);
    adaDevice = row.device_id;
    // Listeners on phones that say what they are, as the iOS and Android apps sign in.
    phones = [];
    for (const deviceModel of ['iPhone15,2', 'iPhone 15 Pro', 'Pixel 8']) phones.push((await signIn(base(), undefined, { deviceModel })).userId);
  });

  it('finds users by their device model: "iPhone" finds both iPhones (newest first), an exact model at any length', async () => {
    const found = await search('iPhone');
    assert.equal(found.status, 200);
    assert.deepEqual(
      found.users.map((u) => [u.id, u.deviceModel, u.matchedBy]),
      [
        [phones[1], 'iPhone 15 Pro', 'deviceModel'],
        [phones[0], 'iPhone15,2', 'deviceModel'],
      ],
    );
    assert.deepEqual(
      (await search('pixel 8')).users.map((u) => [u.id, u.matchedBy]),
      [[phones[2], 'deviceModel']],
    );
    assert.deepEqual((await search('iPh')).users, [], 'a 3-letter prefix lists nobody');
  });

  it('lists every user a page at a time, most recently seen first, each once, with name and device model', async () => {
    const seen: Array<{ id: string; lastSeenAt: string; displayName: string | null; deviceModel: string | null }> = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `${base()}/api/ops/users?limit=2${cursor ? `&before=${encodeURIComponent(cursor)}` : ''}`;
      const res = await fetch(url, { headers: bearer(ADMIN) });
      assert.equal(res.status, 200);
      const page = (await res.json()) as { users: typeof seen; nextCursor: string | null };
      assert.ok(page.users.length <= 2);
      seen.push(...page.users);
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    assert.equal(pages, 3, '5 users in pages of 2');
    assert.deepEqual(new Set(seen.map((u) => u.id)), new Set([ada.userId, bo.userId, ...phones]));
    assert.equal(seen.length, 5, 'no user twice across pages');
    const times = seen.map((u) => Date.parse(u.lastSeenAt));
    assert.deepEqual(
      times,
      [...times].sort((a, b) => b - a),
      'most recently seen first',
    );
    assert.equal(seen.find((u) => u.id === ada.userId)?.displayName, 'Ada Listener');
    assert.equal(seen.find((u) => u.id === phones[2])?.deviceModel, 'Pixel 8');
    const bad = await fetch(`${base()}/api/ops/users?before=not-a-cursor`, { headers: bearer(ADMIN) });
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { error: string }).error, 'VALIDATION_FAILED');
    assert.equal((await fetch(`${base()}/api/ops/users?limit=2`)).status, 401);
  });

  it('finds a user by display name, exact at any length or by a 4+ character prefix, case-insensitive', async () => {
    const full = await search('ada listener');
    assert.equal(full.status, 200);
    assert.deepEqual(
      full.users.map((u) => [u.id, u.displayName, u.email, u.matchedBy]),
      [[ada.userId, 'Ada Listener', 'ada@example.com', 'displayName']],
    );
    assert.deepEqual(
      (await search('ADA L')).users.map((u) => u.id),
      [ada.userId],
      'prefix with a space',
    );
    assert.deepEqual(
      (await search('bo')).users.map((u) => [u.id, u.matchedBy]),
      [[bo.userId, 'displayName']],
      'a two-letter name is found when it is the whole name',
    );
    assert.deepEqual((await search('Ad')).users, [], 'a 2-letter prefix of a longer name lists nobody');
  });

  it('finds the same user by user id, device id and email, each user once', async () => {
    assert.deepEqual(
      (await search(ada.userId)).users.map((u) => [u.id, u.matchedBy]),
      [[ada.userId, 'id']],
    );
    assert.deepEqual(
      (await search(adaDevice)).users.map((u) => [u.id, u.matchedBy]),
      [[ada.userId, 'device']],
    );
    assert.deepEqual(
      (await search('ada@example.COM')).users.map((u) => [u.id, u.matchedBy]),
      [[ada.userId, 'email']],
    );
    const prefix = await search('bo@e');
    assert.deepEqual(
      prefix.users.map((u) => [u.id, u.matchedBy]),
      [[bo.userId, 'email']],
    );
    assert.deepEqual((await search('%%%%')).users, [], 'LIKE wildcards are escaped');
  });

  it('counts the sessions a user started, an open one too, before the aggregation job has seen them', async () => {
    const [device] = await running().db.sql.query<{ device_id: string }>('SELECT device_id FROM users WHERE id = ?::uuid', [bo.userId]);
    const at = new Date();
    for (const endedAt of [at, null])
      await running().db.sql.query(
        `INSERT INTO sessions (id, user_id, device_id, started_at, last_active, current_frequency, ended_at) VALUES (gen_random_uuid(), ?::uuid, ?, ?, ?, 99.9, ?)`,
        [bo.userId, device.device_id, at, at, endedAt],
      );
    const [found] = (await search(bo.userId)).users;
    assert.equal(found?.sessionCount, 2);
    const res = await fetch(`${base()}/api/ops/users/${bo.userId}`, { headers: bearer(ADMIN) });
    const detail = (await res.json()) as { user: { sessionCount: number }; sessions: unknown[] };
    assert.equal(detail.user.sessionCount, 2, 'the user page says the same');
    assert.equal(detail.sessions.length, 2);
  });

  it('answers only the admin token', async () => {
    assert.equal((await fetch(`${base()}/api/ops/users?q=bo`)).status, 401);
    assert.equal((await search('bo', ada.accessToken)).status, 401);
  });

  it('the user detail carries the MediaID display name and email the user page heads with', async () => {
    const res = await fetch(`${base()}/api/ops/users/${ada.userId}`, { headers: bearer(ADMIN) });
    assert.equal(res.status, 200);
    const detail = (await res.json()) as { user: Found };
    assert.equal(detail.user.displayName, 'Ada Listener');
    assert.equal(detail.user.email, 'ada@example.com', 'emails are stored lower-cased');
  });
});
