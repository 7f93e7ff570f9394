import assert from 'node:assert/strict';
import { describeOverBothTransports } from '../support/httpServers.js';
import { allowingForLoad } from '../support/time.js';

const nested = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

/**
 * Regression: a 5,000-deep JSON body to matchmaking came back 523 after
 * 9-18 s (Colyseus handed the options to the room machinery, which walked them recursively).
 * Nesting is bounded by HTTP_MAX_JSON_DEPTH (default 32), checked by a linear scan before parsing.
 */
describeOverBothTransports('issue: deeply nested JSON is refused fast with 400', {}, ({ server }) => {
  const post = (path: string, body: string) =>
    fetch(`${server().baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(3000) });

  it('refuses a 5,000-deep body to matchmaking and to our routes within a second', async () => {
    for (const path of ['/matchmake/joinOrCreate/coliseum', '/matchmake/create/session', '/api/passport/log', '/api/passport/batch', '/event']) {
      const started = Date.now();
      const res = await post(path, nested(5000));
      const ms = Date.now() - started;
      assert.equal(res.status, 400, path);
      const body = await res.json();
      assert.equal(body.error, 'VALIDATION_FAILED');
      assert.deepEqual(
        body.details.map((d: { field: string }) => d.field),
        ['(body)'],
      );
      assert.match(body.details[0].message, /deeper than 32 levels \(HTTP_MAX_JSON_DEPTH\)/);
      assert.ok(ms < allowingForLoad(1000), `${path} answered after ${ms} ms`);
    }
  });

  const refusedForDepth = async (res: Response) => res.status === 400 && (await res.text()).includes('HTTP_MAX_JSON_DEPTH');

  it('accepts exactly 32 levels and refuses 33', async () => {
    // The room may refuse the option itself; what matters is that the edge let 32 levels through.
    assert.equal(await refusedForDepth(await post('/matchmake/joinOrCreate/coliseum', JSON.stringify({ note: JSON.parse(nested(31)) }))), false);
    assert.equal(await refusedForDepth(await post('/matchmake/joinOrCreate/coliseum', JSON.stringify({ note: JSON.parse(nested(32)) }))), true);
  });

  it('counts brackets inside strings as text, not nesting', async () => {
    assert.equal(await refusedForDepth(await post('/matchmake/joinOrCreate/coliseum', JSON.stringify({ note: '['.repeat(10_000) }))), false);
  });
});
