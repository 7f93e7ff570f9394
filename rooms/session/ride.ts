/**
 * A ride: the host's session room shared with riders (docs/PROTOCOL.md "Rides"). Riders are more clients of
 * the same room: they get the same state patches, and per-member data as messages (the roster `ride`,
 * `reaction`, their own `captured`). The host opens the ride and holds the dial until they pass it; a rider
 * drives only while holding it. The ride is in the session's snapshot, so a drain or a crash moves it whole:
 * the host resumes it anywhere and the riders rejoin it there by its id (features/ride/Rides.ts finds the room).
 */
import { randomBytes } from 'node:crypto';
import { ServerError, type Client } from '@colyseus/core';
import { createBucket, tryTake, type TokenBucket } from '../../systems/rateLimit.js';
import type { RideSnapshot } from '../../systems/handoff/snapshot.js';
import { rideInviteNotice } from '../../systems/notifications/index.js';
import { newInviteCode, readCode, type Rides } from '../../features/ride/Rides.js';
import type { Friends } from '../../features/friends/Friends.js';
import type { Notifier } from '../../features/notifications/Notifier.js';
import { CaptureFlow, type CapturePorts } from './CaptureFlow.js';
import { SessionInputError } from './messages.js';
import { deliver, type Outcome, type SessionView } from './outcome.js';
import type { EventIdentity } from './ports.js';
import type { RoomPassport } from '../../features/passport/roomPassport.js';
import { broadcastReply, reply, type ReplyOf, type RideReaction } from './replies.js';
import type { MessageRow } from './protocol.js';
import type { SessionActor } from './SessionActor.js';

/** Replies every member of a ride gets: what the dial did. */
export const RIDE_WIDE: ReadonlySet<string> = new Set(['locked', 'transition']);

/** Close code: the ride ended (the host ended it or left, or removed you); rejoin your own session (`lastSessionId`). */
export const CLOSE_RIDE_ENDED = 4410;
/** Ride join refusals (the SDK's join rejects with the code; the message starts with the reason's name). */
const JOIN_REFUSALS = { RIDE_NOT_FOUND: 4404, RIDE_FORBIDDEN: 4403, RIDE_FULL: 4429 };
const refused = (reason: keyof typeof JOIN_REFUSALS, why: string) => new ServerError(JOIN_REFUSALS[reason], `${reason}: ${why}`);
const forbidden = (why: string) => refused('RIDE_FORBIDDEN', why);

/** What the host changes (protocol.ts rows return it; the room applies it with {@link actOnRide}). */
export type RideAction =
  | { kind: 'open' | 'invite'; who?: 'friends' | 'link'; revoke?: boolean; invite?: string[] }
  | { kind: 'pass'; to: string }
  | { kind: 'take' | 'end' }
  | { kind: 'kick'; userId: string }
  | { kind: 'react'; reaction: RideReaction };

export interface RideSettings {
  maxRiders: number;
  inviteTtlMs: number;
  /** Reactions per member per 10 s (a burst of that many, refilled evenly). */
  reactionsPer10s: number;
  /** How long a moved ride waits for its riders, and the host's reconnection window (RECONNECT_WINDOW_SEC). */
  graceMs: number;
}

/** What the metrics read: the rides live on this process, and counters. */
export const rideStats = {
  live: new Map<Ride, RideRoom>(),
  opened: 0,
  joined: 0,
  ended: 0,
  reactions: 0,
  reactionsLimited: 0,
  /** Host → rider lag: from a dial input's arrival to the first patch every member gets after it (seconds). */
  observeLag: (_seconds: number): void => undefined,
};

export interface RidePorts {
  rides: Pick<Rides, 'publish' | 'revoke' | 'forget'>;
  friends: Pick<Friends, 'areFriends' | 'blocked' | 'name'>;
  notifier: Pick<Notifier, 'tell'>;
  capture: CapturePorts;
  passport: Pick<RoomPassport, 'record'>;
  settings: RideSettings;
  now: () => number;
}

/** What a ride reads and does of its room (`rideChanged`: its snapshot, which carries the ride, is written soon). */
export type RideRoom = Pick<SessionActor, keyof SessionView | 'roomId' | 'clients' | 'ride' | 'broadcast' | 'setMatchmaking' | 'rideChanged'>;

export interface Rider {
  userId: string;
  deviceId: string;
  name: string | null;
  /** The Colyseus seat while connected; null while away (moving, or not back yet after a restore). */
  seat: string | null;
  /** This rider's own input sequence (its inputs count once across moves). */
  appliedSeq: number;
  bucket?: TokenBucket;
  /** The session as this rider acts in it (own captures, journal, search): their identity, the ride's screen. */
  view?: SessionView;
}

