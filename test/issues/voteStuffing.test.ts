import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { startServerProcess, type ServerProcess } from '../support/serverProcess.js';
import { bearer, postJson, signIn } from '../support/auth.js';

/**
 * Regression: one ordinary token put 10,000 votes on the jumbotron with one request (100 vote events,
 * `weight: 100` each, chosen by the client). Votes are now a domain: one per user per event through the
 * concierto route, weighted by server policy; clients cannot claim `concierto.vote_cast` over ingest.
 */
describe('issue: one request puts 10,000 votes on the jumbotron', function () {
  this.timeout(60_000);
  const ADMIN = 'vote-stuffing-admin-token-0123456789';
  let db: TestDatabase;
  let server: ServerProcess;
  const board = async (name: string) =>
    (await (await fetch(`${server.baseUrl}/api/leaderboards/${name}?window=day`)).json()) as { entries: Array<{ entityId: string; score: number }> };
  const until = async (check: () => Promise<boolean>) => {
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && !(await check())) await new Promise((r) => setTimeout(r, 50));
  };

  before(async () => {
    db = await createTestDatabase();
    server = await startServerProcess({
      DATABASE_URL: db.url,
      REDIS_URL: undefined,
      LOG_LEVEL: 'warn',
      ADMIN_TOKEN: ADMIN,
      PASSPORT_FLUSH_MS: '20',
      COLISEUM_THROTTLE_MS: '100',
    });
  });
  after(async () => {
    await server?.stop('SIGTERM');
    await db?.drop();
  });

  async function openEvent(): Promise<string> {
    const id = `evt_${randomUUID().slice(0, 8)}`;
    const now = Date.now();
    const created = await postJson(
      server.baseUrl,
      '/api/ops/concierto/events',
      {
        id,
        title: 'Afrobeat night',
        startsAt: new Date(now - 60_000).toISOString(),
        endsAt: new Date(now + 3_600_000).toISOString(),
        options: [
          { id: 'fela', name: 'Fela Kuti' },
          { id: 'burna', name: 'Burna Boy' },
        ],
      },
      bearer(ADMIN),
    );
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return id;
  }

  it('100 client-claimed vote events with weight 100 are refused whole; the boards stay empty', async () => {
    const concert = await openEvent();
    const { accessToken } = await signIn(server.baseUrl);
    const events = Array.from({ length: 100 }, () => ({
      eventId: randomUUID(),
      eventType: 'concierto.vote_cast',
      payload: { eventId: concert, voteFor: 'fela', weight: 100 },
    }));
    const res = await postJson(server.baseUrl, '/api/passport/batch', { events }, bearer(accessToken));
    assert.equal(res.status, 400);
    assert.match(res.body.message, /votes are cast with POST \/api\/concierto\/events/);
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual((await board(`votes.${concert}`)).entries, []);
    const [{ n }] = await db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM passport_entries WHERE event_type = 'concierto.vote_cast'");
    assert.equal(n, 0);
  });

  it('one vote per user and event at the policy weight: a second vote is 409, a retry of the first is the same vote', async () => {
    const concert = await openEvent();
    const { accessToken } = await signIn(server.baseUrl);
    const voteId = randomUUID();
    const first = await postJson(server.baseUrl, `/api/concierto/events/${concert}/votes`, { optionId: 'fela', voteId }, bearer(accessToken));
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(first.body.weight, 1, 'CONCIERTO_VOTE_WEIGHT, not the client');
    const again = await postJson(server.baseUrl, `/api/concierto/events/${concert}/votes`, { optionId: 'burna' }, bearer(accessToken));
    assert.equal(again.status, 409);
    assert.equal(again.body.error, 'ALREADY_VOTED');
    const retry = await postJson(server.baseUrl, `/api/concierto/events/${concert}/votes`, { optionId: 'fela', voteId }, bearer(accessToken));
    assert.equal(retry.status, 200);
    assert.equal(retry.body.voteId, voteId);
    const weighted = await postJson(
      server.baseUrl,
      `/api/concierto/events/${concert}/votes`,
      { optionId: 'fela', weight: 100 },
      bearer((await signIn(server.baseUrl)).accessToken),
    );
    assert.equal(weighted.status, 400, 'a weight in the body is refused, not applied');

    await until(async () => (await board(`votes.${concert}`)).entries.length > 0);
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(
      (await board(`votes.${concert}`)).entries.map((e) => [e.entityId, e.score]),
      [['fela', 1]],
    );
    const rows = await db.sql.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM passport_entries WHERE event_type = 'concierto.vote_cast' AND payload->>'eventId' = ?",
      [concert],
    );
    assert.equal(rows[0]!.n, 1, 'the retry stored nothing twice');
  });

  it('refuses votes outside the event window and lists only open events', async () => {
    const concert = await openEvent();
    const { accessToken } = await signIn(server.baseUrl);
    assert.equal((await postJson(server.baseUrl, `/api/ops/concierto/events/${concert}/close`, {}, bearer(ADMIN))).status, 200);
    const late = await postJson(server.baseUrl, `/api/concierto/events/${concert}/votes`, { optionId: 'fela' }, bearer(accessToken));
    assert.equal(late.status, 409);
    assert.equal(late.body.error, 'EVENT_NOT_ACTIVE');
    const listed = (await (await fetch(`${server.baseUrl}/api/concierto/events`)).json()) as { events: Array<{ id: string }> };
    assert.ok(!listed.events.some((e) => e.id === concert));
    const unknown = await postJson(server.baseUrl, '/api/concierto/events/evt_nosuch/votes', { optionId: 'fela' }, bearer(accessToken));
    assert.equal(unknown.status, 404);
  });
});
