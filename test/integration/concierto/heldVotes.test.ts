import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { useServer } from '../../support/serverProcess.js';
import { bearer, newDeviceSecret, postJson, signIn } from '../../support/auth.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers read field by field
type Json = any;
const ADMIN = 'admin-token-for-held-votes-0123456789';
const EVENT = 'ev-held';

/**
 * Seed 002's pre-signup voters: a device votes before it has signed up; the vote is held (and counts nothing)
 * until that device signs in, then it is the user's vote — on the boards, in the passport, once. One vote per
 * user per event still holds when a second device brings another held vote to the same user.
 */
describe('Concierto: votes held before sign-up, linked on sign-up', function () {
  this.timeout(60_000);
  const running = useServer({
    ADMIN_TOKEN: ADMIN,
    JOB_CRON_DNA_MIRRORING: 'off',
    CONCIERTO_HELD_VOTES_PER_ADDRESS_PER_HOUR: '12',
    COLISEUM_THROTTLE_MS: '100',
  });
  const base = () => running().server.baseUrl;
  const sql = () => running().db.sql;
  const hold = (body: object, eventId = EVENT) => postJson(base(), `/api/concierto/events/${eventId}/held-votes`, body);
  const count = async (table: string, where = 'true'): Promise<number> =>
    (await sql().query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`))[0]!.n;
  const board = async (): Promise<Record<string, number>> => {
    const res = (await (await fetch(`${base()}/api/leaderboards/votes.${EVENT}?window=day`)).json()) as Json;
    return Object.fromEntries((res.entries ?? []).map((e: Json) => [e.entityId, e.score]));
  };
  const phone = newDeviceSecret();
  const tablet = newDeviceSecret();
  let heldId = '';

  const event = (id: string, startsInMs: number) =>
    postJson(
      base(),
      '/api/ops/concierto/events',
      {
        id,
        title: id,
        startsAt: new Date(Date.now() + startsInMs).toISOString(),
        endsAt: new Date(Date.now() + startsInMs + 7_200_000).toISOString(),
        options: [
          { id: 'a', name: 'A' },
          { id: 'b', name: 'B' },
        ],
      },
      bearer(ADMIN),
    );

  before(async () => {
    assert.equal((await event(EVENT, -3_600_000)).status, 201);
    assert.equal((await event('ev-later', 86_400_000)).status, 201);
  });

  it('holds a vote from a device that has not signed up; it counts nothing yet', async () => {
    const res = await hold({ deviceSecret: phone, optionId: 'a' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    heldId = res.body.voteId;
    assert.equal(res.body.status, 'held');
    assert.ok(!JSON.stringify(res.body).includes(phone), 'the secret is not echoed');
    const again = await hold({ deviceSecret: phone, optionId: 'a', voteId: heldId });
    assert.equal(again.status, 200, 'a retry with its voteId is the same vote');
    const other = await hold({ deviceSecret: phone, optionId: 'b' });
    assert.equal(other.status, 409);
    assert.equal(other.body.error, 'ALREADY_VOTED');
    assert.equal(await count('event_votes'), 0);
    assert.equal(await count('passport_entries', `event_type = 'concierto.vote_cast'`), 0);
    assert.deepEqual(await board(), {});
  });

  it('refuses hostile holds with a code and stores nothing', async () => {
    const cases: Array<[object, string, number, string]> = [
      [{ deviceSecret: 'short', optionId: 'a' }, EVENT, 400, 'VALIDATION_FAILED'],
      [{ deviceSecret: newDeviceSecret(), optionId: 'a', userId: randomUUID() }, EVENT, 400, 'VALIDATION_FAILED'],
      [{ deviceSecret: newDeviceSecret(), optionId: 'zz' }, EVENT, 400, 'VALIDATION_FAILED'],
      [{ deviceSecret: newDeviceSecret(), optionId: 'a' }, 'no-such-event', 404, 'NOT_FOUND'],
      [{ deviceSecret: newDeviceSecret(), optionId: 'a' }, 'ev-later', 409, 'EVENT_NOT_ACTIVE'],
      [{ deviceSecret: newDeviceSecret(), optionId: 'a', voteId: heldId }, EVENT, 409, 'CONFLICT'],
      [{ deviceSecret: newDeviceSecret(), optionId: "a'; DROP TABLE held_votes; --" }, EVENT, 400, 'VALIDATION_FAILED'],
      [{ deviceSecret: newDeviceSecret(), optionId: 'a' }, 'bad%20id', 400, 'VALIDATION_FAILED'],
    ];
    for (const [body, eventId, status, code] of cases) {
      const res = await hold(body, eventId);
      assert.equal(res.status, status, `${eventId} ${JSON.stringify(body)} → ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error, code);
    }
    assert.equal(await count('held_votes'), 1);
  });

  it("becomes the user's vote when the device signs up: counted once, dated when it was held", async () => {
    const user = await signIn(base(), phone);
    assert.equal(user.isNewUser, true);
    const [vote] = await sql().query<{ user_id: string; option_id: string; vote_id: string }>(
      `SELECT user_id::text, option_id, vote_id::text FROM event_votes`,
    );
    assert.deepEqual(vote, { user_id: user.userId, option_id: 'a', vote_id: heldId });
    const [cast] = await sql().query<{ event_id: string; user_id: string; held: boolean }>(
      `SELECT p.event_id::text, p.user_id::text, p.occurred_at = h.held_at AS held FROM passport_entries p JOIN held_votes h ON h.vote_id = p.event_id WHERE p.event_type = 'concierto.vote_cast'`,
    );
    assert.deepEqual(cast, { event_id: heldId, user_id: user.userId, held: true });
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && (await board()).a !== 1) await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(await board(), { a: 1 });
    // Signing in again links nothing more and writes nothing twice.
    await signIn(base(), phone);
    assert.equal(await count('passport_entries', `event_type = 'concierto.vote_cast'`), 1);
    const refused = await hold({ deviceSecret: phone, optionId: 'b' }, EVENT);
    assert.equal(refused.status, 409, 'a signed-up device votes with its token');
    assert.equal(refused.body.error, 'CONFLICT');
  });

  it('keeps one vote per user per event: a second device’s held vote for the same event is superseded', async () => {
    assert.equal((await hold({ deviceSecret: tablet, optionId: 'b' })).status, 201);
    const user = await signIn(base(), phone);
    await signIn(base(), tablet, { bearer: user.accessToken }); // the tablet joins the same user
    assert.deepEqual(await sql().query(`SELECT option_id FROM event_votes`), [{ option_id: 'a' }]);
    const outcomes = await sql().query<{ outcome: string }>(`SELECT outcome FROM held_votes ORDER BY held_at`);
    assert.deepEqual(
      outcomes.map((o) => o.outcome),
      ['counted', 'superseded'],
    );
    assert.equal(await count('passport_entries', `event_type = 'concierto.vote_cast'`), 1);
    assert.deepEqual(await board(), { a: 1 });
  });

  it("finishes a link a crash cut short: a counted vote without its passport event gets it at the device's next sign-in, once", async () => {
    const laptop = newDeviceSecret();
    const held = await hold({ deviceSecret: laptop, optionId: 'b' }, 'ev-crash');
    assert.equal(held.status, 404, 'no such event yet');
    assert.equal((await event('ev-crash', -60_000)).status, 201);
    const res = await hold({ deviceSecret: laptop, optionId: 'b' }, 'ev-crash');
    assert.equal(res.status, 201);
    const user = await signIn(base(), laptop);
    // As if the process died after the link committed and before the vote's passport event: take the event back.
    await sql().query(`UPDATE held_votes SET recorded_at = NULL WHERE vote_id = ?`, [res.body.voteId]);
    // The passport is append-only (a row trigger); this test plays the crash, so it deletes with row triggers off.
    await sql().transaction(async (tx) => {
      await tx.query(`SET LOCAL session_replication_role = replica`);
      await tx.query(`DELETE FROM passport_entries WHERE event_id = ?`, [res.body.voteId]);
      await tx.query(`DELETE FROM passport_event_ids WHERE event_id = ?`, [res.body.voteId]);
    });
    assert.equal(await count('passport_entries', `event_id = '${res.body.voteId}'`), 0);
    await signIn(base(), laptop);
    assert.equal(await count('passport_entries', `event_id = '${res.body.voteId}' AND user_id = '${user.userId}'`), 1);
    assert.equal(await count('held_votes', `vote_id = '${res.body.voteId}' AND recorded_at IS NOT NULL`), 1);
    await signIn(base(), laptop);
    assert.equal(await count('passport_entries', `event_id = '${res.body.voteId}'`), 1, 'written once');
  });

  it('bounds holds per address (CONCIERTO_HELD_VOTES_PER_ADDRESS_PER_HOUR) with RATE_LIMITED, storing nothing past it', async () => {
    let limited: Json = null;
    for (let i = 0; i < 13 && !limited; i++) {
      const res = await hold({ deviceSecret: newDeviceSecret(), optionId: 'a' });
      if (res.status === 429) limited = res;
      else assert.equal(res.status, 201, JSON.stringify(res.body));
    }
    assert.ok(limited, 'refused within the bound');
    assert.equal(limited.body.error, 'RATE_LIMITED');
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    const stored = await count('held_votes');
    assert.equal((await hold({ deviceSecret: newDeviceSecret(), optionId: 'a' })).status, 429);
    assert.equal(await count('held_votes'), stored);
  });
});

