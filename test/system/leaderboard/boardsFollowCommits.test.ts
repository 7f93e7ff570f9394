import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { Redis } from 'ioredis';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { redisUrl } from '../../support/postgres.js';
import { deleteKeysWithPrefix } from '../../support/redis.js';
import { defaults, writerOptions } from '../../support/config.js';
import { makeEvent, type EventType, type PassportEvent, type PayloadOf } from '../../../systems/passport/index.js';
import { mulberry32, type Rng } from '../../../systems/constellation/constellation.js';
import { STATIC_LEADERBOARDS, leaderboardDefinition } from '../../../systems/leaderboard/leaderboards.js';
import type { LeaderboardStore } from '../../../systems/leaderboard/windows.js';
import { LeaderboardFeeder } from '../../../features/leaderboard/LeaderboardFeeder.js';
import { readKpis, readLeaderboard } from '../../../features/leaderboard/boards.js';
import { restoreLeaderboardsFromRollups } from '../../../features/leaderboard/boards.js';
import { PassportWriter } from '../../../features/passport/PassportWriter.js';
import { CursorProcessor } from '../../../features/passport/CursorProcessor.js';
import { sqlSink, type PassportSink } from '../../../persistence/passport/sinks.js';
import { LocalLeaderboardStore } from '../../../persistence/leaderboard/LocalLeaderboardStore.js';
import { RedisLeaderboardStore } from '../../../persistence/leaderboard/RedisLeaderboardStore.js';
import { leaderboardRollups } from '../../../persistence/leaderboard/rollups.js';
import { sqlRollupReads } from '../../../persistence/leaderboard/rollups.js';

const silent = pino({ level: 'silent' });
/** Chances that one sink call fails before its insert, fails after its commit, and that an event is bad data. */
const FAIL_BEFORE = 0.05;
const FAIL_AFTER = 0.05;
const BAD = 0.05;
const USERS = Array.from({ length: 3 }, () => randomUUID());
/** Every fixed board, and boards of the families: an event's attendees, money spent and earned per currency. */
const BOARDS = [
  ...Object.values(STATIC_LEADERBOARDS).map((b) => b.name),
  ...[
    'engagement.evt_1',
    'engagement.evt_2',
    'revenue.usd',
    'events.revenue.usd',
    'spent.usd',
    'spent.ngn',
    'earned.usd',
    'artists.earned.usd',
    'events.earned.usd',
  ],
];

function ev<T extends EventType>(type: T, payload: PayloadOf<T>, userId: string): PassportEvent {
  return makeEvent(type, { payload }, { userId, sessionId: 's-1', deviceId: 'd-1', source: 'http' }, Date.now(), randomUUID) as PassportEvent;
}

/** One random event; about one in twenty carries a NUL, which Postgres refuses as data (a dead letter). */
function randomEvent(rng: Rng): PassportEvent {
  const user = USERS[Math.floor(rng() * USERS.length)]!;
  const n = Math.floor(rng() * 4);
  const roll = rng();
  const money = { amountCents: 100 * (1 + n), currency: n % 2 ? 'usd' : 'ngn', artistId: `artist_${n}`, eventId: `evt_${n}` };
  const event =
    roll < 0.4
      ? ev('player.track_played', { trackId: `t${n}`, artistId: `artist_${n}`, ...(n % 2 ? { eventId: `evt_${n}` } : {}) }, user)
      : roll < 0.65
        ? ev('station.visited', { artistId: `artist_${n}`, frequency: 99.9, method: 'swipe' }, user)
        : roll < 0.8
          ? ev('concierto.event_attended', { eventId: `evt_${n}` }, user)
          : roll < 0.9
            ? ev('treasury.purchase_completed', money, user)
            : roll < 0.95
              ? ev('treasury.money_earned', { ...money, currency: 'usd' }, user)
              : ev('social.link_shared', { linkId: 'AAAAAAAAAAAAAAAAAAAAA' + n, targetType: 'event', eventId: `evt_${n}` }, user);
  if (rng() < BAD) (event.payload as Record<string, unknown>).note = 'bad\u0000byte';
  return event;
}

