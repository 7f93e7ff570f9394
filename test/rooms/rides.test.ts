import assert from 'node:assert/strict';
import type { Room } from '@colyseus/sdk';
import { useServer } from '../support/serverProcess.js';
import { bearer, postJson, signIn, type SignedIn } from '../support/auth.js';
import { clientFor, collect, nextMessage, waitForState } from '../support/rooms.js';
import { joinSession, leaveQuietly } from '../support/session.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- messages read field by field
type Json = any;

/**
 * Rides in one server process: a host's session room shared with riders, the same patches, the dial passed
 * and taken back, reactions bounded, riders' own captures, and every hostile way in refused with a code.
 */
describe('rides: riders in the host’s session room', function () {
  this.timeout(60_000);
  const running = useServer({ RIDE_MAX_RIDERS: '3', RIDE_REACTIONS_PER_10S: '5' });
  const base = () => running().server.baseUrl;
  const rooms: Room[] = [];
  afterEach(async () => {
    await Promise.all(rooms.splice(0).map(leaveQuietly));
  });

  const befriend = async (a: SignedIn, b: SignedIn) => {
    await postJson(base(), `/api/friends/${b.userId}`, {}, bearer(a.accessToken));
    assert.equal((await postJson(base(), `/api/friends/${a.userId}`, {}, bearer(b.accessToken))).body.state, 'friends');
  };
  const host = async (who: 'friends' | 'link' = 'friends') => {
    const me = await signIn(base());
    const { room } = await joinSession(base(), {}, me);
    rooms.push(room);
    const ride = nextMessage(room, 'ride');
    room.send('ride_open', { who });
    return { me, room, ride: (await ride) as Json };
  };
  const lookup = async (who: SignedIn, key: string) => {
    const res = await fetch(`${base()}/api/rides/${encodeURIComponent(key)}`, { headers: bearer(who.accessToken) });
    return { status: res.status, body: (await res.json()) as Json };
  };
  /** A rider joins with the invite: the lookup, then the room by id; resolves once their greeting and the station arrived. */
  const ride = async (who: SignedIn, code: string) => {
    const found = await lookup(who, code);
    assert.equal(found.status, 200, JSON.stringify(found.body));
    const room = await clientFor(base(), who.accessToken).joinById(found.body.roomId, { ride: { code } });
    rooms.push(room);
    const joined = await nextMessage(room, 'ride_joined');
    await waitForState(room, (s) => s.station.artistName !== '', 5000, 'the host’s station');
    return { room, joined };
  };
  const joinFails = async (who: SignedIn, roomId: string, options: Json) => {
    try {
      const room = await clientFor(base(), who.accessToken).joinById(roomId, options);
      rooms.push(room);
    } catch (err) {
      return err as { code: number; message: string };
    }
    assert.fail('the join was not refused');
  };

  it('a friend rides: the same patches as the host, the roster to everyone, the invite to the host only', async () => {
    const h = await host();
    assert.match(h.ride.invite.code, /^[0-9A-HJKMNP-TV-Z]{10}$/);
    assert.equal(h.ride.invite.link, `/play?ride=${h.ride.invite.code}`);
    assert.equal(h.ride.holder, h.me.userId);
    const friend = await signIn(base());
    await befriend(h.me, friend);
    const roster = nextMessage(h.room, 'ride');
    const r = await ride(friend, h.ride.invite.code.toLowerCase().replace(/(.{5})/, '$1-'));
    assert.deepEqual((await roster).riders, [{ userId: friend.userId, name: null, here: true }]);
    assert.equal(r.joined.appliedSeq, 0);
    const locked = [nextMessage(h.room, 'locked'), nextMessage(r.room, 'locked')];
    h.room.send('tune', { frequency: 105.5 });
    const [a, b] = await Promise.all(locked);
    assert.deepEqual(a, b, 'the dial’s `locked` goes to every member');
    await waitForState(r.room, (s) => s.station.frequency === h.room.state.station.frequency && s.dial.locked, 5000, 'the rider sees the host’s station');
    assert.equal(r.room.state.station.artistId, h.room.state.station.artistId);
  });

  it('a rider never drives without the dial; passed, they drive; taken back, they cannot; host-only messages refused', async () => {
    const h = await host('link');
    const stranger = await signIn(base());
    const r = await ride(stranger, h.ride.invite.code);
    const refused = nextMessage(r.room, 'error');
    r.room.send('tune', { frequency: 99.9, seq: 1 });
    assert.equal(((await refused) as Json).code, 'NOT_YOUR_DIAL');
    const hostOnly = nextMessage(r.room, 'error');
    r.room.send('ride_pass', { userId: stranger.userId });
    assert.equal(((await hostOnly) as Json).code, 'HOST_ONLY');
    const sensors = nextMessage(r.room, 'error');
    r.room.send('sensor_batch', { samples: [{ type: 'gyroscope', duration: 1, maxTiltX: 1, maxTiltY: 1, at: 1 }] });
    assert.equal(((await sensors) as Json).code, 'HOST_ONLY');

    const passed = nextMessage(r.room, 'ride');
    h.room.send('ride_pass', { userId: stranger.userId });
    assert.equal(((await passed) as Json).holder, stranger.userId);
    const hostRefused = nextMessage(h.room, 'error');
    h.room.send('tune', { frequency: 99.9 });
    assert.equal(((await hostRefused) as Json).code, 'NOT_YOUR_DIAL', 'the host passed it: they take it back first');
    const locked = nextMessage(h.room, 'locked');
    r.room.send('tune', { frequency: 92.1, seq: 2 });
    assert.equal(((await locked) as Json).frequency, h.room.state.dial.frequency);
    const dup = nextMessage(r.room, 'duplicate');
    r.room.send('tune', { frequency: 92.1, seq: 2 });
    assert.deepEqual(await dup, { for: 'tune', seq: 2, appliedSeq: 2 }, 'a rider’s resent input counts once');

    const taken = nextMessage(r.room, 'ride');
    h.room.send('ride_take', {});
    assert.equal(((await taken) as Json).holder, h.me.userId);
    const again = nextMessage(r.room, 'error');
    r.room.send('swipe', { direction: 'left', velocity: 500, seq: 3 });
    assert.equal(((await again) as Json).code, 'NOT_YOUR_DIAL');
  });

  it('reactions go to everyone, bounded per member; a flood is refused, counted once, and the room lives on', async () => {
    const h = await host('link');
    const stranger = await signIn(base());
    const r = await ride(stranger, h.ride.invite.code);
    const seen = collect(h.room, 'reaction');
    const refusals = collect(r.room, 'error');
    // Paced under the room's message rate: every one reaches the ride's own bound.
    for (let i = 0; i < 20; i++) {
      r.room.send('react', { reaction: 'fire' });
      await new Promise((res) => setTimeout(res, 40));
    }
    await new Promise((res) => setTimeout(res, 300));
    const limited = refusals.items.filter((e: Json) => e.code === 'RATE_LIMITED').length;
    assert.ok(seen.items.length >= 5 && seen.items.length <= 6, `RIDE_REACTIONS_PER_10S 5: a burst of five (and one refilled): ${seen.items.length}`);
    assert.equal(seen.items.length + limited, 20, 'each reaction shown or refused, once');
    assert.equal(seen.items[0].userId, stranger.userId);
    const bad = nextMessage(r.room, 'error');
    r.room.send('react', { reaction: 'nope' });
    assert.equal(((await bad) as Json).code, 'BAD_INPUT');
    const still = nextMessage(r.room, 'locked');
    h.room.send('tune', { frequency: 101.3 });
    await still;
  });

  it('a rider captures into their own constellation; the host’s count does not move', async () => {
    const h = await host('link');
    const stranger = await signIn(base());
    const r = await ride(stranger, h.ride.invite.code);
    const before = h.room.state.totalStars;
    const captured = nextMessage(r.room, 'captured');
    r.room.send('capture', { opId: 'ride-capture-1', seq: 1 });
    const star = (await captured) as Json;
    assert.equal(star.star.artistId, h.room.state.station.artistId);
    assert.equal(star.totalStars, 1);
    const stars = await running().db.sql.query<{ user_id: string }>('SELECT user_id::text FROM constellation_stars WHERE user_id = ?::uuid', [stranger.userId]);
    assert.equal(stars.length, 1);
    await new Promise((res) => setTimeout(res, 200));
    assert.equal(h.room.state.totalStars, before);
  });

  it('hostile ways in: forged, expired or revoked invites, guessing, a kicked or blocked user, strangers, a full ride', async () => {
    const h = await host();
    const roomId = h.room.roomId;
    const stranger = await signIn(base());
    assert.equal((await joinFails(stranger, roomId, { ride: { code: 'AAAAAAAAAA' } })).code, 4404, 'a forged code');
    assert.equal((await joinFails(stranger, roomId, { ride: { id: h.ride.rideId } })).code, 4404, 'the ride’s id without ever riding');
    assert.equal((await joinFails(stranger, roomId, { ride: { code: h.ride.invite.code } })).code, 4403, 'friends only');
    assert.equal((await joinFails(stranger, roomId, {})).code, 4400, 'no invite at all: the room holds another session');
    assert.equal((await joinFails(h.me, roomId, { ride: { code: h.ride.invite.code } })).code, 4403, 'one’s own ride');

    const kicked = await signIn(base());
    await befriend(h.me, kicked);
    const k = await ride(kicked, h.ride.invite.code);
    const ended = nextMessage(k.room, 'ride_ended');
    const left = new Promise<number>((res) => k.room.onLeave((code) => res(code)));
    h.room.send('ride_kick', { userId: kicked.userId });
    assert.deepEqual(await ended, { reason: 'kicked' });
    assert.equal(await left, 4410);
    const back = await joinFails(kicked, roomId, { ride: { code: h.ride.invite.code } });
    assert.equal(back.code, 4403);
    assert.match(back.message, /removed you/);

    const blocked = await signIn(base());
    await befriend(h.me, blocked);
    await fetch(`${base()}/api/friends/${blocked.userId}/block`, { method: 'PUT', headers: bearer(h.me.accessToken) });
    assert.equal((await joinFails(blocked, roomId, { ride: { code: h.ride.invite.code } })).code, 4403, 'blocked');

    const revoked = nextMessage(h.room, 'ride');
    h.room.send('ride_invite', { revoke: true });
    assert.equal(((await revoked) as Json).invite, null);
    const friend = await signIn(base());
    await befriend(h.me, friend);
    assert.equal((await lookup(friend, h.ride.invite.code)).status, 404, 'a revoked code is not found');
    assert.equal((await joinFails(friend, roomId, { ride: { code: h.ride.invite.code } })).code, 4404);

    const renewed = nextMessage(h.room, 'ride');
    h.room.send('ride_invite', { who: 'link' });
    const code = ((await renewed) as Json).invite.code as string;
    const riders = await Promise.all([1, 2, 3].map(() => signIn(base())));
    for (const who of riders) await ride(who, code);
    assert.equal((await joinFails(friend, roomId, { ride: { code } })).code, 4429, 'RIDE_MAX_RIDERS 3');
  });

  it('the host ends the ride: riders get ride_ended and close 4410; the host’s session goes on', async () => {
    const h = await host('link');
    const stranger = await signIn(base());
    const r = await ride(stranger, h.ride.invite.code);
    const ended = nextMessage(r.room, 'ride_ended');
    const left = new Promise<number>((res) => r.room.onLeave((code) => res(code)));
    const hostEnded = nextMessage(h.room, 'ride_ended');
    h.room.send('ride_end', {});
    assert.deepEqual(await ended, { reason: 'ended' });
    assert.equal(await left, 4410);
    await hostEnded;
    assert.equal((await lookup(stranger, h.ride.invite.code)).status, 404);
    const locked = nextMessage(h.room, 'locked');
    h.room.send('tune', { frequency: 95.7 });
    await locked;
  });

  it('the host leaves for good: the ride ends for its riders', async () => {
    const h = await host('link');
    const stranger = await signIn(base());
    const r = await ride(stranger, h.ride.invite.code);
    const ended = nextMessage(r.room, 'ride_ended', 10_000);
    await h.room.leave(true);
    assert.deepEqual(await ended, { reason: 'host_left' });
  });
});
