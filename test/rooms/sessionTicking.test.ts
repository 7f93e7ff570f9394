import assert from 'node:assert/strict';
import type { Room } from '@colyseus/sdk';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { startServerProcess, type ServerProcess } from '../support/serverProcess.js';
import { clientFor, nextMessage, waitForState } from '../support/rooms.js';
import { signIn } from '../support/auth.js';

const TOKEN = 'ticking-test-token-0123456789';

/** Active `Timeout` handles in the server process, from its /metrics (prom-client's nodejs_active_resources). */
async function activeTimeouts(server: ServerProcess): Promise<number> {
  const text = await (await fetch(`${server.baseUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
  const line = text.split('\n').find((l) => l.startsWith('nodejs_active_resources{type="Timeout"}'));
  return line ? Number(line.split(' ').pop()) : 0;
}

/** Milliseconds from sending a swipe to the first patch whose dial shows it (a new predicted station). */
async function swipeToPatchMs(room: Room, direction: 'left' | 'right'): Promise<number> {
  await waitForState(room, (s) => s.dial.velocity === 0 && s.dial.locked, 5000, 'dial at rest');
  const from = (room.state as unknown as { dial: { predicted: number } }).dial.predicted;
  const sent = performance.now();
  let seen = false;
  const moved = new Promise<number>((resolve, reject) => {
    setTimeout(() => reject(new Error('no dial patch within 5 s of the swipe')), 5000);
    room.onStateChange((s: { dial: { predicted: number } }) => {
      if (seen || s.dial.predicted === from) return;
      seen = true;
      resolve(performance.now() - sent);
    });
  });
  room.send('swipe', { direction, velocity: 850 });
  return moved;
}

describe('SessionRoom stepping: one shared timer, patches on input', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  const servers: ServerProcess[] = [];
  const rooms: Room[] = [];

  const start = (env: Record<string, string>) =>
    startServerProcess({ DATABASE_URL: db.url, REDIS_URL: undefined, ADMIN_TOKEN: TOKEN, LOG_LEVEL: 'warn', ...env });
  /** A server of the test's own, stopped after it. */
  const boot = async (env: Record<string, string>) => {
    const server = await start(env);
    servers.push(server);
    return server;
  };
  /** The server with the default settings, shared by the tests that need one (a boot is most of their cost). */
  let defaults: Promise<ServerProcess> | undefined;
  const plain = () => (defaults ??= start({}));
  const join = async (server: ServerProcess) => {
    const room = await clientFor(server.baseUrl, (await signIn(server.baseUrl)).accessToken).create('session', {});
    rooms.push(room);
    room.onMessage('locked', () => undefined);
    room.onMessage('state_json', () => undefined);
    await nextMessage(room, 'welcome');
    return room;
  };

  before(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    await Promise.all(rooms.splice(0).map((r) => r.leave(true).catch(() => undefined)));
    for (const s of servers.splice(0)) assert.equal(await s.stop('SIGTERM'), 0, s.output());
  });
  after(async () => {
    const server = await defaults;
    if (server) assert.equal(await server.stop('SIGTERM'), 0, server.output());
    await db?.drop();
  });

  it('twelve session rooms add no per-room timers (Colyseus would add two each)', async () => {
    const server = await plain();
    // A first dozen warms everything shared (the ticker's timer, pooled connections' idle timers).
    const warm = await Promise.all(Array.from({ length: 12 }, () => join(server)));
    await waitForState(warm[11], (s) => s.orbs.size > 0, 5000, 'orbs of the last warm-up room');
    const before = await activeTimeouts(server);
    const more = await Promise.all(Array.from({ length: 12 }, () => join(server)));
    await waitForState(more[11], (s) => s.orbs.size > 0, 5000, 'orbs of the last room');
    const after = await activeTimeouts(server);
    // Per-room timers would add 24 (Colyseus's two per room). A few shared one-shot timers (the passport
    // writer's and the leaderboard feeder's flush, a pooled connection's idle timer) may be alive at either
    // sample, more often on a loaded machine (+4 seen with other suites running): a margin of 6.
    assert.ok(after - before <= 6, `Timeout handles went from ${before} to ${after}`);
  });

  it('PATCH_BASELINE=json also broadcasts the whole state as JSON each patch step and counts its bytes; off by default it sends none', async () => {
    const [baselineServer, plainServer] = await Promise.all([boot({ PATCH_BASELINE: 'json' }), plain()]);
    const [baseline, plainRoom] = await Promise.all([join(baselineServer), join(plainServer)]);
    const seen: string[] = [];
    const none: string[] = [];
    baseline.onMessage('state_json', (json: string) => seen.push(json));
    plainRoom.onMessage('state_json', (json: string) => none.push(json));
    await new Promise((r) => setTimeout(r, 600));
    assert.ok(seen.length >= 6, `about 20 a second: ${seen.length} in 600 ms`);
    const state = JSON.parse(seen.at(-1)!) as { station: { artistName: string }; orbs: Record<string, unknown> };
    assert.equal(state.station.artistName, (baseline.state as unknown as { station: { artistName: string } }).station.artistName);
    assert.ok(Object.keys(state.orbs).length > 0, 'the full state, orbs included');
    assert.equal(none.length, 0);
    const text = await (await fetch(`${baselineServer.baseUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
    const counted = Number(
      text
        .split('\n')
        .find((l) => l.startsWith('ds_room_baseline_json_bytes_total{room="session"}'))
        ?.split(' ')
        .pop(),
    );
    assert.ok(counted >= seen.slice(0, 6).reduce((n, j) => n + Buffer.byteLength(j), 0), `server counted ${counted} bytes`);
  });

  it('with PATCH_ON_INPUT a swipe is visible long before the next patch step (PATCH_HZ=1); without it, it waits for the step', async () => {
    const slow = { SIM_HZ: '2', PATCH_HZ: '1' };
    const [flushingServer, waitingServer] = await Promise.all([boot({ ...slow, PATCH_ON_INPUT: 'true' }), boot({ ...slow, PATCH_ON_INPUT: 'false' })]);
    const [flushing, waiting] = await Promise.all([join(flushingServer), join(waitingServer)]);
    // The two servers are measured side by side: the waiting one's three swipes each wait out a glide and a 1 s step.
    const [fast, waits] = await Promise.all([
      swipeToPatchMs(flushing, 'right'),
      (async () => [await swipeToPatchMs(waiting, 'right'), await swipeToPatchMs(waiting, 'left'), await swipeToPatchMs(waiting, 'right')])(),
    ]);
    assert.ok(fast < 200, `flushed on input: ${fast.toFixed(0)} ms`);
    // Each wait is uniform over the 1 s patch period: all three under fast + 50 ms has odds ≈ 0.055³.
    assert.ok(Math.max(...waits) > fast + 50, `waiting for the 1 Hz patch step: ${waits.map((w) => w.toFixed(0)).join(', ')} ms vs ${fast.toFixed(0)} ms`);
  });
});
