import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describeOverBothTransports } from '../support/httpServers.js';
import { clientFor, nextMessage, waitForState } from '../support/rooms.js';
import { bearer, signIn, TEST_AUTH_SECRET } from '../support/auth.js';
import { rawRequest } from '../support/rawHttp.js';
import { AccessTokens } from '../../features/auth/tokens.js';

const ADMIN = 'unauthenticated-matchmake-admin-token-0123';

/**
 * Regression: `POST /matchmake/create/session` (and joinOrCreate) with no access token, or a bad one,
 * answered 200 and created a session room with a seat reservation; the token was only checked on the
 * WebSocket join. A client looping on it made the server create rooms (each held until its seat
 * reservation expired). The token is now checked at matchmaking (a static onAuth), before any room or
 * seat exists: 401 with a code and a request id, and no room.
 */
describeOverBothTransports(
  'issue: matchmaking without a valid access token created rooms',
  { ADMIN_TOKEN: ADMIN, LOG_LEVEL: 'warn' },
  ({ server, transport }) => {
    const sessionRooms = async () => {
      const res = await fetch(`${server().baseUrl}/api/ops/rooms`, { headers: bearer(ADMIN) });
      assert.equal(res.status, 200);
      return ((await res.json()) as { rooms: Array<{ name: string }> }).rooms.filter((r) => r.name === 'session').length;
    };
    const phaseCount = async (phase: string) => {
      const text = await (await fetch(`${server().baseUrl}/metrics`, { headers: bearer(ADMIN) })).text();
      return Number(new RegExp(`^ds_join_phase_seconds_count\\{phase="${phase}"\\} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
    };
    const matchmake = (path: string, body: string, headers: Record<string, string> = {}) =>
      fetch(`${server().baseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
        signal: AbortSignal.timeout(5000),
      });

    async function badTokens(): Promise<Array<[string, string | undefined]>> {
      const identity = { userId: randomUUID(), deviceId: randomUUID() };
      const known = await signIn(server().baseUrl);
      return [
        ['none', undefined],
        ['garbled', 'not.a.token'],
        ['signed with another key', (await new AccessTokens('another-key-that-is-not-the-servers-0123456789', 900).issue(identity)).accessToken],
        [
          'expired',
          (await new AccessTokens(TEST_AUTH_SECRET, 900).issue({ userId: known.userId, deviceId: known.deviceId }, Date.now() - 3_600_000)).accessToken,
        ],
        ['for a device that never signed in', (await new AccessTokens(TEST_AUTH_SECRET, 900).issue(identity)).accessToken],
      ];
    }

    it('answers 401 for no, garbled, foreign, expired and unknown-device tokens, over the SDK and raw HTTP, and creates no room', async () => {
      const before = await sessionRooms();
      const checks = await phaseCount('on_auth');
      for (const [what, token] of await badTokens()) {
        for (const method of ['create', 'joinOrCreate'] as const) {
          await assert.rejects(clientFor(server().baseUrl, token)[method]('session', {}), (err: { code?: number; message?: string }) => {
            assert.equal(err.code, 401, `${what} ${method}: ${err.message}`);
            assert.match(err.message ?? '', /access token/, what);
            return true;
          });
        }
        const res = await matchmake('/matchmake/create/session', '{}', token ? bearer(token) : {});
        const body = await res.json();
        assert.equal(res.status, 401, `${what}: ${JSON.stringify(body)}`);
        assert.equal(body.code, 401);
        assert.match(body.error, /access token/);
        assert.equal(body.requestId, res.headers.get('x-request-id'));
      }
      assert.equal(await sessionRooms(), before, 'no session room was created');
      assert.ok((await phaseCount('on_auth')) >= checks + 15, 'each refusal was a timed on_auth at matchmaking');
    });

    it('a valid token still joins (with the welcome) and reconnects with its reconnection token, without a new token', async () => {
      const device = await signIn(server().baseUrl);
      const room = await clientFor(server().baseUrl, device.accessToken).create('session', { deviceModel: 'iPhone17,3' });
      const welcome = await nextMessage(room, 'welcome');
      assert.equal(welcome.userId, device.userId);
      await waitForState(room, (s) => s.station.artistName !== '', 5000, 'initial station');
      const token = room.reconnectionToken;
      room.reconnection.enabled = false;
      await room.leave(false); // not consented: the server holds the seat
      const back = await clientFor(server().baseUrl).reconnect(token); // no access token on this client
      await waitForState(back, (s) => s.station.artistName !== '', 5000, 'state after reconnect');
      assert.equal(back.roomId, room.roomId);
      await back.leave(true);
    });

    it('identity fields and invalid options are refused at matchmaking (400), before a room exists', async () => {
      const { accessToken } = await signIn(server().baseUrl);
      const before = await sessionRooms();
      for (const [options, reason] of [
        [{ deviceId: 'd1' }, /deviceId not allowed/],
        [{ lastSessionId: 'not-a-uuid' }, /lastSessionId/],
        [{ deviceModel: 'x'.repeat(65) }, /deviceModel/],
      ] as const) {
        await assert.rejects(
          clientFor(server().baseUrl, accessToken).create('session', options),
          (err: { code?: number; message?: string }) => err.code === 400 && reason.test(err.message ?? ''),
        );
      }
      assert.equal(await sessionRooms(), before);
    });

    it('hostile bodies, tokens and headers get coded 4xx answers with no internal detail, and no room', async () => {
      const before = await sessionRooms();
      const { accessToken } = await signIn(server().baseUrl);
      const cases: Array<[string, string, Record<string, string>]> = [
        ['not JSON', '{"a":', bearer(accessToken)],
        ['a JSON string', '"session"', bearer(accessToken)],
        ['a JSON array', '[1,2,3]', bearer(accessToken)],
        ['a number', '42', bearer(accessToken)],
        ['null', 'null', {}],
        ['options of the wrong types', '{"deviceModel":{"$gt":""},"lastSessionId":[1]}', bearer(accessToken)],
        ['a long token', '{}', bearer('a'.repeat(3000))],
        ['a token with odd characters', '{}', bearer('e30.e30.\u00ff\u00fe')],
        ['Basic credentials', '{}', { authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` }],
        ['a bare Bearer', '{}', { authorization: 'Bearer' }],
        ['two spaces before the token', '{}', { authorization: `Bearer  ${accessToken}x` }],
        ['a forged forwarded address', '{}', { 'x-forwarded-for': '1.2.3.4', 'x-real-ip': '1.2.3.4' }],
      ];
      for (const [what, body, headers] of cases) {
        let res: Response;
        try {
          res = await matchmake('/matchmake/create/session', body, headers);
        } catch (err) {
          assert.fail(`${what}: no answer (${(err as Error).message})`);
        }
        const text = await res.text();
        assert.ok(res.status >= 400 && res.status < 500, `${what}: ${res.status} ${text}`);
        assert.doesNotMatch(text, /at \w+ \(|node_modules|TypeError|\/work\/|stack/i, what);
        const parsed = JSON.parse(text);
        assert.ok(typeof parsed.requestId === 'string' || res.headers.get('x-request-id'), what);
      }
      const heads = [['a 64 KB Authorization header', `Authorization: Bearer ${'b'.repeat(65_536)}\r\n`]];
      // uWS answers a head with a control character in a header value not at all, on any route, and closes the
      // connection at its ~10 s idle timeout: nothing reaches matchmaking, but nothing to assert quickly either.
      if (transport === 'ws') heads.push(['a header with a control character', 'Authorization: Bearer a\u0001b\r\n']);
      for (const [what, head] of heads) {
        const body = '{}';
        const res = await rawRequest(
          server().port,
          `POST /matchmake/create/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n${head}Content-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
          { timeoutMs: 5000 },
        ).catch((err: Error) => ({ status: 0, body: err.message }));
        // Refused by the HTTP layer (431/400) or by the token check (401), or the connection is closed: never a 2xx or 5xx.
        assert.ok(res.status === 0 || (res.status >= 400 && res.status < 500), `${what}: ${res.status} ${res.body.slice(0, 200)}`);
        assert.doesNotMatch(res.body, /at \w+ \(|node_modules|\/work\//, what);
      }
      for (const path of [
        '/MATCHMAKE/create/session',
        '//matchmake/create/session',
        '/matchmake/create/session/',
        '/matchmake/Create/session',
        '/matchmake/create/SESSION',
        '/matchmake/create/%73ession',
      ]) {
        // Not the route (404), or Colyseus's own 520 "no handler" for a method or room it does not know: never a room, never 500/523.
        const res = await matchmake(path, '{}');
        assert.ok([400, 401, 404, 520].includes(res.status), `${path}: ${res.status} ${await res.text()}`);
      }
      assert.equal(await sessionRooms(), before, 'no session room was created');
      assert.equal((await fetch(`${server().baseUrl}/health/live`)).status, 200);
    });
  },
);
