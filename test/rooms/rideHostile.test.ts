import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Room } from '@colyseus/sdk';
import { useServer } from '../support/serverProcess.js';
import { useTestDatabase } from '../support/db.js';
import { bearer, insertUser, signIn, type SignedIn } from '../support/auth.js';
import { clientFor, collect, nextMessage, waitForState } from '../support/rooms.js';
import { joinSession, leaveQuietly } from '../support/session.js';
import { startInProcessSessionServer, type InProcessSessionServer } from '../support/inProcessSessionServer.js';
import { SESSION_MESSAGES } from '../../rooms/session/protocol.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- messages read field by field
type Json = any;

const pause = (ms: number) => new Promise((res) => setTimeout(res, ms));

/**
 * A ride against hostile members and strangers: every host input from a rider, a reaction flood, a kicked or
 * blocked user coming back by the ride's id, 10,000 invite guesses (by lookup and straight at the room). Each
 * answers a code, nothing is counted twice, and the room and the process go on serving.
 */
describe('rides under hostile input: coded refusals, counted once, the room lives on', function () {
  this.timeout(180_000);
  const ADMIN = `ride-hostile-${randomBytes(8).toString('hex')}`;
  const running = useServer({ RIDE_MAX_RIDERS: '4', RIDE_REACTIONS_PER_10S: '5', RIDE_LOOKUPS_PER_MINUTE: '20', ADMIN_TOKEN: ADMIN });
  const base = () => running().server.baseUrl;
  const rooms: Room[] = [];
  afterEach(async () => {
    await Promise.all(rooms.splice(0).map(leaveQuietly));
  });

  const host = async () => {
    const me = await signIn(base());
    const { room } = await joinSession(base(), {}, me);
    rooms.push(room);
    const ride = nextMessage(room, 'ride');
    room.send('ride_open', { who: 'link' });
    return { me, room, ride: (await ride) as Json };
  };
  const ride = async (who: SignedIn, roomId: string, code: string) => {
    const room = await clientFor(base(), who.accessToken).joinById(roomId, { ride: { code } });
    rooms.push(room);
    await nextMessage(room, 'ride_joined');
    await waitForState(room, (s) => s.station.artistName !== '', 5000, 'the host’s station');
    return room;
  };
  const joinFails = async (who: SignedIn, roomId: string, options: Json) => {
    try {
      rooms.push(await clientFor(base(), who.accessToken).joinById(roomId, options));
    } catch (err) {
      return err as { code: number; message: string };
    }
    assert.fail('the join was not refused');
  };
  const metric = async (name: string): Promise<number> => {
    const text = await (await fetch(`${base()}/metrics`, { headers: bearer(ADMIN) })).text();
    const line = text.split('\n').find((l) => l.startsWith(`${name} `));
    assert.ok(line, `metric ${name}`);
    return Number(line.split(' ')[1]);
  };
  const block = async (who: SignedIn, them: string) => {
    const res = await fetch(`${base()}/api/friends/${them}/block`, { method: 'PUT', headers: bearer(who.accessToken) });
    assert.ok(res.ok, `block: ${res.status}`);
  };
  /** Until the host's latest roster answers `check`. */
  const rosters = new WeakMap<Room, Json[]>();
  const waitFor = async (room: Room, check: (r: Json) => boolean, what = 'the roster') => {
    if (!rosters.has(room)) {
      const seen: Json[] = [];
      rosters.set(room, seen);
      room.onMessage('ride', (m) => seen.push(m));
      room.send('ride_invite', {}); // a fresh roster now
    }
    const deadline = Date.now() + 5000;
    while (!rosters.get(room)!.length || !check(rosters.get(room)!.at(-1))) {
      if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}: ${JSON.stringify(rosters.get(room)!.at(-1))}`);
      await pause(25);
    }
  };
  /** The host's dial still answers: the room lives. */
  const alive = async (room: Room, frequency: number) => {
    const locked = nextMessage(room, 'locked');
    room.send('tune', { frequency });
    await locked;
  };

  it('a rider sends every host input: each refused with its code, none applied, no seq used up', async () => {
    const h = await host();
    const stranger = await signIn(base());
    const r = await ride(stranger, h.room.roomId, h.ride.invite.code);
    const before = { frequency: h.room.state.dial.frequency, holder: h.ride.holder, interactions: h.room.state.interactions };
    const errors = collect(r, 'error');
    const refused = Object.entries(SESSION_MESSAGES).filter(([, row]) => row.rider !== 'own');
    for (const [type, row] of refused) {
      const example = row.example as Record<string, unknown>;
      // Each with seq 1: were one applied, the next would be a duplicate instead of a refusal.
      r.send(type, { ...example, ...(type === 'ride_pass' || type === 'ride_kick' ? { userId: stranger.userId } : {}), seq: 1 });
      await pause(60); // under the room's message rate: this is about the ride's rules, not the flood guard
    }
    await pause(300);
    const codes = Object.fromEntries(errors.items.map((e: Json) => [e.for, e.code]));
    for (const [type, row] of refused) assert.equal(codes[type], row.rider === 'dial' ? 'NOT_YOUR_DIAL' : 'HOST_ONLY', type);
    assert.equal(errors.items.length, refused.length, 'one refusal each');
    assert.equal(h.room.state.dial.frequency, before.frequency, 'the host’s dial did not move');
    assert.equal(h.room.state.interactions, before.interactions);

    const passed = nextMessage(r, 'ride');
    h.room.send('ride_pass', { userId: stranger.userId });
    assert.equal(((await passed) as Json).holder, stranger.userId);
    const locked = nextMessage(h.room, 'locked');
    r.send('tune', { frequency: 92.1, seq: 1 });
    await locked; // seq 1 is applied now: no refused input had taken it
    await alive(r, 99.9);
  });

  it('ride actions with no ride, or about a stranger, answer NO_RIDE and NOT_A_RIDER, never INTERNAL', async () => {
    const me = await signIn(base());
    const { room } = await joinSession(base(), {}, me);
    rooms.push(room);
    const stranger = await signIn(base());
    const errors = collect(room, 'error');
    for (const type of ['ride_pass', 'ride_kick', 'ride_take', 'ride_end']) {
      room.send(type, { userId: stranger.userId });
      await pause(60);
    }
    const ride = nextMessage(room, 'ride');
    room.send('ride_open', { who: 'link' });
    await ride;
    room.send('ride_pass', { userId: stranger.userId });
    room.send('ride_kick', { userId: stranger.userId });
    await pause(300);
    const codes = errors.items.map((e: Json) => `${e.for} ${e.code}`);
    assert.deepEqual(codes, [
      'ride_pass NO_RIDE',
      'ride_kick NO_RIDE',
      'ride_take NO_RIDE',
      'ride_end NO_RIDE',
      'ride_pass NOT_A_RIDER',
      'ride_kick NOT_A_RIDER',
    ]);
    await alive(room, 92.1);
  });

  it('a reaction flood: each shown or refused once, the counters agree, the flooder alone is closed, the ride goes on', async () => {
    const h = await host();
    const [flooder, calm] = [await signIn(base()), await signIn(base())];
    const f = await ride(flooder, h.room.roomId, h.ride.invite.code);
    const c = await ride(calm, h.room.roomId, h.ride.invite.code);
    const [shownBefore, limitedBefore] = [await metric('ds_ride_reactions'), await metric('ds_ride_reactions_limited')];
    const seen = collect(h.room, 'reaction');
    const limited = collect(f, 'error');
    const closed = new Promise<number>((res) => f.onLeave((code) => res(code)));
    for (let i = 0; i < 500; i++) f.send('react', { reaction: 'fire' });
    const code = await Promise.race([closed, pause(3000).then(() => null)]);
    await pause(500);
    assert.ok(seen.items.length >= 5 && seen.items.length <= 6, `RIDE_REACTIONS_PER_10S 5: ${seen.items.length} shown`);
    const shown = (await metric('ds_ride_reactions')) - shownBefore;
    const refused = (await metric('ds_ride_reactions_limited')) - limitedBefore;
    assert.equal(shown, seen.items.length, 'each shown reaction counted once');
    // The ride's bound refuses with its own message; past the room's message rate the inbound guard drops silently.
    const rideRefusals = limited.items.filter((e: Json) => e.code === 'RATE_LIMITED' && /reactions per 10 s/.test(e.message));
    assert.equal(refused, rideRefusals.length, 'each refused reaction counted once, and told');
    assert.ok(shown + refused <= 500);
    // Past the room's message rate Colyseus closes the socket (4002): the flooder leaves the ride, nobody else does.
    if (code !== null) assert.equal(code, 4002);
    const roster = nextMessage(h.room, 'ride');
    h.room.send('ride_invite', { who: 'link' });
    const riders = ((await roster) as Json).riders.map((x: Json) => x.userId);
    assert.ok(riders.includes(calm.userId));
    if (code !== null) assert.ok(!riders.includes(flooder.userId), 'a closed flooder is not held in the roster');
    const reaction = nextMessage(h.room, 'reaction');
    c.send('react', { reaction: 'heart' });
    assert.equal(((await reaction) as Json).userId, calm.userId);
    await alive(h.room, 101.3);
  });

  it('a kicked or blocked user coming back by the ride’s id or a fresh invite: refused, the roster unchanged', async () => {
    const h = await host();
    const [kicked, blocked] = [await signIn(base()), await signIn(base())];
    await ride(kicked, h.room.roomId, h.ride.invite.code);
    const b = await ride(blocked, h.room.roomId, h.ride.invite.code);
    const rideId = h.ride.rideId as string;
    h.room.send('ride_kick', { userId: kicked.userId });
    await pause(300);
    for (const options of [{ ride: { id: rideId } }, { ride: { code: h.ride.invite.code } }]) {
      const err = await joinFails(kicked, h.room.roomId, options);
      assert.ok([4403, 4404].includes(err.code), `${JSON.stringify(options)}: ${err.code} ${err.message}`);
      assert.match(err.message, /^RIDE_(FORBIDDEN|NOT_FOUND): /);
    }
    const closed = new Promise<number>((res) => b.onLeave((code) => res(code)));
    await block(h.me, blocked.userId);
    assert.equal(await closed, 4410, 'the block removed them from the ride');
    assert.equal((await joinFails(blocked, h.room.roomId, { ride: { id: rideId } })).code, 4404, 'left for good: not a returning rider');
    assert.equal((await joinFails(blocked, h.room.roomId, { ride: { code: h.ride.invite.code } })).code, 4403, 'blocked by the host');
    const roster = nextMessage(h.room, 'ride');
    h.room.send('ride_invite', {});
    assert.deepEqual(((await roster) as Json).riders, [], 'neither is back');
    await alive(h.room, 95.7);
  });

  it('a block removes the rider at once, either way round; one made while the rider was away closes them on reconnection', async () => {
    const h = await host();
    const [x, y, z] = [await signIn(base()), await signIn(base()), await signIn(base())];
    const [rx, ry, rz] = [
      await ride(x, h.room.roomId, h.ride.invite.code),
      await ride(y, h.room.roomId, h.ride.invite.code),
      await ride(z, h.room.roomId, h.ride.invite.code),
    ];
    h.room.send('ride_pass', { userId: y.userId });
    await waitFor(h.room, (r) => r.holder === y.userId);
    // The host blocks x; then y (holding the dial) blocks the host: each told `kicked`, closed 4410, out of the roster.
    for (const [who, room, blocker, blockee] of [
      [x, rx, h.me, x.userId],
      [y, ry, y, h.me.userId],
    ] as const) {
      const ended = nextMessage(room, 'ride_ended');
      const closed = new Promise<number>((res) => room.onLeave((code) => res(code)));
      await block(blocker, blockee);
      assert.equal(((await ended) as Json).reason, 'kicked');
      assert.equal(await closed, 4410);
      await waitFor(h.room, (r) => !r.riders.some((m: Json) => m.userId === who.userId));
    }
    await waitFor(h.room, (r) => r.holder === h.me.userId && r.riders.length === 1, 'the dial back with the host');
    // z drops; a block is written behind the ride's back (as if the other process's message were lost); z comes back.
    const token = rz.reconnectionToken;
    rz.reconnection.enabled = false;
    await rz.leave(false);
    await running().db.sql.query(`INSERT INTO friends (user_id, other_id, state, at) VALUES (?::uuid, ?::uuid, 'blocked', now())`, [z.userId, h.me.userId]);
    await assert.rejects(clientFor(base(), z.accessToken).reconnect(token), { message: /^RIDE_ENDED: kicked/ }, 'checked again on reconnection');
    await waitFor(h.room, (r) => r.riders.length === 0, 'z out of the roster');
    await alive(h.room, 95.7);
  });

  it('riders with a block between them never share a ride: the later one is refused or removed, either way round', async () => {
    const h = await host();
    const [a, b, c, d] = [await signIn(base()), await signIn(base()), await signIn(base()), await signIn(base())];
    const ra = await ride(a, h.room.roomId, h.ride.invite.code);
    // A block made before joining, each way: the newcomer stays out, the rider already in rides on.
    await block(c, a.userId);
    await block(a, d.userId);
    for (const who of [c, d]) {
      const err = await joinFails(who, h.room.roomId, { ride: { code: h.ride.invite.code } });
      assert.equal(err.code, 4403);
      assert.match(err.message, /^RIDE_FORBIDDEN: you cannot ride with a listener in this ride/);
    }
    // A block made in the ride, each way: whichever of the two joined later leaves (told `kicked`, closed 4410).
    // `waitFor` renews the invite once (for a fresh roster): join with the latest code.
    const code = () => (rosters.get(h.room)?.at(-1)?.invite?.code as string | undefined) ?? h.ride.invite.code;
    for (const [later, blocker, blockee] of [
      [b, b, a.userId],
      [b, a, b.userId],
    ] as const) {
      const room = await ride(later, h.room.roomId, code());
      const ended = nextMessage(room, 'ride_ended');
      const closed = new Promise<number>((res) => room.onLeave((code) => res(code)));
      await block(blocker, blockee);
      assert.equal(((await ended) as Json).reason, 'kicked');
      assert.equal(await closed, 4410);
      await waitFor(h.room, (r) => r.riders.map((m: Json) => m.userId).join() === a.userId, 'a alone in the roster');
      const unblocked = await fetch(`${base()}/api/friends/${blockee}/block`, { method: 'DELETE', headers: bearer(blocker.accessToken) });
      assert.ok(unblocked.ok, `unblock: ${unblocked.status}`);
    }
    // The rider who stayed is still heard by everyone still here.
    const reaction = nextMessage(h.room, 'reaction');
    ra.send('react', { reaction: 'heart' });
    assert.equal(((await reaction) as Json).userId, a.userId);
    await alive(h.room, 97.3);
  });

  it('host → rider lag: a dial input with a rider in the ride is measured to the patch that carries it', async () => {
    const h = await host();
    const r = await ride(await signIn(base()), h.room.roomId, h.ride.invite.code);
    const count = await metric('ds_ride_host_to_rider_lag_seconds_count');
    const sum = await metric('ds_ride_host_to_rider_lag_seconds_sum');
    await alive(h.room, 99.9);
    await waitForState(r, (st) => st.dial.frequency.toFixed(1) === '99.9', 5000, 'the rider on the host’s station');
    const n = (await metric('ds_ride_host_to_rider_lag_seconds_count')) - count;
    assert.ok(n >= 1, `lag observations: ${n}`);
    const mean = ((await metric('ds_ride_host_to_rider_lag_seconds_sum')) - sum) / n;
    assert.ok(mean >= 0 && mean < 1, `mean host → rider lag ${mean} s`);
  });

  it('10,000 invite guesses: by lookup, 429 past the bound; straight at the room, each RIDE_NOT_FOUND; the ride serves on', async () => {
    const h = await host();
    const guesser = await signIn(base());
    const [joined, opened] = [await metric('ds_ride_riders_joined'), await metric('ds_rides_opened')];
    const statuses = new Map<number, number>();
    let next = 0;
    const lookups = async () => {
      while (next < 10_000) {
        const key = randomBytes(8).toString('hex').slice(0, 10);
        next++;
        const res = await fetch(`${base()}/api/rides/${key}`, { headers: bearer(guesser.accessToken) });
        await res.arrayBuffer();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: 20 }, lookups));
    assert.deepEqual(Object.fromEntries(statuses), { 404: 20, 429: 9_980 }, 'RIDE_LOOKUPS_PER_MINUTE 20');
    // A former rider knows the room's id: guesses go straight at it (bounded per address by MATCHMAKES_PER_ADDRESS_PER_MINUTE).
    const codes = new Map<number, number>();
    for (let i = 0; i < 200; i++) {
      const err = await joinFails(guesser, h.room.roomId, { ride: { code: randomBytes(8).toString('hex').slice(0, 10) } });
      codes.set(err.code, (codes.get(err.code) ?? 0) + 1);
    }
    assert.deepEqual(Object.fromEntries(codes), { 4404: 200 });
    assert.equal((await fetch(`${base()}/health`)).status, 200);
    const friend = await signIn(base());
    await ride(friend, h.room.roomId, h.ride.invite.code);
    assert.equal(await metric('ds_rides'), 1);
    assert.equal(await metric('ds_ride_riders_joined'), joined + 1, 'no guess counted as a rider');
    assert.equal(await metric('ds_rides_opened'), opened, 'nor as a ride');
    await alive(h.room, 88.1);
  });
});

/** Expiry needs the invite's lifetime shorter than RIDE_INVITE_TTL_SEC allows: the room in this process. */
describe('rides: an expired invite (in process)', function () {
  this.timeout(60_000);
  let server: InProcessSessionServer | undefined;
  // Registered before the database's `after` (hooks run in order): the server's writer drains into it first.
  after(async () => server?.stop());
  const db = useTestDatabase();

  it('past its lifetime the invite opens nothing (RIDE_NOT_FOUND); a fresh one does', async () => {
    server = await startInProcessSessionServer(db(), { ride: { inviteTtlMs: 400 } });
    const token = async () => {
      const user = await insertUser(db().sql);
      return (await server!.tokens.issue({ userId: user.userId, deviceId: user.deviceId })).accessToken;
    };
    const h = await clientFor(server.baseUrl, await token()).joinOrCreate('session', {});
    const opened = nextMessage(h, 'ride');
    h.send('ride_open', { who: 'link' });
    const code = ((await opened) as Json).invite.code as string;
    await pause(600);
    const rider = clientFor(server.baseUrl, await token());
    await assert.rejects(rider.joinById(h.roomId, { ride: { code } }), (err: { code?: number; message?: string }) => {
      assert.equal(err.code, 4404);
      assert.match(err.message ?? '', /^RIDE_NOT_FOUND: /);
      return true;
    });
    const renewed = nextMessage(h, 'ride');
    h.send('ride_invite', {});
    const fresh = ((await renewed) as Json).invite.code as string;
    const r = await rider.joinById(h.roomId, { ride: { code: fresh } });
    await nextMessage(r, 'ride_joined');
    await r.leave(true);
    await h.leave(true);
  });
});