/** The real sink, failing at random: before the insert (nothing stored) or after its commit (stored, not acknowledged). */
function flakySink(inner: PassportSink, rng: Rng): PassportSink {
  const reset = () => Object.assign(new Error('Connection terminated unexpectedly'), { code: 'ECONNRESET' });
  return {
    insert: async (events, flightId) => {
      const roll = rng();
      if (roll < FAIL_BEFORE) throw reset();
      const stored = await inner.insert(events, flightId);
      if (roll < FAIL_BEFORE + FAIL_AFTER) throw reset();
      return stored;
    },
    deadLetter: inner.deadLetter,
  };
}

async function standings(store: LeaderboardStore, at: number): Promise<unknown> {
  const out: Record<string, unknown> = {};
  for (const name of BOARDS)
    for (const window of ['hour', 'day', 'all'] as const)
      out[`${name} ${window}`] = (await readLeaderboard(store, leaderboardDefinition(name)!, window, 50, at)).map((e) => [e.entityId, e.score]);
  out.kpis = (await readKpis(store, { activeSessions: 0, spectators: 0 }, at)).map((k) => [k.key, k.value]);
  return out;
}

/**
 * Property: whatever the interleaving of batches, client replays, failed and ambiguous commits, dead
 * letters and a restart in the middle, the live boards equal the boards rebuilt from the rollups.
 */
describe('live boards follow commits (property, random interleavings)', function () {
  this.timeout(120_000);
  let redis: Redis;
  const prefix = `test:follow:${randomUUID().slice(0, 8)}:`;
  let n = 0;
  const kinds: Array<[string, () => LeaderboardStore]> = [
    ['local', () => new LocalLeaderboardStore()],
    ['redis', () => new RedisLeaderboardStore({ redis, prefix: `${prefix}${n++}:`, unionCacheMs: 0 })],
  ];
  before(() => (redis = new Redis(redisUrl())));
  after(async () => {
    await deleteKeysWithPrefix(redis, prefix);
    await redis.quit();
  });

  for (const [kind, makeStore] of kinds) {
    for (const seed of [1, 2, 3]) {
      it(`${kind} store, seed ${seed}: live equals rebuilt from the rollups`, async () => {
        const db: TestDatabase = await createTestDatabase();
        const rng = mulberry32(seed * 7919);
        try {
          const sent: PassportEvent[] = [];
          const rollups = new CursorProcessor(db.sql, leaderboardRollups(), silent, { batchSize: 5000 });
          let live = makeStore();
          for (const phase of [0, 1]) {
            const writer = new PassportWriter(
              flakySink(sqlSink(db.sql), rng),
              writerOptions({ flushIntervalMs: 5, baseRetryDelayMs: 5, maxRetryDelayMs: 20, batchSize: 40 }),
              silent,
            );
            const feeder = new LeaderboardFeeder({ ...defaults.leaderboard, store: live, log: silent, flushIntervalMs: 5 }).attach(writer);
            for (let round = 0; round < 12; round++) {
              const batch = Array.from({ length: 1 + Math.floor(rng() * 30) }, () =>
                sent.length > 0 && rng() < 0.2 ? sent[Math.floor(rng() * sent.length)]! : randomEvent(rng),
              );
              sent.push(...batch);
              writer.enqueue(batch);
              if (rng() < 0.3) await writer.drain(30_000);
            }
            await writer.drain(30_000);
            await feeder.flush();
            await feeder.stop();
            await writer.stop();
            if (phase === 0) {
              // A restart: the new process's boards come from the rollups, then live events add to them.
              await rollups.catchUp();
              live = makeStore();
              await restoreLeaderboardsFromRollups(sqlRollupReads(db.sql), live, Date.now(), { limitPerBucket: 5000 });
            }
          }
          await rollups.catchUp();
          const rebuilt = makeStore();
          await restoreLeaderboardsFromRollups(sqlRollupReads(db.sql), rebuilt, Date.now(), { limitPerBucket: 5000 });
          const at = Date.now();
          const liveStandings = (await standings(live, at)) as Record<string, unknown[]>;
          assert.deepEqual(liveStandings, await standings(rebuilt, at));
          for (const board of ['engagement.evt_1', 'spent.usd', 'earned.usd', 'events.revenue.usd'])
            assert.ok(liveStandings[`${board} all`]!.length > 0, `${board} was exercised`);
          const [{ dead }] = await db.sql.query<{ dead: number }>('SELECT count(*)::int AS dead FROM passport_dead_letters');
          assert.ok(dead > 0 && sent.length > 100, `the run exercised dead letters (${dead}) over ${sent.length} sends`);
        } finally {
          await db.drop();
        }
      });
    }
  }
});
