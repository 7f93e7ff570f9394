import assert from 'node:assert/strict';
/** The members of rides as the system tests drive them: clients/ts SessionClients on a two-process fleet. */
import { signIn } from '../../support/auth.js';
import { SessionClient } from '../../../clients/ts/src/SessionClient.js';
import { memoryStore } from '../../../clients/ts/src/SessionRecord.js';
import type { RideMessage } from '../../../clients/ts/src/messages.js';

export interface Member {
  client: SessionClient;
  userId: string;
  /** Each `ride` roster with the time it arrived. */
  rosters: Array<{ at: number; ride: RideMessage }>;
  closed: boolean;
  resumedAt: number[];
  /** Each connection status with when and why: the path a slow member took back. */
  statuses: Array<{ at: number; status: string; detail?: string }>;
}

export interface Party {
  host: Member;
  riders: Member[];
  rideId: string;
}

export const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));

export async function until(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

export const p = (values: number[], q: number): number =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil(values.length * q) - 1)] ?? NaN;

export async function member(endpoints: string[], first: number): Promise<Member> {
  const [endpoint, ...fallback] = [...endpoints.slice(first), ...endpoints.slice(0, first)];
  const client = new SessionClient(endpoint, { storage: memoryStore(), fallbackEndpoints: fallback });
  const me = await signIn(endpoint.replace(/^ws/, 'http'));
  const m: Member = { client, userId: me.userId, rosters: [], closed: false, resumedAt: [], statuses: [] };
  client.on('resumed', () => m.resumedAt.push(Date.now()));
  client.on('ride', (ride) => m.rosters.push({ at: Date.now(), ride }));
  client.on('connection', (status, detail) => {
    m.statuses.push({ at: Date.now(), status, detail });
    if (status === 'closed') m.closed = true;
  });
  await client.connect({}, { accessToken: async () => me.accessToken, invalidate: () => undefined });
  return m;
}

export const last = (m: Member): RideMessage | undefined => m.rosters.at(-1)?.ride;

/** The ride as `m` last heard it: id, host, riders here, who has the dial. */
export function seen(m: Member) {
  const r = last(m);
  return (
    r && {
      rideId: r.rideId,
      host: r.host.userId,
      riders: r.riders
        .filter((x) => x.here)
        .map((x) => x.userId)
        .sort(),
      holder: r.holder,
    }
  );
}

/** Opens a ride, its `RIDERS` riders join with the invite; in every other ride the host passes the dial to the first rider. */
export async function party(endpoints: string[], i: number, RIDERS = 4): Promise<Party> {
  const host = await member(endpoints, i % endpoints.length);
  host.client.openRide({ who: 'link' });
  await until('the invite', () => !!last(host)?.invite, 10_000);
  const code = last(host)!.invite!.code;
  const riders: Member[] = [];
  for (let r = 0; r < RIDERS; r++) {
    const rider = await member(endpoints, (i + r + 1) % endpoints.length);
    await rider.client.joinRide(code);
    riders.push(rider);
  }
  await until('every rider here', () => seen(host)?.riders.length === RIDERS, 10_000);
  if (i % 2 === 0) {
    host.client.passDial(riders[0].userId);
    await until('the dial passed', () => riders.every((r) => seen(r)?.holder === riders[0].userId), 10_000);
  }
  return { host, riders, rideId: last(host)!.rideId };
}

/** Whether the ride's host's room is at an address containing `where` (`:<port>/`, or a fleet host's `/<letter>/`). */
export function hostedAt(party: Party, where: string): boolean {
  const room = (party.host.client as unknown as { link: { room: { connection: { url?: string } } | null } }).link.room;
  return !!room?.connection.url?.includes(where);
}

/**
 * A process under the rides goes (`stop` sends the signal and checks the exit): waits until the host and every rider
 * of each ride on it (`victims`) heard it whole again, then checks every ride as each member sees it against before:
 * same id, host, riders here and dial holder; no client closed, every rider still riding, every ride at `survivor`.
 * Returns when each was back (ms after the stop): hosts resumed, riders back, rides whole.
 */
export async function rideThrough(parties: Party[], victims: Party[], survivor: string, stop: () => Promise<void>, timeoutMs: number) {
  const before = new Map(parties.map((x) => [x, { ...seen(x.host)!, sessionId: x.host.client.sessionId }]));
  const stoppedAt = Date.now();
  await stop();
  /** When `m` heard its ride whole again after the stop (null: not yet). */
  const backAt = (m: Member, x: Party): number | null => {
    const want = before.get(x)!;
    const r = m.rosters.find((y) => y.at >= stoppedAt && y.ride.rideId === want.rideId && y.ride.riders.filter((z) => z.here).length === x.riders.length);
    return r ? r.at : null;
  };
  await until('every moved ride whole', () => victims.every((x) => [x.host, ...x.riders].every((m) => backAt(m, x) !== null)), timeoutMs);
  await sleep(500);
  for (const x of parties) {
    const { sessionId, ...want } = before.get(x)!;
    for (const m of [x.host, ...x.riders]) {
      assert.equal(m.closed, false, `${m.userId} closed`);
      assert.deepEqual(seen(m), want, `ride ${x.rideId} as ${m === x.host ? 'its host' : 'a rider'} sees it`);
    }
    assert.equal(x.host.client.sessionId, sessionId, 'the host’s session id');
    for (const r of x.riders) assert.equal(r.client.riding, true, 'the rider still rides (not back on their own)');
    assert.ok(hostedAt(x, survivor), 'the ride is on the process left serving');
  }
  const resumedMs = (x: Party) => (x.host.resumedAt.find((t) => t >= stoppedAt) ?? NaN) - stoppedAt;
  const path = (m: Member) => m.statuses.filter((s) => s.at >= stoppedAt).map((s) => `${s.at - stoppedAt} ${s.status}: ${s.detail ?? ''}`);
  const rider = victims.flatMap((x) => x.riders.map((m) => ({ m, x, ms: backAt(m, x)! - stoppedAt }))).sort((a, b) => b.ms - a.ms)[0];
  const host = [...victims].sort((a, b) => resumedMs(b) - resumedMs(a))[0];
  return {
    /** The slowest rider's and the slowest host's statuses (ms after the stop): the path each took back. */
    slowest: {
      rider: rider && { backMs: rider.ms, hostResumedMs: resumedMs(rider.x), statuses: path(rider.m) },
      host: host && { resumedMs: resumedMs(host), statuses: path(host.host) },
    },
    hostMs: victims.map(resumedMs),
    riderMs: victims.flatMap((x) => x.riders.map((m) => backAt(m, x)! - stoppedAt)),
    rideMs: victims.map((x) => Math.max(...[x.host, ...x.riders].map((m) => backAt(m, x)!)) - stoppedAt),
  };
}
