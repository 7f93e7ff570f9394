/**
 * `--riders N`: every session hosts a ride of N riders (docs/PROTOCOL.md "Rides"); each host tunes from one end of
 * the dial to the other every ~2 s. Measured over `--duration`: host input → patch lag (the host's own patch and
 * each rider's, against the time the host sent it; one clock, one process), bytes in per second per host and per
 * rider, and the server's CPU. `--riders 0` runs the same hosts alone: cost per rider is the difference of the two.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Room } from '@colyseus/sdk';
import type { LoadTestOptions } from './args.js';
import { signInNewDevice } from './auth.js';
import { MeteredClient, type FrameMeter } from './meteredClient.js';
import { ServerSampler } from './serverSampler.js';
import { withSpawned } from './cli.js';

const TUNE_EVERY_MS = 2000;
const ENDS = [88.1, 107.9];

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
  server: { cpuPercentAvg: number | null; note?: string };
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
  /** When the host sent its latest tune (performance.now()), while measuring. */
  sentAt: number | null;
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

async function openRide(url: string, riders: number, meters: { host: Meter; rider: Meter }, lags: { host: number[]; rider: number[] }): Promise<RideBots> {
  const host = await signInNewDevice(url, 'loadtest-ride-host');
  const hostClient = new MeteredClient(url, meters.host);
  hostClient.auth.token = host.accessToken;
  const room = await hostClient.create('session', {});
  room.onMessage('*', () => undefined);
  await next(room, 'welcome');
  const ride: RideBots = { host: room, riders: [], sentAt: null };
  watchStation(room, ride, lags.host);
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
  }
  return ride;
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
  const rides: RideBots[] = [];
  const failures: string[] = [];
  log(`opening ${o.sessions} rides × ${riders} riders on ${url}…`);
  for (let i = 0; i < o.sessions; i += 10) {
    const batch = await Promise.allSettled(Array.from({ length: Math.min(10, o.sessions - i) }, () => openRide(url, riders, meters, lags)));
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
  const start = Date.now();
  log(`measuring ${o.durationSec} s…`);
  const tunes = (await Promise.all(rides.map((ride) => tuneUntil(ride, start + o.durationSec * 1000)))).reduce((a, b) => a + b, 0);
  await new Promise((r) => setTimeout(r, 1000)); // the last tunes' patches
  meters.host.on = meters.rider.on = false;
  const end = Date.now();
  await sampler.stop();
  const seconds = (end - start) / 1000;
  const perSec = (bytes: number, n: number) => (n ? Math.round(bytes / n / seconds) : null);
  const riderCount = rides.reduce((n, r) => n + r.riders.length, 0);
  const summary = sampler.summarize(start, end);
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
    bytesInPerSec: { host: perSec(meters.host.in, rides.length), rider: perSec(meters.rider.in, riderCount) },
    bytesOutPerSec: { host: perSec(meters.host.out, rides.length), rider: perSec(meters.rider.out, riderCount) },
    server: 'cpuPercentAvg' in summary ? { cpuPercentAvg: summary.cpuPercentAvg ?? null } : { cpuPercentAvg: null, note: summary.reason },
  };
}

/** `--riders N`: against `--url`, or against a spawned server; prints the figures and writes the JSON. */
export async function ridesMain(o: LoadTestOptions, log: (line: string) => void): Promise<RideRunResult> {
  const out = o.out ?? path.join('loadtest-results', `rides-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const label = `${o.sessions} rides × ${o.riders} riders`;
  const result = o.spawn ? await withSpawned(o, o.spawn, path.dirname(out), (_s, spawned) => runRides(spawned, label, log)) : await runRides(o, label, log);
  const { lagMs: l, bytesInPerSec: b, server } = result;
  process.stdout.write(
    [
      `\n${label}: joined ${result.joined.hosts} hosts, ${result.joined.riders} riders; ${result.tunes} tunes in ${result.durationSec} s`,
      `tune → patch lag  host p50 ${l.host.p50} / p99 ${l.host.p99} ms (n ${l.host.n});  rider p50 ${l.rider.p50} / p99 ${l.rider.p99} ms (n ${l.rider.n})`,
      `bytes in / s      host ${b.host}; rider ${b.rider}`,
      `server CPU        ${server.cpuPercentAvg ?? server.note} %`,
      ...(result.failures.length ? [`failures: ${result.failures.join('; ')}`] : []),
      `results: ${out}\n`,
    ].join('\n'),
  );
  fs.writeFileSync(out, JSON.stringify(result, null, 2));
  return result;
}