/**
 * Seed 002's `event_participants`: a pre-signup voter may leave email, name and phone with marketing consent. Kept
 * only with consent (the request and the row both refuse it without), shown to the event's brand (the ops route)
 * only with consent, and erased by the voter with the device secret that proves it is theirs.
 */
describe('Concierto: a pre-signup voter’s contact and consent', function () {
  this.timeout(60_000);
  const running = useServer({ ADMIN_TOKEN: ADMIN, JOB_CRON_DNA_MIRRORING: 'off' });
  const base = () => running().server.baseUrl;
  const count = async (): Promise<number> => (await running().db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM voter_contacts`))[0]!.n;
  const contacts = async (): Promise<Json> => (await fetch(`${base()}/api/ops/concierto/events/ev-contact/contacts`, { headers: bearer(ADMIN) })).json();
  const hold = (body: object) => postJson(base(), '/api/concierto/events/ev-contact/held-votes', body);
  const ada = { email: 'ada@example.com', name: 'Ada', phone: '+234 801 234 5678' };

  it('stores the contact only with consent, shows the brand consenting voters only, and erases it on the voter’s request', async () => {
    const start = Date.now() - 60_000;
    const created = await postJson(
      base(),
      '/api/ops/concierto/events',
      {
        id: 'ev-contact',
        title: 'Contact',
        startsAt: new Date(start).toISOString(),
        endsAt: new Date(start + 7_200_000).toISOString(),
        options: [
          { id: 'a', name: 'A' },
          { id: 'b', name: 'B' },
        ],
      },
      bearer(ADMIN),
    );
    assert.equal(created.status, 201);
    const phone = newDeviceSecret();
    for (const contact of [ada, { ...ada, marketingConsent: false }]) {
      const res = await hold({ deviceSecret: phone, optionId: 'a', contact });
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body.details[0].field, 'contact.marketingConsent');
    }
    assert.equal(await count(), 0, 'nothing kept without consent, the vote neither');
    const quiet = await hold({ deviceSecret: newDeviceSecret(), optionId: 'b' });
    assert.equal(quiet.body.contactStored, false);
    const res = await hold({ deviceSecret: phone, optionId: 'a', contact: { ...ada, marketingConsent: true } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.contactStored, true);
    const listed = await contacts();
    assert.deepEqual(
      listed.contacts.map((c: Json) => [c.email, c.name, c.phone]),
      [[ada.email, ada.name, ada.phone]],
    );
    assert.equal((await fetch(`${base()}/api/ops/concierto/events/ev-contact/contacts`)).status, 401, 'the brand reads it with the admin token only');
    await assert.rejects(
      running().db.sql.query(`INSERT INTO voter_contacts VALUES ('h', 'ev-contact', 'x@example.com', null, null, false, now())`),
      /check/i,
      'the row itself refuses a contact without consent',
    );
    const erased = await postJson(base(), '/api/concierto/contacts/delete', { deviceSecret: phone });
    assert.deepEqual([erased.status, erased.body.deleted], [200, 1]);
    assert.equal(await count(), 0);
    assert.deepEqual((await contacts()).contacts, []);
    assert.equal((await postJson(base(), '/api/concierto/contacts/delete', { deviceSecret: phone })).body.deleted, 0);
  });
});