type RideClient = Client & { userData?: { rider?: string } };

/** Whether `client` joined as a rider (its ride may have ended since). */
export const isRider = (client: Client): boolean => (client as RideClient).userData?.rider !== undefined;

/** The session's own client: the one that did not join as a rider. */
export function hostOf(clients: Iterable<Client>): Client | undefined {
  for (const c of clients) if (!isRider(c)) return c;
  return undefined;
}

export class Ride {
  readonly riders = new Map<string, Rider>();
  readonly kicked = new Set<string>();
  hostBucket?: TokenBucket;
  /** When the first dial input not yet in a patch arrived (performance.now()), while riders ride. */
  inputAt?: number;
  /** After a restore: drops the riders who did not come back within the grace period. */
  absentTimer?: ReturnType<typeof setTimeout>;

  constructor(
    readonly id: string,
    public code: string | null,
    public expiresAt: number,
    public who: 'friends' | 'link',
    public holder: string,
    public hostName: string | null,
  ) {}

  riderOf(client: Client | undefined): Rider | undefined {
    const userId = (client as RideClient | undefined)?.userData?.rider;
    return userId === undefined ? undefined : this.riders.get(userId);
  }

  snapshot(): RideSnapshot {
    const riders = [...this.riders.values()].map(({ userId, deviceId, name, appliedSeq }) => ({ userId, deviceId, name, appliedSeq }));
    const { id, code, expiresAt, who, holder, hostName } = this;
    return { id, code, expiresAt, who, holder, hostName, riders, kicked: [...this.kicked] };
  }

  static from(s: RideSnapshot): Ride {
    const ride = new Ride(s.id, s.code, s.expiresAt, s.who, s.holder, s.hostName);
    for (const r of s.riders) ride.riders.set(r.userId, { ...r, seat: null });
    for (const k of s.kicked) ride.kicked.add(k);
    return ride;
  }

  roster(room: RideRoom, forHost: boolean, maxRiders: number): ReplyOf<'ride'> {
    return {
      rideId: this.id,
      host: { userId: room.identity.userId, name: this.hostName },
      riders: [...this.riders.values()].map((r) => ({ userId: r.userId, name: r.name, here: r.seat !== null })),
      holder: this.holder,
      who: this.who,
      maxRiders,
      ...(forHost ? { invite: this.code ? { code: this.code, link: `/play?ride=${this.code}`, expiresAt: this.expiresAt } : null } : {}),
    };
  }
}

/**
 * The ride lives in this room. Its seats: the host, the riders, and as many again for joins being refused (a
 * refused join holds its seat until it is turned away), so the one over the bound hears RIDE_FULL. Private: only
 * a join by id (from GET /api/rides) reaches it, never a matchmaking search.
 */
function hostHere(room: RideRoom, ride: Ride, settings: RideSettings): Promise<void> {
  room.ride = ride;
  rideStats.live.set(ride, room);
  return room.setMatchmaking({ maxClients: 1 + 2 * settings.maxRiders, private: true });
}

/**
 * Why `row` is refused to `client` in a ride (null: allowed): host-only rows to riders, dial rows to whoever does not
 * hold the dial. An allowed dial input starts the lag clock ({@link ridePatched} stops it).
 */
export function rideRefusal(ride: Ride, row: Pick<MessageRow, 'rider'>, rider: Rider | undefined, hostId: string): SessionInputError | null {
  if (rider && row.rider === undefined)
    return new SessionInputError('HOST_ONLY', 'only the ride’s host sends this; a rider sends dial inputs only while holding the dial');
  const driver = rider?.userId ?? hostId;
  if (row.rider === 'dial' && ride.holder !== driver)
    return new SessionInputError(
      'NOT_YOUR_DIAL',
      rider ? 'the host has not passed you the dial' : 'you passed the dial to a rider; take it back with `ride_take`',
    );
  if (row.rider === 'dial' && ride.riders.size > 0) ride.inputAt ??= performance.now();
  return null;
}

