import assert from 'node:assert/strict';
import { MatchMakeError } from '@colyseus/sdk';
import { describeOverBothTransports } from '../support/httpServers.js';
import { clientFor, nextMessage } from '../support/rooms.js';
import { bearer, signIn } from '../support/auth.js';

const ADMIN = 'matchmake-flood-admin-token-0123456789';
const BOUND = 5;

/**
 * Regression: `/matchmake` had no per-address bound, so one client could ask for rooms (or token
 * checks) in a loop. Past MATCHMAKES_PER_ADDRESS_PER_MINUTE an address is refused at the HTTP edge with
 * 429 RATE_LIMITED, before Colyseus does any matchmaking work. Addresses come from X-Forwarded-For here
 * (HTTP_TRUST_FORWARDED_FOR, as behind the compose entry) so one test can be several clients.
 */
describeOverBothTransports(
  'issue: matchmaking had no per-address rate limit',
  { ADMIN_TOKEN: ADMIN, LOG_LEVEL: 'warn', HTTP_TRUST_FORWARDED_FOR: 'true', MATCHMAKES_PER_ADDRESS_PER_MINUTE: String(BOUND) },
  ({ server }) => {
    const from = (address: string, extra: Record<string, string> = {}) => ({ 'content-type': 'application/json', 'x-forwarded-for': address, ...extra });
    const matchmake = (address: string, extra: Record<string, string> = {}) =>
      fetch(`${server().baseUrl}/matchmake/create/session`, { method: 'POST', headers: from(address, extra), body: '{}' });
    const onAuthCount = async () => {
      const text = await (await fetch(`${server().baseUrl}/metrics`, { headers: bearer(ADMIN) })).text();
      return Number(/^ds_join_phase_seconds_count\{phase="on_auth"\} (\d+)/m.exec(text)?.[1] ?? 0);
    };

    it('refuses an address past its bound with a coded 429 before any token check, and leaves other addresses alone', async () => {
      const flooder = '198.51.100.7';
      for (let i = 0; i < BOUND; i++) assert.equal((await matchmake(flooder)).status, 401, 'within the bound: refused for the missing token');
      const checks = await onAuthCount();
      const res = await matchmake(flooder, { authorization: 'Bearer whatever' });
      const text = await res.text();
      assert.equal(res.status, 429, text);
      const body = JSON.parse(text);
      assert.equal(body.error, 'RATE_LIMITED');
      assert.match(
        body.message,
        new RegExp(`^too many matchmaking requests \\(room joins\\) from this address \\(at most ${BOUND} per 1 min\\); retry after \\d+ s$`),
      );
      assert.equal(body.requestId, res.headers.get('x-request-id'));
      assert.ok(Number(res.headers.get('retry-after')) >= 1 && Number(res.headers.get('retry-after')) <= 60);
      assert.deepEqual(Object.keys(body).sort(), ['error', 'message', 'requestId']);
      assert.equal(await onAuthCount(), checks, 'the refused request never reached the token check');

      // The SDK sees it as a MatchMakeError with code 429 (reconnect is counted too).
      const sdk = clientFor(server().baseUrl);
      sdk.http.options.headers = { 'x-forwarded-for': flooder };
      await assert.rejects(
        sdk.create('session', {}),
        (err: unknown) => err instanceof MatchMakeError && (err as MatchMakeError).code === 429 && /too many matchmaking requests/.test((err as Error).message),
      );
      await assert.rejects(sdk.reconnect('someroom:sometoken'), (err: unknown) => (err as MatchMakeError).code === 429);

      // Another address, with a valid token, joins.
      const device = await signIn(server().baseUrl);
      const other = clientFor(server().baseUrl, device.accessToken);
      other.http.options.headers = { 'x-forwarded-for': '203.0.113.9' };
      const room = await other.create('session', {});
      assert.equal((await nextMessage(room, 'welcome')).userId, device.userId);
      await room.leave(true);
    });
  },
);
