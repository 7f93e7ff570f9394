import assert from 'node:assert/strict';
import { useServer } from '../../support/serverProcess.js';
import { bearer, signIn } from '../../support/auth.js';

const ADMIN = 'admin-token-for-user-search-0123456789';

interface Found {
  id: string;
  deviceId: string;
  displayName: string | null;
  email: string | null;
  matchedBy: string;
}

/** The ops console's one user search, over HTTP against Postgres: every way an operator knows a user. */
describe('GET /api/ops/users: one search by user id, device id, email or display name', function () {
  this.timeout(90_000);
  const running = useServer({ ADMIN_TOKEN: ADMIN, JOB_CRON_DNA_MIRRORING: 'off' });
  const base = () => running().server.baseUrl;
  let ada = { accessToken: '', userId: '' };
  let bo = { accessToken: '', userId: '' };
  let adaDevice = '';

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
