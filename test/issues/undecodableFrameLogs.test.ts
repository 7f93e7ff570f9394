import assert from 'node:assert/strict';
import type { Room } from '@colyseus/sdk';
import { useServer } from '../support/serverProcess.js';
import { clientFor } from '../support/rooms.js';

/**
 * Every frame Colyseus could not decode logged a ~1.3 KB stack trace (8.8 MB per 100k
 * frames): a client could fill the disk. Now the same fault is one line per interval.
 */
describe('issue: each undecodable frame logged a whole stack trace', function () {
  this.timeout(60_000);
  const running = useServer();

  it('200 undecodable frames (each closes its connection) add a few log lines, not 200 stacks', async () => {
    const before = running().server.output().length;
    const ROOM_DATA = 13;
    // A one-character message type followed by 0xc1, a byte msgpack never uses: unpack throws.
    const frame = Uint8Array.from([ROOM_DATA, 0xa1, 0x78, 0xc1, 0xc1]);
    for (let batch = 0; batch < 10; batch++) {
      const rooms: Room[] = await Promise.all([...Array(20)].map(() => clientFor(running().server.baseUrl).joinOrCreate('coliseum', {})));
      const closed = rooms.map((room) => {
        room.reconnection.enabled = false;
        return new Promise<void>((resolve) => room.onLeave(() => resolve()));
      });
      for (const room of rooms) room.connection.send(frame);
      await Promise.race([Promise.all(closed), new Promise((r) => setTimeout(r, 3000))]);
    }
    await new Promise((r) => setTimeout(r, 300));
    const added = running().server.output().slice(before);
    const lines = added.split('\n').filter((l) => l.trim().length > 0);
    assert.ok(lines.length <= 10, `${lines.length} lines logged for 200 bad frames:\n${added.slice(0, 2000)}`);
    assert.ok(added.length < 5000, `${added.length} bytes logged`);
    assert.equal(running().server.proc.exitCode, null);
  });
});
