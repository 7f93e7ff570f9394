/**
 * `--riders N`: every session hosts a ride of N riders (docs/PROTOCOL.md "Rides"); each host tunes from one end of
 * the dial to the other every ~2 s. Measured over `--duration`: host input → patch lag (the host's own patch and
 * each rider's, against the time the host sent it; one clock, one process), bytes in per second per host and per
 * rider, and the server's CPU. `--riders 0` runs the same hosts alone: cost per rider is the difference of the two.
 * `--reactions N`: each rider also reacts, at most N per 10 s from a bucket shaped like the server's; the report says
 * how many the server showed and refused, whether every member got every one shown, and the most one rider got shown.
 */
import fs from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Room } from '@colyseus/sdk';
import type { LoadTestOptions } from './args.js';
import { signInNewDevice } from './auth.js';
import { MeteredClient, type FrameMeter } from './meteredClient.js';
import { ServerSampler, type Snapshot } from './serverSampler.js';
import { bucketsOf, quantileBetween, valueOf } from './promText.js';
import { withSpawned } from './cli.js';

const TUNE_EVERY_MS = 2000;
const ENDS = [88.1, 107.9];
const REACTIONS = ['fire', 'heart', 'wow', 'dance', 'clap', 'laugh'] as const;

export interface RideRunResult {
  label: string;
  rides: number;
  ridersPerRide: number;
  joined: { hosts: number; riders: number };
  failures: string[];
  durationSec: number;
  tunes: number;
  lagMs: { host: Quantiles; rider: Quantiles };
  bytesInPerSec: { host: number | null; rider: number | null };
  bytesOutPerSec: { host: number | null; rider: number | null };
  /** This process's event-loop delay over the window (ms): every bot's patches wait behind it, so lag includes it. */
  harnessLoopDelayMs: { p99: number; max: number };
  server: {
    cpuPercentAvg: number | null;
    note?: string;
    /** The server's event-loop delay: the largest p99 and max of its scrapes in the window (ms). */
    loopDelayMs?: { p99: number | null; max: number | null };
    /** ds_ride_host_to_rider_lag_seconds over the window: input arrival → the patch every member gets (ms). */
    lagMs?: { n: number; p50: number | null; p99: number | null; under100ms: number | null };
    /** ds_rides and ds_ride_riders at the end of the window. */
    rides?: number | null;
    riders?: number | null;
  };
  /** Riders whose room closed or whose ride ended under them, and rides whose host's roster misses a rider at the end. */
  alone: { ridersClosed: number; ridesEnded: number; ridesShortOfRiders: number };
  /** `error` replies the bots got, by `for:code`. */
  errors: Record<string, number>;
  reactions?: ReactionsResult;
}

export interface ReactionsResult {
  perRiderPer10s: number;
  /** Seconds the riders reacted for. */
  windowSec: number;
  sent: number;
  /** Answered RATE_LIMITED (the bots' count). */
  refused: number;
  /** Reactions the hosts received: each is one the server showed. */
  shown: number;
  /** The server's counters over the run (ds_ride_reactions, ds_ride_reactions_limited). */
  server: { shown: number | null; limited: number | null };
  /** Reaction messages every member received, against shown × members of its ride. */
  delivered: number;
  expected: number;
  /** The most reactions the server showed from one rider. */
  maxShownPerRider: number;
}

interface Quantiles {
  n: number;
  p50: number | null;
  p99: number | null;
  max: number | null;
}

function quantiles(values: number[]): Quantiles {
  const v = [...values].sort((a, b) => a - b);
  const at = (q: number) => (v.length ? Math.round(v[Math.min(v.length - 1, Math.ceil(v.length * q) - 1)] * 10) / 10 : null);
  return { n: v.length, p50: at(0.5), p99: at(0.99), max: at(1) };
}

/** Bytes a role's rooms received and sent, counted only while `on`. */
class Meter implements FrameMeter {
  on = false;
  in = 0;
  out = 0;
  frameIn(bytes: number): void {
    if (this.on) this.in += bytes;
  }
  frameOut(bytes: number): void {
    if (this.on) this.out += bytes;
  }
}

