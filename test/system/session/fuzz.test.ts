import assert from 'node:assert/strict';
import { pack } from 'msgpackr';
import type { Client, Room } from '@colyseus/sdk';
import { mulberry32, type Rng } from '../../../systems/constellation/constellation.js';
import { useServer } from '../../support/serverProcess.js';
import { clientFor, nextMessage } from '../../support/rooms.js';
import { signIn } from '../../support/auth.js';
import { joinSession } from '../../support/session.js';

/**
 * Seeded fuzzing of both rooms over both transports: ~10,000 frames per room and transport, most of
 * them well-formed Colyseus messages with hostile types and payloads (the `"*"` type, prototype keys,
 * NUL and lone surrogates, deep nesting, binary, huge numbers), the rest raw byte frames. The rate
 * limits are lifted so every frame reaches the handlers. Passing means: the process never exits, the
 * server still serves sessions afterwards, and SIGTERM still ends it with exit code 0.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261122);
const STRUCTURED_FRAMES = 9_700;
const RAW_FRAMES = 300;

const TYPES = [
  '*',
  'swipe',
  'tune',
  'tap_orb',
  'capture',
  'sensor_batch',
  'sync_offline',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '',
  'x'.repeat(300),
  '\u0000',
  '\ud800',
  'error',
];
const KEYS = [
  'toString',
  'valueOf',
  '__proto__',
  'constructor',
  'hasOwnProperty',
  'direction',
  'velocity',
  'frequency',
  'orbId',
  'artistId',
  'opId',
  'samples',
  'operations',
  'type',
  '\u0000',
  '\udc00',
];
const STRINGS = [
  '',
  'left',
  'right',
  'x'.repeat(5000),
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff\ud800',
  '😀',
  'artist_fela_kuti',
  '99.9',
  'NaN',
  '../../etc/passwd',
  "'; DROP TABLE users; --",
];
const NUMBERS = [0, -0, 1, -1, 99.9, 1e308, -1e308, Number.MAX_SAFE_INTEGER, 2 ** 64, NaN, Infinity, -Infinity, 0.1, 20_001];

const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)];

/** A random value of the kinds msgpack carries, `depth` levels deep at most. */
function randomValue(rng: Rng, depth: number): unknown {
  const r = rng();
  if (depth <= 0 || r < 0.35) {
    const leaf = Math.floor(rng() * 7);
    if (leaf === 0) return pick(rng, STRINGS);
    if (leaf === 1) return pick(rng, NUMBERS);
    if (leaf === 2) return rng() < 0.5;
    if (leaf === 3) return null;
    if (leaf === 4) return Buffer.from([...Array(Math.floor(rng() * 64))].map(() => Math.floor(rng() * 256)));
    if (leaf === 5) return new Date(Math.floor(rng() * 4e12));
    return undefined;
  }
  if (r < 0.6) return [...Array(Math.floor(rng() * 6))].map(() => randomValue(rng, depth - 1));
  const obj: Record<string, unknown> = {};
  for (let i = Math.floor(rng() * 5); i > 0; i--)
    Object.defineProperty(obj, pick(rng, KEYS), { value: randomValue(rng, depth - 1), enumerable: true, configurable: true, writable: true });
  return obj;
}

/** A payload for a message type: sometimes a near-valid one with one field broken, sometimes anything. */
function randomPayload(rng: Rng): unknown {
  const r = rng();
  if (r < 0.05) return nest(rng, 40 + Math.floor(rng() * 60));
  if (r < 0.1) return [...Array(500)].map(() => pick(rng, STRINGS));
  if (r < 0.4) return { direction: pick(rng, ['left', 'right', '\u0000']), velocity: pick(rng, NUMBERS) };
  if (r < 0.5) return { artistId: pick(rng, STRINGS), opId: pick(rng, STRINGS) };
  if (r < 0.55) return { operations: [...Array(1 + Math.floor(rng() * 5))].map(() => randomValue(rng, 3)) };
  return randomValue(rng, 4);
}

function nest(rng: Rng, depth: number): unknown {
  let v: unknown = pick(rng, STRINGS);
  for (let i = 0; i < depth; i++) v = rng() < 0.5 ? [v] : { toString: v };
  return v;
}

/** A raw frame: a Colyseus protocol code (or any byte) followed by garbage or a truncated message. */
function randomRawFrame(rng: Rng): Uint8Array {
  const code = pick(rng, [13, 13, 13, 17, 19, 20, 21, 10, 12, 18, 0, 255, Math.floor(rng() * 256)]);
  const tail =
    rng() < 0.5
      ? Buffer.from([...Array(Math.floor(rng() * 40))].map(() => Math.floor(rng() * 256)))
      : pack(randomValue(rng, 3)).subarray(0, Math.floor(rng() * 20));
  return Buffer.concat([Buffer.from([code]), tail]);
}