/** The session as `rider` acts in it: their identity and captures on the ride's screen (one view per rider, kept). */
export function riderView(room: RideRoom, rider: Rider, ports: RidePorts): SessionView {
  if (rider.view) return rider.view;
  const identity: EventIdentity = { userId: rider.userId, deviceId: rider.deviceId, sessionId: room.identity.sessionId };
  // Getters read the room as it is now. Not Object.create(room): a room that becomes a prototype leaves V8's fast-properties
  // mode, and every write to it then invalidates the prototype chains built on it.
  const view: SessionView & { capture: CaptureFlow } = {
    identity,
    capture: undefined as unknown as CaptureFlow,
    visitedPath: room.visitedPath,
    get state() {
      return room.state;
    },
    get sim() {
      return room.sim;
    },
    get counters() {
      return room.counters;
    },
    get journey() {
      return room.journey;
    },
    get log() {
      return room.log;
    },
  };
  view.capture = new CaptureFlow(view, ports.capture);
  return (rider.view = view);
}

/** A rider's own outcome: their events, their replies and badges; nothing of the host's session changes. */
export function applyForRider(room: RideRoom, o: Outcome, rider: Rider, client: Client, ports: RidePorts): Promise<void> | undefined {
  const identity = riderView(room, rider, ports).identity;
  if (o.accept) ports.passport.record(identity, o.accept);
  if (o.record?.length) ports.passport.record(identity, o.record, { followUp: true });
  for (const r of o.replies ?? []) deliver(client, r);
  for (const badge of o.badges ?? []) reply(client, 'badge', { badge });
  return o.ride ? actOnRide(room, o.ride, ports, rider) : undefined;
}

/** Sends the roster to every member (the host's copy carries the invite); the snapshot, which carries the ride, follows soon. */
function announce(room: RideRoom, ride: Ride, settings: Pick<RideSettings, 'maxRiders'>): void {
  const host = hostOf(room.clients);
  const forRiders = ride.roster(room, false, settings.maxRiders);
  for (const c of room.clients) reply(c, 'ride', c === host ? ride.roster(room, true, settings.maxRiders) : forRiders);
  room.rideChanged();
}

/** Applies a host's (or a reaction's) ride action. @throws SessionInputError NO_RIDE, NOT_A_RIDER, RATE_LIMITED. */
export async function actOnRide(room: RideRoom, action: RideAction, ports: RidePorts, by?: Rider): Promise<void> {
  const { settings } = ports;
  const now = ports.now();
  if (action.kind === 'open' && !room.ride) {
    const hostName = await ports.friends.name(room.identity.userId);
    if (room.ride) return; // opened meanwhile
    const id = randomBytes(16).toString('base64url');
    rideStats.opened++;
    await hostHere(room, new Ride(id, newInviteCode(), now + settings.inviteTtlMs, action.who ?? 'friends', room.identity.userId, hostName), settings);
  }
  const ride = room.ride;
  if (!ride) throw new SessionInputError('NO_RIDE', 'no ride is open on this session; send `ride_open` first');
  switch (action.kind) {
    case 'react':
      return react(room, ride, action.reaction, by, ports);
    case 'open':
    case 'invite':
      if (action.kind === 'invite' && ride.code) await ports.rides.revoke(ride.code).catch(() => undefined);
      if (action.who) ride.who = action.who;
      if (action.kind === 'invite') [ride.code, ride.expiresAt] = action.revoke ? [null, now] : [newInviteCode(), now + settings.inviteTtlMs];
      await ports.rides.publish(ride, room.roomId, now);
      if (ride.code && action.invite?.length) await inviteFriends(room, ride.code, action.invite, ports);
      break;
    case 'pass':
      // A rider away (moving with the ride) may take it: if they are not back within the grace period it returns to the host.
      if (!ride.riders.has(action.to)) throw new SessionInputError('NOT_A_RIDER', 'pass the dial to a rider of the `ride` roster (a userId)');
      ride.holder = action.to;
      break;
    case 'take':
      ride.holder = room.identity.userId;
      break;
    case 'kick': {
      const rider = ride.riders.get(action.userId);
      if (!rider) throw new SessionInputError('NOT_A_RIDER', 'no rider has this userId');
      ride.kicked.add(action.userId);
      return removeRider(room, ride, rider, settings);
    }
    case 'end':
      return endRide(room, 'ended', ports);
  }
  announce(room, ride, settings);
}

function react(room: RideRoom, ride: Ride, reaction: RideReaction, by: Rider | undefined, ports: RidePorts): void {
  const { reactionsPer10s } = ports.settings;
  const now = ports.now();
  const bucket = by ? (by.bucket ??= createBucket(reactionsPer10s, now)) : (ride.hostBucket ??= createBucket(reactionsPer10s, now));
  if (!tryTake(bucket, reactionsPer10s / 10, reactionsPer10s, now)) {
    rideStats.reactionsLimited++;
    throw new SessionInputError('RATE_LIMITED', `at most ${reactionsPer10s} reactions per 10 s; this one was not shown`);
  }
  rideStats.reactions++;
  broadcastReply(room, 'reaction', { userId: by?.userId ?? room.identity.userId, reaction, at: now });
}