function next<T>(room: Room, type: string, timeoutMs = 15_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${type} within ${timeoutMs} ms`)), timeoutMs);
    const off = room.onMessage(type, (m: T) => {
      clearTimeout(timer);
      off();
      resolve(m);
    });
  });
}

interface RideBots {
  host: Room;
  riders: Room[];
  riderIds: string[];
  /** When the host sent its latest tune (performance.now()), while measuring. */
  sentAt: number | null;
  /** Reactions received: by the host per reacting user, and by every member (host first). */
  shownBy: Map<string, number>;
  received: number[];
  /** The host's latest roster. */
  roster?: { riders: Array<{ userId: string; here: boolean }> };
  ridersClosed: number;
  ended: boolean;
  leaving: boolean;
}

interface RunCounts {
  errors: Map<string, number>;
  sent: number;
}

/** Counts what a member's room gets besides patches: reactions, errors, the end of the ride, an early close. */
function watchMember(room: Room, ride: RideBots, index: number, counts: RunCounts): void {
  ride.received[index] = 0;
  room.onMessage('reaction', (m: { userId: string }) => {
    ride.received[index]++;
    if (index === 0) ride.shownBy.set(m.userId, (ride.shownBy.get(m.userId) ?? 0) + 1);
  });
  room.onMessage('error', (e: { for?: string; code?: string }) => {
    const key = `${e.for}:${e.code}`;
    counts.errors.set(key, (counts.errors.get(key) ?? 0) + 1);
  });
  room.onMessage('ride_ended', () => void (ride.ended = true));
  if (index > 0)
    room.onLeave(() => {
      if (!ride.leaving) ride.ridersClosed++;
    });
}

/** Records each patch that shows a new station, as lag from the host's tune. */
function watchStation(room: Room, ride: RideBots, lags: number[]): void {
  let last = -1;
  room.onStateChange((state: { station?: { frequency?: number } }) => {
    const f = state.station?.frequency ?? -1;
    if (f === last) return;
    last = f;
    if (ride.sentAt !== null) lags.push(performance.now() - ride.sentAt);
  });
}

async function openRide(
  url: string,
  riders: number,
  meters: { host: Meter; rider: Meter },
  lags: { host: number[]; rider: number[] },
  counts: RunCounts,
): Promise<RideBots> {
  const host = await signInNewDevice(url, 'loadtest-ride-host');
  const hostClient = new MeteredClient(url, meters.host);
  hostClient.auth.token = host.accessToken;
  const room = await hostClient.create('session', {});
  room.onMessage('*', () => undefined);
  await next(room, 'welcome');
  const ride: RideBots = {
    host: room,
    riders: [],
    riderIds: [],
    sentAt: null,
    shownBy: new Map(),
    received: [],
    ridersClosed: 0,
    ended: false,
    leaving: false,
  };
  watchStation(room, ride, lags.host);
  watchMember(room, ride, 0, counts);
  room.onMessage('ride', (roster: RideBots['roster']) => void (ride.roster = roster));
  if (riders === 0) return ride;
  const opened = next<{ invite: { code: string } }>(room, 'ride');
  room.send('ride_open', { who: 'link' });
  const { code } = (await opened).invite;
  for (let i = 0; i < riders; i++) {
    const rider = await signInNewDevice(url, 'loadtest-rider');
    const client = new MeteredClient(url, meters.rider);
    client.auth.token = rider.accessToken;
    const res = await fetch(`${url.replace(/^ws/, 'http')}/api/rides/${code}`, { headers: { authorization: `Bearer ${rider.accessToken}` } });
    if (res.status !== 200) throw new Error(`GET /api/rides answered ${res.status}`);
    const r = await client.joinById((await res.json()).roomId, { ride: { code } });
    r.onMessage('*', () => undefined);
    await next(r, 'ride_joined');
    watchStation(r, ride, lags.rider);
    ride.riders.push(r);
    ride.riderIds.push(rider.userId);
    watchMember(r, ride, ride.riders.length, counts);
  }
  return ride;
}

/**
 * A rider reacts from a bucket of `perTen` refilled over 10 s, as the server counts, trying twice as often as it
 * refills: the bucket, not the pacing, bounds what it sends.
 */
async function reactUntil(rider: Room, perTen: number, until: number, counts: RunCounts): Promise<void> {
  let tokens = perTen;
  let at = Date.now();
  const everyMs = 10_000 / perTen / 2;
  await new Promise((r) => setTimeout(r, Math.random() * everyMs));
  while (Date.now() < until) {
    tokens = Math.min(perTen, tokens + ((Date.now() - at) / 10_000) * perTen);
    at = Date.now();
    if (tokens >= 1) {
      tokens--;
      rider.send('react', { reaction: REACTIONS[Math.floor(Math.random() * REACTIONS.length)] });
      counts.sent++;
    }
    await new Promise((r) => setTimeout(r, everyMs * (0.5 + Math.random())));
  }
}

/** The server's lag histogram between two scrapes, in ms, and the share of inputs under 100 ms. */
function serverLag(a: Snapshot | undefined, b: Snapshot | undefined): NonNullable<RideRunResult['server']['lagMs']> | undefined {
  if (!a || !b) return undefined;
  const name = 'ds_ride_host_to_rider_lag_seconds';
  const s0 = bucketsOf(a.samples, name);
  const s1 = bucketsOf(b.samples, name);
  if (!s1.size) return undefined;
  const n = (s1.get(Infinity) ?? 0) - (s0.get(Infinity) ?? 0);
  const ms = (q: number) => {
    const v = quantileBetween(s0, s1, q);
    return v === null ? null : Math.round(v * 10_000) / 10;
  };
  const under = (s1.get(0.1) ?? 0) - (s0.get(0.1) ?? 0);
  return { n, p50: ms(0.5), p99: ms(0.99), under100ms: n ? Math.round((under / n) * 10_000) / 10_000 : null };
}

/** Each host tunes to the other end of the dial every ~2 s (jittered) until `until`; resolves with the tunes sent. */
async function tuneUntil(ride: RideBots, until: number): Promise<number> {
  let tunes = 0;
  await new Promise((r) => setTimeout(r, Math.random() * TUNE_EVERY_MS));
  while (Date.now() < until) {
    ride.sentAt = performance.now();
    ride.host.send('tune', { frequency: ENDS[tunes++ % 2] });
    await new Promise((r) => setTimeout(r, TUNE_EVERY_MS * (0.8 + Math.random() * 0.4)));
  }
  ride.sentAt = null;
  return tunes;
}

export async function runRides(o: LoadTestOptions, label: string, log: (line: string) => void): Promise<RideRunResult> {
  const url = o.urls?.[0] ?? o.url;
  const riders = o.riders ?? 0;
  const meters = { host: new Meter(), rider: new Meter() };
  const lags = { host: [] as number[], rider: [] as number[] };
  const reactions = riders ? (o.reactions ?? 0) : 0;
  const counts: RunCounts = { errors: new Map(), sent: 0 };
  const rides: RideBots[] = [];
  const failures: string[] = [];
  log(`opening ${o.sessions} rides × ${riders} riders on ${url}…`);
  for (let i = 0; i < o.sessions; i += 10) {
    const batch = await Promise.allSettled(Array.from({ length: Math.min(10, o.sessions - i) }, () => openRide(url, riders, meters, lags, counts)));
    for (const b of batch) {
      if (b.status === 'fulfilled') rides.push(b.value);
      else failures.push((b.reason as Error).message);
    }
  }
  const sampler = new ServerSampler(`${url.replace(/^ws/, 'http')}/metrics`, o.adminToken, 1000);
  sampler.start();
  await new Promise((r) => setTimeout(r, 2000));
  lags.host.length = 0;
  lags.rider.length = 0;
  meters.host.on = meters.rider.on = true;
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const start = Date.now();
  log(`measuring ${o.durationSec} s…`);
  const until = start + o.durationSec * 1000;
  const reacting = reactions ? rides.flatMap((ride) => ride.riders.map((r) => reactUntil(r, reactions, until, counts))) : [];
  const tunes = (await Promise.all(rides.map((ride) => tuneUntil(ride, until)))).reduce((a, b) => a + b, 0);
  await Promise.all(reacting);
  const reactedSec = (Date.now() - start) / 1000;
  await new Promise((r) => setTimeout(r, 1000)); // the last tunes' patches, the last reactions
  meters.host.on = meters.rider.on = false;
  loop.disable();
  const end = Date.now();
  await sampler.stop();
  const seconds = (end - start) / 1000;
  const perSec = (bytes: number, n: number) => (n ? Math.round(bytes / n / seconds) : null);
  const riderCount = rides.reduce((n, r) => n + r.riders.length, 0);
  const summary = sampler.summarize(start, end);
  const first = sampler.snapshots[0];
  const last = sampler.snapshots[sampler.snapshots.length - 1];
  const windowStart = sampler.snapshots.find((s) => s.t >= start - 1000);
  const counter = (name: string) => {
    const a = first && valueOf(first.samples, name);
    const b = last && valueOf(last.samples, name);
    return a === null || a === undefined || b === null || b === undefined ? null : b - a;
  };
  const shown = rides.reduce((n, r) => n + r.received[0], 0);
  const reactionsResult: ReactionsResult | undefined = reactions
    ? {
        perRiderPer10s: reactions,
        windowSec: Math.round(reactedSec * 10) / 10,
        sent: counts.sent,
        refused: counts.errors.get('react:RATE_LIMITED') ?? 0,
        shown,
        server: { shown: counter('ds_ride_reactions'), limited: counter('ds_ride_reactions_limited') },
        delivered: rides.reduce((n, r) => n + r.received.reduce((a, b) => a + b, 0), 0),
        expected: rides.reduce((n, r) => n + r.received[0] * (1 + r.riders.length), 0),
        maxShownPerRider: Math.max(0, ...rides.flatMap((r) => [...r.shownBy.values()])),
      }
    : undefined;
  const alone = {
    ridersClosed: rides.reduce((n, r) => n + r.ridersClosed, 0),
    ridesEnded: rides.filter((r) => r.ended).length,
    ridesShortOfRiders: rides.filter((r) => r.riders.length && r.riderIds.some((id) => !r.roster?.riders.some((x) => x.userId === id && x.here))).length,
  };
  for (const r of rides) r.leaving = true;
  await Promise.all(rides.flatMap((r) => [r.host, ...r.riders]).map((room) => room.leave(true).catch(() => undefined)));
  return {
    label,
    rides: o.sessions,
    ridersPerRide: riders,
    joined: { hosts: rides.length, riders: riderCount },
    failures: [...new Set(failures)],
    durationSec: Math.round(seconds),
    tunes,
    lagMs: { host: quantiles(lags.host), rider: quantiles(lags.rider) },
    harnessLoopDelayMs: { p99: Math.round(loop.percentile(99) / 1e5) / 10, max: Math.round(loop.max / 1e5) / 10 },
    bytesInPerSec: { host: perSec(meters.host.in, rides.length), rider: perSec(meters.rider.in, riderCount) },
    bytesOutPerSec: { host: perSec(meters.host.out, rides.length), rider: perSec(meters.rider.out, riderCount) },
    server: {
      ...('cpuPercentAvg' in summary ? { cpuPercentAvg: summary.cpuPercentAvg ?? null } : { cpuPercentAvg: null, note: summary.reason }),
      lagMs: serverLag(windowStart, last),
      ...('cpuPercentAvg' in summary ? { loopDelayMs: { p99: summary.eventLoopDelayP99MaxMs ?? null, max: summary.eventLoopDelayMaxMs ?? null } } : {}),
      rides: last ? valueOf(last.samples, 'ds_rides') : null,
      riders: last ? valueOf(last.samples, 'ds_ride_riders') : null,
    },
    alone,
    errors: Object.fromEntries(counts.errors),
    ...(reactionsResult ? { reactions: reactionsResult } : {}),
  };
}

/** `--riders N`: against `--url`, or against a spawned server; prints the figures and writes the JSON. */
export async function ridesMain(o: LoadTestOptions, log: (line: string) => void): Promise<RideRunResult> {
  const out = o.out ?? path.join('loadtest-results', `rides-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const label = `${o.sessions} rides × ${o.riders} riders`;
  const result = o.spawn ? await withSpawned(o, o.spawn, path.dirname(out), (_s, spawned) => runRides(spawned, label, log)) : await runRides(o, label, log);
  const { lagMs: l, bytesInPerSec: b, server, reactions: x, alone } = result;
  process.stdout.write(
    [
      `\n${label}: joined ${result.joined.hosts} hosts, ${result.joined.riders} riders; ${result.tunes} tunes in ${result.durationSec} s`,
      `tune → patch lag  host p50 ${l.host.p50} / p99 ${l.host.p99} ms (n ${l.host.n});  rider p50 ${l.rider.p50} / p99 ${l.rider.p99} ms (n ${l.rider.n})`,
      `bytes in / s      host ${b.host}; rider ${b.rider}`,
      `server CPU        ${server.cpuPercentAvg ?? server.note} %`,
      `loop delay        harness p99 ${result.harnessLoopDelayMs.p99} / max ${result.harnessLoopDelayMs.max} ms; server p99 ${server.loopDelayMs?.p99} / max ${server.loopDelayMs?.max} ms`,
      ...(server.lagMs
        ? [`server input → patch to all  p50 ${server.lagMs.p50} / p99 ${server.lagMs.p99} ms (n ${server.lagMs.n}, ${server.lagMs.under100ms} under 100 ms)`]
        : []),
      ...(x
        ? [
            `reactions         sent ${x.sent}, shown ${x.shown} (server ${x.server.shown}), refused ${x.refused} (server ${x.server.limited}); delivered ${x.delivered} / ${x.expected}; most from one rider ${x.maxShownPerRider} in ${x.windowSec} s`,
          ]
        : []),
      `left alone        riders closed ${alone.ridersClosed}, rides ended ${alone.ridesEnded}, rides short of a rider ${alone.ridesShortOfRiders}`,
      ...(Object.keys(result.errors).length ? [`errors            ${JSON.stringify(result.errors)}`] : []),
      ...(result.failures.length ? [`failures: ${result.failures.join('; ')}`] : []),
      `results: ${out}\n`,
    ].join('\n'),
  );
  fs.writeFileSync(out, JSON.stringify(result, null, 2));
  return result;
}
