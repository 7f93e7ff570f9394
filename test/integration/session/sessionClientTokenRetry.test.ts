import assert from 'node:assert/strict';
import { useServer } from '../../support/serverProcess.js';
import { signIn } from '../../support/auth.js';
import { SessionClient, type AccessTokenSource } from '../../../clients/ts/src/SessionClient.js';

/**
 * clients/ts's SessionClient refreshes a refused token and joins again once. The server refuses the token
 * at matchmaking (401, the HTTP status the SDK rejects with), no longer on the WebSocket join (4401):
 * the retry has to follow, against a real server.
 */
describe('SessionClient: a token refused at matchmaking is replaced and the join retried once', function () {
  this.timeout(60_000);
  const running = useServer({ LOG_LEVEL: 'warn' });

  /** Hands out `tokens` in turn, moving to the next one only when invalidated. */
  function source(tokens: string[]): AccessTokenSource & { invalidated: number } {
    let i = 0;
    return {
      invalidated: 0,
      accessToken: async () => tokens[Math.min(i, tokens.length - 1)]!,
      invalidate() {
        this.invalidated++;
        i++;
      },
    };
  }

  it('joins with the fresh token after one refusal', async () => {
    const { baseUrl } = running().server;
    const device = await signIn(baseUrl);
    const auth = source([`${device.accessToken}x`, device.accessToken]);
    const client = new SessionClient(baseUrl.replace(/^http/, 'ws'));
    const welcome = new Promise<{ userId: string }>((resolve) => client.on('welcome', resolve));
    await client.connect({ deviceModel: 'node' }, auth);
    assert.equal(auth.invalidated, 1);
    assert.equal((await welcome).userId, device.userId);
    await client.leave();
  });

  it('gives up after the one retry, with the 401 and the reason', async () => {
    const auth = source(['not.a.token', 'still.not.a.token']);
    const client = new SessionClient(running().server.baseUrl.replace(/^http/, 'ws'));
    await assert.rejects(client.connect({}, auth), (err: { code?: number; message?: string }) => err.code === 401 && /access token/.test(err.message ?? ''));
    assert.equal(auth.invalidated, 1);
  });
});
