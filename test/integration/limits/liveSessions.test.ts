import assert from 'node:assert/strict';
import pino from 'pino';
import { BACKPLANE_KINDS, type Backplane } from '../../support/backplanes.js';
import { LiveSessions } from '../../../features/limits/LiveSessions.js';

const silent = pino({ level: 'silent' });
const NOW = Date.now();
const SETTINGS = { liveSessionsPerUser: 3, liveSessionsPerDevice: 2, liveRoomsPerSession: 2, liveSessionsTtlSec: 60 };

for (const kind of BACKPLANE_KINDS) {
  describe(`LiveSessions: ${kind.name}`, () => {
    let all: Backplane[];
    let close: () => Promise<void>;
    let a: LiveSessions;
    let b: LiveSessions;
    beforeEach(async () => {
      ({ all, close } = await kind.make(2));
      [a, b] = all.map((backplane) => new LiveSessions(backplane, SETTINGS, silent));
    });
    afterEach(async () => close());
    const key = (sessionId: string, deviceId = 'd1', holder = `room-${sessionId}`) => ({ userId: 'u1', deviceId, sessionId, holder });

    it('bounds sessions per device and per user across processes, with a coded message naming which', async () => {
      assert.deepEqual(await a.claim(key('s1'), NOW), { ok: true });
      assert.deepEqual(await b.claim(key('s2'), NOW), { ok: true });
      const device = await a.claim(key('s3'), NOW);
      assert.equal(device.ok, false);
      assert.equal(!device.ok && device.code, 'LIVE_SESSIONS_LIMIT');
      assert.match(!device.ok ? device.message : '', /^this device already has 2 live sessions/);
      assert.deepEqual(await b.claim(key('s3', 'd2'), NOW), { ok: true });
      const user = await a.claim(key('s4', 'd3'), NOW);
      assert.match(!user.ok ? user.message : '', /^this account already has 3 live sessions/);
      await a.release('s1', 'room-s1');
      assert.deepEqual(await a.claim(key('s4', 'd3'), NOW), { ok: true }, 'a released session frees its place');
    });

    it('a resume or handoff of the same session counts once; rooms per session are bounded; only the newest room releases the session', async () => {
      await a.claim(key('s1', 'd1', 'old-room'), NOW);
      assert.deepEqual(await b.claim(key('s1', 'd1', 'new-room'), NOW), { ok: true }, 'the handoff of s1 to another process');
      assert.deepEqual(await b.claim(key('s2'), NOW), { ok: true }, 's1 counted once for d1');
      const third = await a.claim(key('s1', 'd1', 'third-room'), NOW);
      assert.match(!third.ok ? third.message : '', /^this session is already live in 2 rooms/);
      await a.release('s1', 'old-room'); // the room left behind ends
      assert.equal((await a.claim(key('s3'), NOW)).ok, false, 's1 still counts: the new room holds it');
      assert.deepEqual(await a.claim(key('s1', 'd1', 'third-room'), NOW), { ok: true }, 'the old room no longer counts among s1 rooms');
    });

    it("a crashed process's claims lapse after the TTL; a live process's refreshes keep its own", async () => {
      await a.claim(key('s1'), NOW);
      await b.claim(key('s2'), NOW);
      await b.refreshAll(NOW + 50_000); // b lives on; a stopped refreshing (crashed)
      assert.equal((await b.claim(key('s3'), NOW + 59_000)).ok, false);
      assert.deepEqual(await b.claim(key('s3'), NOW + 60_000), { ok: true }, "a's session lapsed at its TTL");
      assert.equal((await a.claim(key('s4'), NOW + 61_000)).ok, false, "b's refreshed sessions still count");
      assert.equal(b.size, 2);
    });
  });
}