/** A swipe whose payload nests `depth` maps (or arrays) in one frame under the 64 KB bound: deeper than the decoder's stack. */
function deeplyNested(depth: number, kind: 'map' | 'array'): Uint8Array {
  const opener = kind === 'map' ? [0x81, 0x00] : [0x91];
  const body = Buffer.alloc(depth * opener.length + 1, 0xc0);
  for (let i = 0; i < depth; i++) body.set(opener, i * opener.length);
  return Buffer.concat([Buffer.from([13, 0xa5]), Buffer.from('swipe'), body]);
}

interface Target {
  name: 'session' | 'coliseum';
  join(client: Client): Promise<Room>;
}

for (const transport of ['uws', 'ws'] as const) {
  describe(`fuzzing both rooms over ${transport} (seed ${SEED})`, function () {
    this.timeout(180_000);
    const running = useServer({ TRANSPORT: transport, CLIENT_MESSAGE_RATE: '10000', CLIENT_DISCONNECT_RATE: '100000', LOG_LEVEL: 'warn' });

    const targets: Target[] = [
      { name: 'session', join: async (c) => ((c.auth.token = (await signIn(running().server.baseUrl)).accessToken), c.create('session', {})) },
      { name: 'coliseum', join: (c) => c.joinOrCreate('coliseum', {}) },
    ];

    it('session: frames nested 20,000 deep close only their connection (4002, the client resumes); the process serves', async () => {
      for (const frame of [deeplyNested(20_000, 'map'), deeplyNested(60_000, 'array')]) {
        const { room } = await joinSession(running().server.baseUrl);
        room.reconnection.enabled = false;
        const closed = new Promise<number>((res) => room.onLeave(res));
        room.connection.send(frame);
        assert.equal(await closed, 4002);
        const { room: fresh } = await joinSession(running().server.baseUrl);
        const locked = nextMessage(fresh, 'locked', 5000);
        fresh.send('swipe', { direction: 'right', velocity: 850 });
        assert.equal((await locked).frequency, 105.5);
        await fresh.leave(true);
      }
      assert.equal(running().server.proc.exitCode, null);
    });

    for (const target of targets) {
      it(`${target.name}: ${STRUCTURED_FRAMES + RAW_FRAMES} seeded frames, no crash, still serving`, async () => {
        const rng = mulberry32(SEED + (target.name === 'session' ? 1 : 2) + (transport === 'ws' ? 10 : 0));
        const client = clientFor(running().server.baseUrl);
        let room = await target.join(client);
        let closed = false;
        // A closed connection means a fresh join (the SDK's automatic reconnection would replay frames).
        const watch = (r: Room) => {
          r.reconnection.enabled = false;
          r.onLeave(() => (closed = true));
        };
        watch(room);
        let reconnects = 0;
        const ensureOpen = async () => {
          if (!closed) return;
          closed = false;
          reconnects++;
          room = await target.join(client);
          watch(room);
        };
        for (let i = 0; i < STRUCTURED_FRAMES; i++) {
          await ensureOpen();
          try {
            room.send(pick(rng, TYPES), randomPayload(rng));
          } catch {
            // the SDK refused to encode it: nothing was sent
          }
          if (i % 250 === 0) await new Promise((r) => setTimeout(r, 5)); // let the socket drain
        }
        for (let i = 0; i < RAW_FRAMES; i++) {
          await ensureOpen();
          room.connection.send(randomRawFrame(rng));
          await new Promise((r) => setTimeout(r, 2));
        }
        await new Promise((r) => setTimeout(r, 500));
        assert.equal(running().server.proc.exitCode, null, `the server exited during the fuzz:\n${running().server.output().slice(-3000)}`);
        assert.equal((await fetch(`${running().server.baseUrl}/health`)).status, 200);
        // A fresh session still works end to end.
        const { room: fresh } = await joinSession(running().server.baseUrl);
        const locked = nextMessage(fresh, 'locked', 5000);
        fresh.send('swipe', { direction: 'right', velocity: 850 });
        assert.equal((await locked).frequency, 105.5);
        await fresh.leave(true);
        if (!closed) await Promise.race([room.leave(true).catch(() => undefined), new Promise((r) => setTimeout(r, 1000))]);
        // Undecodable frames log one line per distinct error per interval, not a stack per frame.
        const lines = running().server.output().split('\n').length;
        assert.ok(lines < 400, `log grew to ${lines} lines (reconnects: ${reconnects})`);
      });
    }
  });
}
