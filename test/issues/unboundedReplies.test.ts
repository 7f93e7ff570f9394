import assert from 'node:assert/strict';
import { startServerProcess, useServer } from '../support/serverProcess.js';
import { clientFor, collect } from '../support/rooms.js';
import { joinSession, leaveQuietly } from '../support/session.js';

/**
 * Unknown message types (session) and any message (coliseum) were answered without a rate
 * limit, echoing the type twice: each frame bought a larger reply (2× amplification).
 */
describe('issue: replies to unknown or refused messages were unlimited and echoed the type twice', function () {
  this.timeout(60_000);
  const RATE = 20;
  const running = useServer({ CLIENT_MESSAGE_RATE: String(RATE), CLIENT_DISCONNECT_RATE: '100000' });

  // Long enough to show the echo is cut to 64 characters (Colyseus itself drops clients sending types over ~255 bytes).
  const longType = 'u'.repeat(200);

  async function flood(send: (i: number) => void, errors: { items: any[] }, frames: number): Promise<void> {
    const started = Date.now();
    for (let i = 0; i < frames; i++) send(i);
    await new Promise((r) => setTimeout(r, 600));
    // The bucket answers RATE at once and refills at RATE/s; on a loaded machine the burst may spread over
    // a second or so. Bounded by the rate, not by the 300 frames (before the fix: one reply per frame).
    const seconds = (Date.now() - started) / 1000;
    assert.ok(errors.items.length <= RATE * (1 + seconds) + 2, `${errors.items.length} replies to ${frames} frames in ${seconds} s`);
    const limited = errors.items.filter((e) => e.code === 'RATE_LIMITED').length;
    assert.ok(limited >= 1 && limited <= Math.ceil(seconds) + 1, `${limited} RATE_LIMITED replies: one per second at most`);
    for (const e of errors.items) {
      assert.ok(e.for.length <= 65, 'the type is echoed at most 64 characters long');
      assert.ok(!e.message.includes('uuuu'), 'the message does not repeat the type');
    }
  }

  it('session: 300 unknown-type frames get at most the rate limit of replies', async () => {
    const { room } = await joinSession(running().server.baseUrl);
    const errors = collect(room, 'error');
    await flood(() => room.send(longType, {}), errors, 300);
    assert.ok(errors.items.some((e) => e.code === 'UNKNOWN_MESSAGE'));
    await leaveQuietly(room);
  });

  it('coliseum: 300 frames get at most the rate limit of replies', async () => {
    const room = await clientFor(running().server.baseUrl).joinOrCreate('coliseum', {});
    const errors = collect(room, 'error');
    await flood(() => room.send(longType, { a: 1 }), errors, 300);
    assert.ok(errors.items.some((e) => e.code === 'READ_ONLY'));
    await leaveQuietly(room);
  });

  it('a client flooding past CLIENT_DISCONNECT_RATE is disconnected; the server carries on', async () => {
    const flooding = await startServerProcess({
      DATABASE_URL: running().db.url,
      REDIS_URL: undefined,
      CLIENT_MESSAGE_RATE: '20',
      CLIENT_DISCONNECT_RATE: '100',
    });
    try {
      const room = await clientFor(flooding.baseUrl).joinOrCreate('coliseum', {});
      room.reconnection.enabled = false;
      const left = new Promise<number>((resolve) => room.onLeave((code) => resolve(code)));
      for (let i = 0; i < 500; i++) room.send('noise', {});
      const code = await Promise.race([left, new Promise<number>((r) => setTimeout(() => r(-1), 5000))]);
      assert.notEqual(code, -1, 'the flooding client was disconnected');
      assert.equal((await fetch(`${flooding.baseUrl}/health`)).status, 200);
    } finally {
      assert.equal(await flooding.stop('SIGTERM'), 0, flooding.output());
    }
  });
});
