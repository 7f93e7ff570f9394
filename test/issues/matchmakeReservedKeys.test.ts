import assert from 'node:assert/strict';
import { Client, MatchMakeError } from '@colyseus/sdk';
import { describeOverBothTransports } from '../support/httpServers.js';

/**
 * Regression: join options `{"hasOwnProperty":1}` came back 523 "b.hasOwnProperty
 * is not a function": Colyseus merges client options into the room's with `b.hasOwnProperty(key)`.
 * Keys that shadow Object.prototype members (`__proto__`, `constructor`, `hasOwnProperty`, …) are
 * refused at the HTTP edge with a 400 naming the field.
 */
describeOverBothTransports('issue: join options with prototype-shadowing keys get a clear 400, not 523', {}, ({ server }) => {
  const join = (path: string, json: string) =>
    fetch(`${server().baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: json, signal: AbortSignal.timeout(5000) });

  it('refuses hasOwnProperty, __proto__, constructor and toString in options of either room', async () => {
    const cases: Array<[string, string]> = [
      ['{"hasOwnProperty":1}', 'hasOwnProperty'],
      ['{"__proto__":{"polluted":true}}', '__proto__'],
      ['{"constructor":{"prototype":{}}}', 'constructor'],
      ['{"boards":["votes"],"toString":0}', 'toString'],
      ['{"nested":{"valueOf":1}}', 'nested.valueOf'],
    ];
    for (const path of ['/matchmake/joinOrCreate/coliseum', '/matchmake/create/session', '/matchmake/join/coliseum']) {
      for (const [json, field] of cases) {
        const res = await join(path, json);
        const body = await res.json();
        assert.equal(res.status, 400, `${path} ${json}: ${JSON.stringify(body)}`);
        assert.equal(body.details[0].field, field);
        assert.match(body.message, /reserved name .*rename the field/);
      }
    }
  });

  it('reaches the SDK as a MatchMakeError with code 400 and the reason', async () => {
    const client = new Client(server().baseUrl);
    await assert.rejects(client.joinOrCreate('coliseum', { hasOwnProperty: 1 }), (err: unknown) => {
      assert.ok(err instanceof MatchMakeError);
      assert.equal((err as MatchMakeError).code, 400);
      assert.match((err as Error).message, /hasOwnProperty/);
      return true;
    });
  });

  it('leaves ordinary joins working', async () => {
    const res = await join('/matchmake/joinOrCreate/coliseum', '{}');
    assert.equal(res.status, 200);
    assert.ok((await res.json()).roomId);
  });
});
