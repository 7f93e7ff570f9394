import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describeOverBothTransports } from '../support/httpServers.js';
import { signIn } from '../support/auth.js';

/**
 * Regression (found probing ingest with hostile bodies, this stop): a passport payload number beyond
 * JSON's range (`1e400`) parsed as Infinity, was answered 202 and stored as null, so the client's value
 * changed without a word. The HTTP edge now refuses it with a 400 that names the field, on every route.
 */
describeOverBothTransports('issue: a number beyond JSON range was stored as null', {}, ({ server, db }) => {
  it('answers 400 naming payload.n, stores nothing, and still takes the same event with a finite number', async () => {
    const { accessToken } = await signIn(server().baseUrl);
    const eventId = randomUUID();
    const post = (n: string) =>
      fetch(`${server().baseUrl}/api/passport/log`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
        body: `{"eventId":"${eventId}","eventType":"player.like","payload":{"trackId":"t1","n":${n}}}`,
        signal: AbortSignal.timeout(5000),
      });
    const refused = await post('1e400');
    const body = await refused.json();
    assert.equal(refused.status, 400, JSON.stringify(body));
    assert.equal(body.error, 'VALIDATION_FAILED');
    assert.deepEqual(
      body.details.map((d: { field: string }) => d.field),
      ['payload.n'],
    );
    assert.match(body.details[0].message, /finite number/);
    const stored = async () =>
      (await db().sql.query<{ payload: unknown }>('SELECT payload FROM passport_entries WHERE event_id = ?', [eventId])).map((r) => r.payload);
    assert.deepEqual(await stored(), [], 'nothing stored');
    const accepted = await post('1e300');
    assert.equal(accepted.status, 202, await accepted.text());
    // 202 comes after the commit: the row is there at once.
    assert.deepEqual(await stored(), [{ trackId: 't1', n: 1e300 }]);
  });
});
