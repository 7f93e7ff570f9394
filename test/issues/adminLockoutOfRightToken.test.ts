import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { useServer } from '../support/serverProcess.js';
import { bearer } from '../support/auth.js';

const ADMIN = 'admin-lockout-test-token-0123456789';
const BOUND = 3;

/**
 * Regression: after ADMIN_FAILURES_PER_ADDRESS_PER_MINUTE wrong admin tokens from an address, the right
 * token from that address got 429 too for the rest of the minute, so anyone sharing an address with the
 * operators could lock them out. Now only wrong tokens past the bound get 429; the right one always passes.
 */
describe('issue: wrong admin tokens locked the right token out of its address', function () {
  this.timeout(60_000);
  const running = useServer({ ADMIN_TOKEN: ADMIN, LOG_LEVEL: 'warn', HTTP_TRUST_FORWARDED_FOR: 'true', ADMIN_FAILURES_PER_ADDRESS_PER_MINUTE: String(BOUND) });
  const get = (path: string, address: string, token?: string) =>
    fetch(`${running().server.baseUrl}${path}`, { headers: { 'x-forwarded-for': address, ...(token ? bearer(token) : {}) } });

  it('past the bound a wrong token gets 429 with Retry-After; the right token still gets 200 on every admin surface', async () => {
    const shared = '198.51.100.23';
    for (let i = 0; i < BOUND; i++)
      assert.equal((await get('/api/ops/overview', shared, `wrong-${randomUUID()}`)).status, 401, `wrong token ${i + 1} is within the bound`);
    const refused = await get('/api/ops/overview', shared, `wrong-${randomUUID()}`);
    const body = await refused.json();
    assert.equal(refused.status, 429);
    assert.equal(body.error, 'RATE_LIMITED');
    assert.match(body.message, /wrong admin tokens from this address/);
    const retryAfter = Number(refused.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);

    for (const path of ['/api/ops/overview', '/metrics', '/api/ops/overview']) {
      const right = await get(path, shared, ADMIN);
      assert.equal(right.status, 200, `${path} with the right token from the guessing address`);
      await right.arrayBuffer();
    }
    assert.equal((await get('/api/ops/overview', shared, `wrong-${randomUUID()}`)).status, 429, 'the right token did not reset the count for guesses');
    assert.equal((await get('/api/ops/overview', shared)).status, 401, 'no token at all is not a guess: still told to authenticate');
    assert.equal((await get('/api/ops/overview', '203.0.113.77', `wrong-${randomUUID()}`)).status, 401, 'another address has its own count');
  });
});
