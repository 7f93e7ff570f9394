import assert from 'node:assert/strict';
import { useServer } from '../support/serverProcess.js';
import { nextMessage } from '../support/rooms.js';
import { joinSession, leaveQuietly } from '../support/session.js';

/**
 * A hostile-client probe sent a 200 KB `capture`: the frame is over the transport's limit, so the
 * connection is closed (uWS drops it, ws closes with 1009). The limit is WS_MAX_MESSAGE_BYTES (it was a
 * constant in src/transport.ts); the process, the other rooms and a frame just under it are unaffected.
 */
for (const transport of ['uws', 'ws'] as const) {
  describe(`issue: an oversized room frame (${transport})`, function () {
    this.timeout(60_000);
    const running = useServer({ TRANSPORT: transport, WS_MAX_MESSAGE_BYTES: String(8 * 1024) });

    it('closes only the sender; a frame under the limit gets a coded error; others play on', async () => {
      const base = running().server.baseUrl;
      const { room: bystander } = await joinSession(base);
      const { room: sender } = await joinSession(base);

      const under = nextMessage(sender, 'error');
      sender.send('capture', { artistId: 'x'.repeat(6 * 1024) });
      assert.equal((await under).code, 'BAD_INPUT');

      const closed = new Promise<number>((resolve) => sender.onLeave((code: number) => resolve(code)));
      sender.send('capture', { artistId: 'x'.repeat(20 * 1024) });
      const code = await closed;
      assert.equal(code, transport === 'ws' ? 1009 : 1006, `close code ${code}`); // uWS drops the socket without a close frame

      const locked = nextMessage(bystander, 'locked');
      bystander.send('tune', { frequency: 105.5 });
      assert.equal((await locked).frequency, 105.5);
      assert.equal(running().server.proc.exitCode, null);
      assert.equal((await fetch(`${base}/health`)).status, 200);
      await leaveQuietly(bystander);
    });
  });
}
