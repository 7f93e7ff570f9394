import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describeOverBothTransports } from '../support/httpServers.js';

/** JSON text with a `\ud800` escape: JSON.stringify would write the same, fetch sends it as is. */
const LONE = '\\ud800';
const NUL = '\\u0000';

/**
 * Regression: a lone surrogate (`\ud800`) in a passport payload or a gravity
 * `session_id` was answered 202 and then landed in passport_dead_letters; a NUL reached Postgres.
 * Both are refused at the HTTP edge with a 400 that names the field, on every route and matchmaking.
 */
describeOverBothTransports('issue: NUL and lone surrogates are refused at the HTTP edge with the field', {}, ({ server, db }) => {
  const post = (path: string, json: string) =>
    fetch(`${server().baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: json, signal: AbortSignal.timeout(5000) });

  async function refused(res: Response, field: string, problem: RegExp): Promise<void> {
    const body = await res.json();
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.equal(body.error, 'VALIDATION_FAILED');
    assert.deepEqual(
      body.details.map((d: { field: string }) => d.field),
      [field],
    );
    assert.match(body.details[0].message, problem);
  }

  it('names session_id for a lone surrogate in a gravity event, and stores nothing', async () => {
    const sessionId = `s-${randomUUID()}`;
    const res = await post('/event', `{"session_id":"${sessionId}${LONE}","track_id":"${randomUUID()}","event_type":"play"}`);
    await refused(res, 'session_id', /unpaired UTF-16 surrogate/);
    await new Promise((r) => setTimeout(r, 300)); // several passport flush intervals
    const [{ n }] = await db().sql.query<{ n: string }>('SELECT count(*) AS n FROM passport_dead_letters');
    assert.equal(Number(n), 0);
  });

  it('names the payload field of a passport event and of an event inside a batch', async () => {
    const event = (value: string) => `{"eventType":"concierto.vote_cast","payload":{"eventId":"evt_1","voteFor":"artist_fela_004","channel":"${value}"}}`;
    await refused(await post('/api/passport/log', event(`web${LONE}`)), 'payload.channel', /surrogate/);
    await refused(await post('/api/passport/log', event(`web${NUL}`)), 'payload.channel', /NUL/);
    await refused(await post('/api/passport/batch', `{"events":[${event('web')},${event(`x${NUL}`)}]}`), 'events.1.payload.channel', /NUL/);
  });

  it('checks object keys and low surrogates too', async () => {
    await refused(await post('/event', `{"session_id":"s","track_id":"t","event_type":"play","meta":{"k${NUL}":1}}`), 'meta.k\u0000', /key .*NUL/);
    await refused(await post('/event', `{"session_id":"\\udc00"}`), 'session_id', /surrogate/);
  });

  it('refuses them in matchmaking options', async () => {
    await refused(await post('/matchmake/joinOrCreate/coliseum', `{"boards":["votes${NUL}"]}`), 'boards.0', /NUL/);
    await refused(await post('/matchmake/create/session', `{"deviceId":"d${LONE}"}`), 'deviceId', /surrogate/);
  });

  it('refuses them in the path and the query string', async () => {
    await refused(await fetch(`${server().baseUrl}/api/stations?device_model=iPhone%00`), 'query.device_model', /NUL/);
    await refused(await fetch(`${server().baseUrl}/api/leaderboards/votes%00x`), '(path)', /NUL/);
  });

  it('lets well-formed Unicode through (emoji are surrogate pairs)', async () => {
    const res = await post('/matchmake/joinOrCreate/coliseum', JSON.stringify({ note: 'Fela Kuti 🎷 — Lagos' }));
    assert.ok(!(await res.text()).includes('surrogate'));
  });
});
