import assert from 'node:assert/strict';
import { useTestDatabase } from '../support/db.js';
import { insertUser } from '../support/auth.js';
import { clientFor } from '../support/rooms.js';
import { startInProcessSessionServer, type InProcessSessionServer } from '../support/inProcessSessionServer.js';
import type { StationService } from '../../features/catalog/StationService.js';

/**
 * A fast rolling deploy on the fleet testbed: now and then a session the client had settled came back from its
 * move on another station. The dial had locked (the client saw it locked) and the room was still reading the
 * station it locked on when the drain took its last snapshot: a locked dial with the old station, which the
 * resume restored; the lock then finished in the draining room. Here the lock's station read is held while the
 * server drains.
 */
describe('issue: a drain while the dial is locking on a station', function () {
  this.timeout(30_000);
  const database = useTestDatabase();
  let first: InProcessSessionServer | undefined;
  let second: InProcessSessionServer | undefined;
  let real: StationService | undefined;
  let hold = false;
  let lockStarted: (frequency: number) => void = () => undefined;
  let releaseLock: () => void = () => undefined;
  const locking = new Promise<number>((resolve) => (lockStarted = resolve));
  const released = new Promise<void>((resolve) => (releaseLock = resolve));

  /**
   * The real stations, whose lock reads wait for the test's signal once `hold` is set: a swipe first warms the
   * station it heads for (a read that passes), the lock then reads it again (held). The join's reads pass too.
   */
  const heldLocks = (stations: StationService): StationService => {
    real = stations;
    const held = Object.create(stations) as StationService;
    const warmed = new Set<number>();
    held.stationAt = async (frequency: number) => {
      if (hold && !warmed.has(frequency)) warmed.add(frequency);
      else if (hold) {
        lockStarted(frequency);
        await released;
      }
      return stations.stationAt(frequency);
    };
    return held;
  };

  before(async () => {
    first = await startInProcessSessionServer(database(), { stations: heldLocks });
  });
  after(async () => {
    releaseLock();
    await first?.stop().catch(() => undefined);
    await second?.stop().catch(() => undefined);
  });

  it('the session resumes on the station its dial locked on, and the client heard that lock before `moving`', async () => {
    const { sql } = database();
    const user = await insertUser(sql);
    const { accessToken } = await first!.tokens.issue({ userId: user.userId, deviceId: user.deviceId });
    const room = await clientFor(first!.baseUrl, accessToken).create('session', {});
    const heard: Array<{ type: string; message: { artistId?: string; frequency?: number; resume?: string } }> = [];
    room.onMessage('*', (type, message) => void heard.push({ type: String(type), message }));
    const left = new Promise<number>((resolve) => room.onLeave((code) => resolve(code)));
    await new Promise((r) => setTimeout(r, 300)); // the welcome
    const startStation = (room.state as { station: { artistId: string } }).station.artistId;
    hold = true;
    room.send('swipe', { direction: 'right', velocity: 850, seq: 1 });
    const frequency = await locking; // the glide ended: the dial is locked, its station is being read
    const stopping = first!.stop(); // the drain begins while the lock waits on the station read
    // The drain must wait for the lock; were `moving` sent first, the lock would finish after it.
    const movingFirst = new Promise<void>((resolve) => {
      const check = setInterval(() => heard.some((m) => m.type === 'moving') && (clearInterval(check), resolve()), 10);
      setTimeout(() => (clearInterval(check), resolve()), 300);
    });
    await movingFirst;
    releaseLock();
    assert.equal(await left, 4100, 'closed as moved');
    await stopping;
    hold = false;

    const lockedOn = (await real!.stationAt(frequency))!.artist.id;
    assert.notEqual(lockedOn, startStation, 'the swipe moved the dial to another station (else this shows nothing)');
    const types = heard.map((m) => m.type).filter((t) => t === 'locked' || t === 'moving');
    assert.deepEqual(types, ['locked', 'moving'], `the client heard the lock, then the move: ${JSON.stringify(heard.map((m) => m.type))}`);
    const moving = heard.find((m) => m.type === 'moving')!.message;

    second = await startInProcessSessionServer(database());
    const back = await clientFor(second.baseUrl, accessToken).create('session', { resume: moving.resume });
    const resumed = await new Promise<{ station: { artistId: string }; restoredFrom: string }>((resolve) => back.onMessage('resumed', resolve));
    assert.equal(resumed.restoredFrom, 'handoff');
    assert.equal(resumed.station.artistId, lockedOn, 'the resumed session shows the station its dial locked on');
    await back.leave(true);
  });
});