/** Invite entries in the inbox of the host's friends among `userIds` (others are skipped: nobody is told by a stranger). */
async function inviteFriends(room: RideRoom, code: string, userIds: string[], ports: RidePorts): Promise<void> {
  const host = room.identity.userId;
  const name = await ports.friends.name(host);
  for (const userId of new Set(userIds))
    if (await ports.friends.areFriends(host, userId))
      await ports.notifier.tell('ride_invite', { userId: host, name }, userId, rideInviteNotice(name, code)).catch(() => undefined);
}

/** A rider joins (with the invite's code) or rejoins after a move or a restore (with the ride's id). */
export async function joinRide(
  room: RideRoom,
  client: Client,
  wanted: { code?: string; id?: string },
  caller: { userId: string; deviceId: string },
  ports: RidePorts,
) {
  (client as RideClient).userData = { rider: caller.userId };
  const ride = room.ride;
  const { userId } = caller;
  const returning = ride && wanted.id === ride.id ? ride.riders.get(userId) : undefined;
  const code = wanted.code === undefined ? null : readCode(wanted.code);
  if (!ride || (!returning && (!code || code !== ride.code || ports.now() >= ride.expiresAt)))
    throw refused('RIDE_NOT_FOUND', 'this invite is unknown, expired or revoked, or the ride ended');
  if (userId === room.identity.userId) throw forbidden('this is your own ride');
  if (ride.kicked.has(userId)) throw forbidden('the host removed you from this ride');
  if (await ports.friends.blocked(userId, earlier(room, ride, userId))) throw forbidden('you cannot ride with a listener in this ride');
  if (!returning && ride.who === 'friends' && !(await ports.friends.areFriends(room.identity.userId, userId)))
    throw forbidden('this ride is for the host’s friends');
  if (room.ride !== ride) throw refused('RIDE_NOT_FOUND', 'the ride ended');
  const rider = returning ?? ride.riders.get(userId);
  if (rider?.seat && rider.seat !== client.sessionId) throw forbidden('you are in this ride already (another tab or device)');
  if (!rider && ride.riders.size >= ports.settings.maxRiders) throw refused('RIDE_FULL', `this ride has ${ports.settings.maxRiders} riders`);
  const member = rider ?? { userId, deviceId: caller.deviceId, name: await ports.friends.name(userId), seat: null, appliedSeq: 0 };
  member.seat = client.sessionId;
  ride.riders.set(userId, member);
  if (!rider) rideStats.joined++;
  room.log.info({ rideId: ride.id, rider: userId, returning: !!rider }, 'rider joined');
  announce(room, ride, ports.settings);
  reply(client, 'ride_joined', { rideId: ride.id, appliedSeq: member.appliedSeq });
}

/** A rider's client left for good (not moving): out of the roster, and the dial back to the host if they held it. */
export function leaveRide(room: RideRoom, client: Client, ports: RidePorts): void {
  const ride = room.ride;
  const rider = ride?.riderOf(client);
  if (ride && rider && rider.seat === client.sessionId) removeRider(room, ride, rider, ports.settings, false);
}

function dropRider(room: RideRoom, ride: Ride, rider: Rider): void {
  ride.riders.delete(rider.userId);
  if (ride.holder === rider.userId) ride.holder = room.identity.userId;
}

function closeRider(room: RideRoom, rider: Rider, reason: ReplyOf<'ride_ended'>['reason']): void {
  for (const c of room.clients)
    if (c.sessionId === rider.seat) {
      reply(c, 'ride_ended', { reason });
      c.leave(CLOSE_RIDE_ENDED, `RIDE_ENDED: ${reason}`);
    }
}

/** The ride ends: every rider is told and closed (their SDK rejoins their own session); nothing of it is kept. */
export async function endRide(room: RideRoom, reason: 'ended' | 'host_left', ports: RidePorts): Promise<void> {
  const ride = room.ride;
  if (!ride) return;
  room.ride = undefined;
  clearTimeout(ride.absentTimer);
  rideStats.ended++;
  rideStats.live.delete(ride);
  for (const rider of ride.riders.values()) closeRider(room, rider, reason);
  const host = hostOf(room.clients);
  if (host && reason === 'ended') reply(host, 'ride_ended', { reason });
  room.log.info({ rideId: ride.id, reason, riders: ride.riders.size }, 'ride ended');
  room.rideChanged();
  await Promise.all([ports.rides.forget(ride).catch(() => undefined), room.setMatchmaking({ maxClients: 1, private: false }).catch(() => undefined)]);
}

