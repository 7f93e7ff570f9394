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
  const m: Member = { client, userId: me.userId, rosters: [], closed: false, resumedAt: [] };
  client.on('resumed', () => m.resumedAt.push(Date.now()));
  client.on('ride', (ride) => m.rosters.push({ at: Date.now(), ride }));
  client.on('connection', (status) => status === 'closed' && (m.closed = true));
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

/** Which process holds the ride now (its host's room's address). */
export function onPort(party: Party, port: number): boolean {
  const room = (party.host.client as unknown as { link: { room: { connection: { url?: string } } | null } }).link.room;
  return !!room?.connection.url?.includes(`:${port}/`);
}
