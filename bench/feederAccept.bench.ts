/**
 * What the live leaderboards cost a room per passport event: the LeaderboardFeeder's
 * synchronous `accept`, which runs inside every `passport.record` of a room, timed on the event mix of
 * the load test's journey (per lock a `station.loaded` and a `station.visited`, captures with their
 * badges, orb taps, session starts), with a store that never answers so only the accept path is timed.
 *   npm run bench:feeder-accept [-- --baseline <checkout> --rounds 3 --events 200000]
 * With --baseline, that checkout's feeder runs in the same process, rounds alternating, so the ratio is
 * one run's.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import type { PassportEvent } from '../systems/passport/events.js';

const { values } = parseArgs({
  options: { baseline: { type: 'string' }, rounds: { type: 'string', default: '3' }, events: { type: 'string', default: '200000' } },
});
const ROUNDS = Number(values.rounds);
const EVENTS = Number(values.events);
const ARTISTS = 40;
const USERS = 1500;

interface FeederLike {
  accept(events: readonly PassportEvent[]): void;
  stop(timeoutMs?: number): Promise<number>;
  stats(): { events: number };
}
type FeederClass = new (options: Record<string, unknown>) => FeederLike;

/** Flushes far apart and no bound reached, so the pending maps grow as they would between two flushes; caches as the config's defaults. */
const TUNING = {
  flushIntervalMs: 60_000,
  unwatchedFlushMs: 60_000,
  maxBatchKeys: 1_000_000,
  maxPendingKeys: 1_000_000,
  lookupCacheSize: 100_000,
  cityTtlMs: 600_000,
  maxRetryDelayMs: 5_000,
};

/** A store whose writes never settle: flushes start but nothing is written back, so only `accept` costs. */
const stalledStore = { kind: 'local', incrementMany: () => new Promise<void>(() => undefined) };
const log = pino({ level: 'silent' });

function eventMix(count: number): PassportEvent[][] {
  const now = Date.now();
  const calls: PassportEvent[][] = [];
  let n = 0;
  const base = (i: number, eventType: string, eventCategory: string, payload: Record<string, unknown>): PassportEvent =>
    ({
      eventId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      eventType,
      eventCategory,
      userId: `10000000-0000-4000-8000-${String(i % USERS).padStart(12, '0')}`,
      sessionId: `s${i % USERS}`,
      deviceId: `d${i % USERS}`,
      occurredAt: now,
      receivedAt: now,
      entityType: 'artist',
      entityId: String(payload.artistId ?? ''),
      payload,
      source: 'room',
    }) as unknown as PassportEvent;
  while (n < count) {
    const a = n % ARTISTS;
    const artistId = `artist_${a}`;
    const roll = n % 20;
    if (roll < 16) {
      calls.push([
        base(n, 'station.loaded', 'station', { artistId, frequency: 88 + a / 2, method: 'swipe' }),
        base(n + 1, 'station.visited', 'station', {
          artistId,
          artistName: `Artist ${a}`,
          frequency: 88 + a / 2,
          method: 'swipe',
          cameFrom: `artist_${(a + 1) % ARTISTS}`,
          orbId: null,
          relationship: null,
        }),
      ]);
      n += 2;
    } else if (roll < 19) {
      calls.push([base(n, 'constellation.captured', 'constellation', { artistId, artistName: `Artist ${a}`, position: { x: 1, y: 2, z: 3 }, totalStars: 3 })]);
      n += 1;
    } else {
      calls.push([base(n, 'orb.tapped', 'orb', { fromArtistId: artistId, toArtistId: `artist_${(a + 7) % ARTISTS}`, orbId: 'o1' })]);
      n += 1;
    }
  }
  return calls;
}

async function load(dir: string): Promise<FeederClass> {
  const mod = (await import(path.join(path.resolve(dir), 'features/leaderboard/LeaderboardFeeder.ts'))) as { LeaderboardFeeder: FeederClass };
  return mod.LeaderboardFeeder;
}

/** CPU ns per event for one pass over the mix (a new feeder each pass: the same pending-map growth). */
async function measure(Feeder: FeederClass, calls: PassportEvent[][]): Promise<number> {
  const feeder = new Feeder({ store: stalledStore, log, ...TUNING });
  const start = process.cpuUsage();
  for (const events of calls) feeder.accept(events);
  const used = process.cpuUsage(start);
  const events = feeder.stats().events;
  void feeder.stop(0);
  return ((used.user + used.system) * 1000) / events;
}

const calls = eventMix(EVENTS);
const sides: Array<[string, FeederClass]> = [['this checkout', await load(path.resolve(import.meta.dirname, '..'))]];
if (values.baseline) sides.unshift([`baseline ${values.baseline}`, await load(values.baseline)]);
for (const [, Feeder] of sides) await measure(Feeder, calls); // warm-up (JIT)
for (let r = 1; r <= ROUNDS; r++) {
  const figures = [];
  for (const [label, Feeder] of sides) figures.push([label, await measure(Feeder, calls)] as const);
  const line = figures.map(([label, ns]) => `${label} ${ns.toFixed(0)} ns/event`).join(' · ');
  const ratio = figures.length === 2 ? ` · ${(figures[0][1] / figures[1][1]).toFixed(2)}× less` : '';
  process.stdout.write(`round ${r}: feeder accept CPU, ${EVENTS} events: ${line}${ratio}\n`);
}
process.exit(0);