/** The host's process is draining: every rider is told where to wait (`moving`), and the index says "moving". */
export async function rideMoving(room: RideRoom, retryAfterMs: number, ports: RidePorts): Promise<void> {
  const ride = room.ride;
  if (!ride) return;
  rideStats.live.delete(ride);
  // Riders' captures in flight finish here: their `captured` reaches them before `moving`.
  await Promise.all([...ride.riders.values()].map((r) => r.view?.capture.settled()));
  for (const c of room.clients) {
    const rider = ride.riderOf(c);
    if (rider) reply(c, 'moving', { reason: 'draining', resume: ride.id, appliedSeq: rider.appliedSeq, retryAfterMs });
  }
  await ports.rides.publish(ride, room.roomId, ports.now(), true).catch((err: Error) => room.log.warn({ err: err.message }, 'ride not marked moving'));
}

/**
 * A restored session brings its ride back (a drain or a crash): open here again, the index pointing here, the
 * riders expected back (by the ride's id) within the grace period; those who do not come are dropped.
 */
export async function restoreRide(room: RideRoom, snapshot: RideSnapshot, ports: RidePorts): Promise<void> {
  const ride = Ride.from(snapshot);
  await hostHere(room, ride, ports.settings);
  await ports.rides.publish(ride, room.roomId, ports.now());
  ride.absentTimer = setTimeout(() => {
    if (room.ride !== ride) return;
    for (const rider of [...ride.riders.values()]) if (!rider.seat) dropRider(room, ride, rider);
    announce(room, ride, ports.settings);
  }, ports.settings.graceMs);
  ride.absentTimer.unref?.();
}

/** A patch went to every member: the dial input waiting for one has reached the riders. */
export function ridePatched(ride: Ride): void {
  if (ride.inputAt === undefined) return;
  rideStats.observeLag((performance.now() - ride.inputAt) / 1000);
  ride.inputAt = undefined;
}

/**
 * Two listeners with a block between them never share a ride, so nobody's reactions need hiding from anyone: the one
 * who came later stays out or leaves (never the host). `userId`'s elders: the host, then the riders who joined first.
 */
const earlier = (room: RideRoom, ride: Ride, userId: string): string[] => {
  const members = [room.identity.userId, ...ride.riders.keys()];
  return members.includes(userId) ? members.slice(0, members.indexOf(userId)) : members;
};

/** `a` blocked `b` or the other way round (on any process): a ride here of both loses the later of the two. */
export function rideBlocked(a: string, b: string, settings: Pick<RideSettings, 'maxRiders'>): void {
  for (const [ride, room] of rideStats.live) {
    const rider = ride.riders.get(earlier(room, ride, a).includes(b) ? a : b);
    if (rider) removeRider(room, ride, rider, settings);
  }
}

/** Out of the roster, told and closed (`kicked`) unless they left; the others get the roster. */
function removeRider(room: RideRoom, ride: Ride, rider: Rider, settings: Pick<RideSettings, 'maxRiders'>, kicked = true): void {
  dropRider(room, ride, rider);
  if (kicked) closeRider(room, rider, 'kicked');
  announce(room, ride, settings);
}

/** A client back within the reconnection window: a rider blocked (or removed) meanwhile is closed; the others get the roster. */
export async function rideReconnected(room: RideRoom, client: Client, ports: RidePorts): Promise<void> {
  const ride = room.ride;
  const rider = ride?.riderOf(client);
  const elders = ride && rider ? earlier(room, ride, rider.userId) : [];
  // With the host as the pair: the rider is the later one, whoever of their elders the block is with.
  if (ride && rider && (await ports.friends.blocked(rider.userId, elders))) rideBlocked(rider.userId, elders[0], ports.settings);
  if (isRider(client) && !room.ride?.riderOf(client)) {
    reply(client, 'ride_ended', { reason: room.ride ? 'kicked' : 'ended' });
    return client.leave(CLOSE_RIDE_ENDED, 'RIDE_ENDED: you are no longer in this ride');
  }
  sendRoster(room, client, ports.settings);
}

/** The roster to one client (a reconnection, the host's greeting). */
export function sendRoster(room: RideRoom, client: Client, settings: RideSettings): void {
  const ride = room.ride;
  if (ride) reply(client, 'ride', ride.roster(room, !ride.riderOf(client), settings.maxRiders));
}
