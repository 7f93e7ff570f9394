import assert from 'node:assert/strict';
import pino from 'pino';
import { BACKPLANE_KINDS, type Backplane } from '../../support/backplanes.js';
import { LiveSessions } from '../../../features/limits/LiveSessions.js';

const silent = pino({ level: 'silent' });
const NOW = Date.now();
const SETTINGS = { liveSessionsPerUser: 3, liveSessionsPerDevice: 2, liveRoomsPerUser: 4, liveSessionsTtlSec: 60 };

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
    /** A room's two steps: admitted for its user, then its session claimed. */
    const join = async (on: LiveSessions, k: ReturnType<typeof key>, nowMs = NOW) => {
      const admitted = await on.admit(k, nowMs);
      return admitted.ok ? on.claim(k, nowMs) : admitted;
    };

    it('bounds sessions per device and per user across processes, with a coded message naming which', async () => {
      assert.deepEqual(await join(a, key('s1')), { ok: true });
      assert.deepEqual(await join(b, key('s2')), { ok: true });
      const device = await join(a, key('s3'));
      assert.equal(device.ok, false);
      assert.equal(!device.ok && device.code, 'LIVE_SESSIONS_LIMIT');
      assert.match(!device.ok ? device.message : '', /^this device already has 2 live sessions/);
      await a.release('room-s3'); // the refused join's room
      assert.deepEqual(await join(b, key('s3', 'd2')), { ok: true });
      const user = await join(a, key('s4', 'd3'));
      assert.match(!user.ok ? user.message : '', /^this account already has 3 live sessions/);
      await a.release('room-s4');
      await a.release('room-s1');
      assert.deepEqual(await join(a, key('s4', 'd3')), { ok: true }, 'a released session frees its place');
    });

    it('a resume or handoff of the same session counts once; rooms per user are bounded before any session; only the newest room releases the session', async () => {
      await join(a, key('s1', 'd1', 'old-room'));
      assert.deepEqual(await join(b, key('s1', 'd1', 'new-room')), { ok: true }, 'the handoff of s1 to another process');
      assert.deepEqual(await join(b, key('s2')), { ok: true }, 's1 counted once for d1');
      assert.deepEqual(await a.admit({ userId: 'u1', holder: 'fourth-room' }, NOW), { ok: true });
      const fifth = await a.admit({ userId: 'u1', holder: 'fifth-room' }, NOW);
      assert.match(!fifth.ok ? fifth.message : '', /^this account already has 4 live session rooms/);
      await a.release('fourth-room');
      await a.release('old-room'); // the room a resume left behind ends
      assert.equal((await join(a, key('s3', 'd1', 'r3'))).ok, false, 's1 still counts for d1: the new room holds it');
      await a.release('r3');
      await b.release('new-room');
      assert.deepEqual(await join(a, key('s3', 'd1', 'r3')), { ok: true }, 'the newest room released s1');
    });

    it("a crashed process's claims lapse after the TTL; a live process's refreshes keep its own", async () => {
      await join(a, key('s1'));
      await join(b, key('s2'));
      await b.refreshAll(NOW + 50_000); // b lives on; a stopped refreshing (crashed)
      assert.equal((await join(b, key('s3'), NOW + 59_000)).ok, false);
      await b.release('room-s3');
      assert.deepEqual(await join(b, key('s3'), NOW + 60_000), { ok: true }, "a's session lapsed at its TTL");
      assert.equal((await join(b, key('s4'), NOW + 61_000)).ok, false, "b's refreshed sessions still count");
      await b.release('room-s4');
      assert.equal(b.size, 2);
    });
  });
}
