import assert from 'node:assert/strict';
import { orbitPositionAt } from '../../systems/session/orbits.js';
import { useServer } from '../support/serverProcess.js';
import { nextMessage } from '../support/rooms.js';
import { joinSession, leaveQuietly } from '../support/session.js';

const ADMIN_TOKEN = 'orbs-clock-admin-token-0123456789';
const close = (a: number, b: number, eps = 1e-6) => assert.ok(Math.abs(a - b) <= eps, `${a} ≉ ${b}`);

/** Orbs move on the server clock and are never streamed; a session with nothing moving is not stepped. */
describe('orbs on the server clock: idle sessions send nothing and are not stepped', function () {
  this.timeout(60_000);
  const running = useServer({ ADMIN_TOKEN });
  const stepped = async (): Promise<number> => {
    const text = await (await fetch(`${running().server.baseUrl}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).text();
    return Number(/^ds_rooms_stepped (\d+)/m.exec(text)?.[1] ?? NaN);
  };
  const until = async (ok: () => Promise<boolean>, what: string) => {
    const deadline = Date.now() + 3000;
    while (!(await ok())) {
      if (Date.now() > deadline) throw new Error(`${what} not reached`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };

  it('an idle session gets no patch for 2 s; a swipe wakes it until the dial locks, then it sleeps again', async () => {
    const { room } = await joinSession(running().server.baseUrl);
    await until(async () => (await stepped()) === 0, 'the joined session asleep');
    let patches = 0;
    room.onStateChange(() => patches++);
    await new Promise((r) => setTimeout(r, 2000));
    assert.equal(patches, 0, 'orbs orbit without a single patch');
    const locked = nextMessage(room, 'locked');
    room.send('swipe', { direction: 'right', velocity: 850 });
    await until(async () => (await stepped()) === 1, 'the swiping session stepped');
    await locked;
    // The glide, then the lock with its station (one patch, sent with `locked`); the station's orbs may follow.
    assert.ok(patches >= 2, `the dial moved in patches (${patches})`);
    await until(async () => (await stepped()) === 0, 'asleep again after the lock');
    await leaveQuietly(room);
  });

  it("a tap aims the camera at where the orb is at the tap's server time (the formula clients use)", async () => {
    const { room } = await joinSession(running().server.baseUrl);
    const [orbId, orb] = [...room.state.orbs.entries()][0] as [string, { startAngle: number; speed: number; radius: number; inclination: number }];
    const epoch = room.state.orbEpoch as number;
    assert.ok(epoch > 0, 'the state carries the orb epoch');
    await new Promise((r) => setTimeout(r, 700)); // the orb has moved since the epoch
    const transition = nextMessage(room, 'transition');
    room.send('tap_orb', { orbId });
    const msg = await transition;
    assert.ok(msg.at >= epoch + 700, 'the tap time is on the server clock, after the epoch');
    const expected = orbitPositionAt([0, 0, 0], orb, (msg.at - epoch) / 1000);
    const target = msg.cameraPath[1].position;
    close(target.x, expected[0]);
    close(target.y, expected[1]);
    close(target.z, expected[2]);
    const atEpoch = orbitPositionAt([0, 0, 0], orb, 0);
    assert.ok(Math.hypot(target.x - atEpoch[0], target.z - atEpoch[2]) > 1, 'not the position at the epoch: the orb moved');
    await leaveQuietly(room);
  });

  it("clock: the server answers its time for the client's clock sync", async () => {
    const { room, welcome } = await joinSession(running().server.baseUrl);
    assert.ok(Math.abs(welcome.serverTime - Date.now()) < 5000, 'welcome carries the server time');
    const reply = nextMessage(room, 'clock');
    const t0 = Date.now();
    room.send('clock', { t0 });
    const { t0: echoed, serverTime } = await reply;
    assert.equal(echoed, t0);
    assert.ok(serverTime >= t0 - 50 && serverTime <= Date.now() + 50, 'same machine: the clocks agree');
    await leaveQuietly(room);
  });
});
