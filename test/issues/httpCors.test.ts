import assert from 'node:assert/strict';
import { describeOverBothTransports } from '../support/httpServers.js';

const APP = 'https://app.example.com';
const EVIL = 'https://evil.example';

const get = (base: string, path: string, origin: string) => fetch(`${base}${path}`, { headers: { origin } });
const join = (base: string, origin: string) =>
  fetch(`${base}/matchmake/joinOrCreate/coliseum`, { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: '{}' });
const preflight = (base: string, path: string, origin: string) =>
  fetch(`${base}${path}`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
  });

/**
 * Regression: every route, ours and Colyseus's matchmaking, reflected any Origin
 * with `Access-Control-Allow-Credentials: true` (Colyseus's default CORS headers), so any web page could
 * read responses with the visitor's cookies. CORS now follows CORS_ORIGINS: none by default.
 */
describeOverBothTransports('issue: CORS follows the CORS_ORIGINS allow-list (default: same-origin only)', {}, ({ server }) => {
  it('names no origin and grants no credentials to a foreign page, on our routes and matchmaking', async () => {
    for (const res of [await get(server().baseUrl, '/api/stations', EVIL), await get(server().baseUrl, '/health', EVIL), await join(server().baseUrl, EVIL)]) {
      assert.equal(res.headers.get('access-control-allow-origin'), null, res.url);
      assert.equal(res.headers.get('access-control-allow-credentials'), null, res.url);
    }
  });

  it('refuses a foreign preflight with 403 and no CORS headers', async () => {
    for (const path of ['/matchmake/joinOrCreate/coliseum', '/api/passport/log']) {
      const res = await preflight(server().baseUrl, path, EVIL);
      assert.equal(res.status, 403, path);
      assert.equal(res.headers.get('access-control-allow-origin'), null);
      assert.equal((await res.json()).error, 'ORIGIN_NOT_ALLOWED');
    }
  });

  it('still serves same-origin and non-browser clients', async () => {
    assert.equal((await fetch(`${server().baseUrl}/api/stations`)).status, 200);
    assert.equal((await join(server().baseUrl, server().baseUrl)).status, 200);
  });
});

describeOverBothTransports(`issue: CORS_ORIGINS=${APP} grants that origin only`, { CORS_ORIGINS: APP }, ({ server }) => {
  it('names the listed origin with credentials, on our routes and matchmaking', async () => {
    for (const res of [await get(server().baseUrl, '/api/stations', APP), await join(server().baseUrl, APP)]) {
      assert.equal(res.headers.get('access-control-allow-origin'), APP, res.url);
      assert.equal(res.headers.get('access-control-allow-credentials'), 'true');
      assert.match(res.headers.get('vary') ?? '', /Origin/);
      assert.match(res.headers.get('access-control-expose-headers') ?? '', /X-Request-Id/i);
    }
  });

  it('answers its preflight 204 with the methods and headers the SDK uses', async () => {
    const res = await preflight(server().baseUrl, '/matchmake/joinOrCreate/coliseum', APP);
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), APP);
    assert.match(res.headers.get('access-control-allow-methods') ?? '', /POST/);
    assert.match(res.headers.get('access-control-allow-headers') ?? '', /Content-Type/i);
  });

  it('names no other origin', async () => {
    const res = await get(server().baseUrl, '/api/stations', EVIL);
    assert.equal(res.headers.get('access-control-allow-origin'), null);
    assert.equal((await preflight(server().baseUrl, '/api/stations', EVIL)).status, 403);
  });
});

describeOverBothTransports('issue: CORS_ORIGINS=* allows any origin, never with credentials', { CORS_ORIGINS: '*' }, ({ server }) => {
  it('answers * without Allow-Credentials', async () => {
    for (const res of [
      await get(server().baseUrl, '/api/stations', EVIL),
      await join(server().baseUrl, EVIL),
      await preflight(server().baseUrl, '/api/passport/log', EVIL),
    ]) {
      assert.equal(res.headers.get('access-control-allow-origin'), '*', res.url);
      assert.equal(res.headers.get('access-control-allow-credentials'), null);
    }
  });
});
