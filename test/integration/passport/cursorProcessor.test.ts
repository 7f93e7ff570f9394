import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { PassportWriter } from '../../../features/passport/PassportWriter.js';
import { CursorProcessor } from '../../../features/passport/CursorProcessor.js';
import { COLISEUM_ROLLUPS_CURSOR, leaderboardRollups } from '../../../persistence/leaderboard/rollups.js';
import { bucketStart, makeEvent, type EventType, type PassportEvent, type PayloadOf } from '../../../systems/passport/index.js';
import { writerOptions } from '../../support/config.js';

const silent = pino({ level: 'silent' });
const NOW = Date.parse('2025-01-06T14:30:00Z'); // a Monday
const SUNDAY_NIGHT = Date.parse('2025-01-05T23:30:00Z');
const MONDAY_MORNING = Date.parse('2025-01-06T00:10:00Z');

describe('CursorProcessor + coliseum rollups (real Postgres)', function () {
  this.timeout(30_000);
  let db: TestDatabase;
  let writer: PassportWriter;
  let lagos: string;
  let nowhere: string;

  const ev = <T extends EventType>(type: T, payload: PayloadOf<T>, at: number, userId = lagos): PassportEvent =>
    makeEvent(type, { payload, occurredAt: at } as never, { source: 'room', userId, sessionId: 's1' }, NOW, randomUUID) as PassportEvent;

  async function log(events: PassportEvent[]): Promise<void> {
    await writer.enqueueDurable(events, 5000);
  }
  const value = async (entityType: string, entityId: string, metric: string, period: 'hour' | 'day' | 'week' | 'month' | 'all', at = NOW) => {
    const [row] = await db.sql.query<{ value: string }>(
      `SELECT value FROM coliseum_metrics WHERE entity_type = ? AND entity_id = ? AND metric = ? AND period = ? AND bucket_start = ?`,
      [entityType, entityId, metric, period, new Date(bucketStart(period, at))],
    );
    return Number(row?.value ?? 0);
  };
  /** One metric's all-time scores, highest first (ties by id), optionally of one family key (`evt_1>`). */
  const allTimeScores = async (entityType: string, metric: string, options: { limit?: number; entityIdPrefix?: string } = {}) =>
    (
      await db.sql.query<{ entity_id: string; value: string }>(
        `SELECT entity_id, value FROM coliseum_metrics WHERE entity_type = ? AND metric = ? AND period = 'all' AND starts_with(entity_id, ?)
          ORDER BY value DESC, entity_id LIMIT ${options.limit ?? 100}`,
        [entityType, metric, options.entityIdPrefix ?? ''],
      )
    ).map((r) => ({ entityId: r.entity_id, value: Number(r.value) }));
  const processor = (options: Partial<ConstructorParameters<typeof CursorProcessor>[3]> = {}) =>
    new CursorProcessor(db.sql, leaderboardRollups(), silent, { batchSize: 5000, ...options });

  before(async () => {
    db = await createTestDatabase();
    writer = new PassportWriter(db.sql, writerOptions({ flushIntervalMs: 5 }), silent);
    lagos = randomUUID();
    nowhere = randomUUID();
    await db.sql.query(`INSERT INTO users (id, device_id, city) VALUES (?, 'd-lagos', 'Lagos'), (?, 'd-none', NULL)`, [lagos, nowhere]);
  });
  after(async () => {
    await writer?.stop();
    await db?.drop();
  });

  it('counts visits, captures, orb transitions, votes and city engagement per period bucket', async () => {
    await log([
      ev('station.visited', { artistId: 'fela', frequency: 102.7, method: 'orb' }, NOW),
      ev('station.visited', { artistId: 'fela', frequency: 102.7, method: 'swipe' }, NOW - 3_600_000),
      ev('station.locked', { frequency: 102.7, artistId: 'fela' }, NOW),
      ev('station.visited', { artistId: 'burna', frequency: 105.5, method: 'tune' }, NOW, nowhere),
      ev('constellation.captured', { artistId: 'fela', position: { x: 40, y: 180, z: -80 } }, NOW),
      ev('orb.tapped', { fromArtistId: 'burna', toArtistId: 'fela', orbId: 'orb_1' }, NOW),
      ev('orb.tapped', { fromArtistId: 'burna', toArtistId: 'fela' }, NOW),
      ev('concierto.vote_cast', { eventId: 'evt_1', voteFor: 'fela', weight: 3 }, NOW),
      ev('concierto.vote_cast', { eventId: 'evt_1', voteFor: 'burna' }, NOW),
      ev('concierto.vote_cast', { eventId: 'evt_2', voteFor: 'fela' }, NOW),
      ev('concierto.event_attended', { eventId: 'evt_1', city: 'Boston' }, NOW, nowhere),
      ev('sensor.batch', { samples: 3, totalDuration: 2 }, NOW), // not engagement
      ev('station.visited', { artistId: 'wizkid', frequency: 99.9, method: 'swipe' }, SUNDAY_NIGHT, nowhere),
      ev('station.visited', { artistId: 'wizkid', frequency: 99.9, method: 'swipe' }, MONDAY_MORNING, nowhere),
    ]);
    assert.equal(await processor().runOnce(), 14);

    assert.equal(await value('artist', 'fela', 'station_visits', 'hour'), 2, 'visit + lock this hour');
    assert.equal(await value('artist', 'fela', 'station_visits', 'hour', NOW - 3_600_000), 1, 'the earlier hour');
    assert.equal(await value('artist', 'fela', 'station_visits', 'day'), 3);
    assert.equal(await value('artist', 'fela', 'station_visits', 'all'), 3);
    assert.equal(await value('artist', 'fela', 'captures', 'month'), 1);
    assert.equal(await value('orb_transition', 'burna>fela', 'transitions', 'week'), 2);
    assert.equal(await value('vote_option', 'evt_1>fela', 'votes', 'day'), 3, 'votes sum their weight');
    assert.equal(await value('concierto_event', 'evt_1', 'attendance', 'all'), 1);
    assert.equal(await value('city', 'Lagos', 'engagement', 'day'), 9, "the user's city: 3 station, 1 capture, 2 orbs, 3 votes (sensor batches do not count)");
    assert.equal(await value('city', 'Boston', 'engagement', 'day'), 1, 'a payload city counts for users without one');
    assert.equal(await value('artist', 'wizkid', 'station_visits', 'week', SUNDAY_NIGHT), 1, 'Sunday is in the previous ISO week');
    assert.equal(await value('artist', 'wizkid', 'station_visits', 'week', MONDAY_MORNING), 1);
    assert.equal(await value('artist', 'wizkid', 'station_visits', 'month'), 2);

    assert.deepEqual(await allTimeScores('vote_option', 'votes', { entityIdPrefix: 'evt_1>' }), [
      { entityId: 'evt_1>fela', value: 3 },
      { entityId: 'evt_1>burna', value: 1 },
    ]);
    assert.deepEqual(
      (await allTimeScores('artist', 'station_visits', { limit: 2 })).map((s) => s.entityId),
      ['fela', 'wizkid'],
    );
  });

  it('a crash after the effect and before commit re-applies nothing twice', async () => {
    await log([
      ev('station.visited', { artistId: 'sade', frequency: 100.3, method: 'tune' }, NOW),
      ev('station.visited', { artistId: 'sade', frequency: 100.3, method: 'tune' }, NOW),
    ]);
    const crashing = processor({
      beforeCommit: () => {
        throw new Error('simulated crash after the effect');
      },
    });
    await assert.rejects(crashing.runOnce(), /simulated crash/);
    assert.equal(await value('artist', 'sade', 'station_visits', 'all'), 0, 'the effect rolled back with the transaction');
    assert.equal(await processor().runOnce(), 2);
    assert.equal(await processor().runOnce(), 0, 'caught up: the cursor moved');
    assert.equal(await value('artist', 'sade', 'station_visits', 'all'), 2, 'counted exactly once');
  });

  it('only reads rows after its cursor, and two concurrent processors never double-apply', async () => {
    const events = Array.from({ length: 300 }, () => ev('orb.tapped', { fromArtistId: 'x', toArtistId: 'y' }, NOW));
    await log(events);
    const a = processor({ batchSize: 7 });
    const b = processor({ batchSize: 11 });
    const processed = await Promise.all([a.catchUp(), b.catchUp(), a.catchUp(), b.catchUp()]);
    const total = processed.reduce((x, y) => x + y, 0) + (await a.catchUp()) + (await b.catchUp());
    assert.equal(total, 300, 'every row processed exactly once across processors');
    assert.equal(await value('orb_transition', 'x>y', 'transitions', 'all'), 300);
    const lag = await a.lag();
    assert.equal(lag.behind, 0);
    const [cursor] = await db.sql.query<{ last_id: string }>('SELECT last_id::text AS last_id FROM processor_cursors WHERE name = ?', [
      COLISEUM_ROLLUPS_CURSOR,
    ]);
    assert.equal(cursor.last_id, lag.headId);
  });

  it('start/stop polls until caught up', async () => {
    await log([ev('player.track_played', { trackId: 't1', artistId: 'fela' }, NOW)]);
    const p = processor();
    p.start(20);
    for (let i = 0; i < 50 && (await value('track', 't1', 'plays', 'all')) === 0; i++) await new Promise((r) => setTimeout(r, 20));
    await p.stop();
    assert.equal(await value('track', 't1', 'plays', 'all'), 1);
    assert.equal(await value('artist', 'fela', 'plays', 'all'), 1);
  });

  it('a tick is one transaction: the cursor row is made on the first, and again after it was deleted', async () => {
    await log([ev('player.track_played', { trackId: 't2', artistId: 'fela' }, NOW)]);
    const sent: string[] = [];
    const counted = { ...db.sql, query: (text: string, params?: unknown[]) => (sent.push(text), db.sql.query(text, params)) } as typeof db.sql;
    const name = `probe_${randomUUID()}`;
    const applied: string[] = [];
    const p = new CursorProcessor(counted, { name, apply: async (_tx, from, to) => void applied.push(`${from}..${to}`) }, silent, { batchSize: 5000 });
    const made = () => sent.filter((t) => t.startsWith('INSERT INTO processor_cursors')).length;
    assert.ok((await p.runOnce()) > 0);
    assert.equal(await p.runOnce(), 0);
    assert.equal(await p.runOnce(), 0);
    assert.deepEqual([made(), sent.length], [1, 1], 'three ticks: the row made once, nothing else outside their transactions');
    await db.sql.query(`DELETE FROM processor_cursors WHERE name = ?`, [name]);
    assert.equal(await p.runOnce(), 0, 'the row is gone: nothing to lock');
    assert.ok((await p.runOnce()) > 0, 'made again, from the start of the log');
    assert.equal(made(), 2);
    assert.equal(applied.length, 2);
    // Held by another process: skipped, and not made again (a statement a tick for every process but the holder).
    await db.sql.transaction(async (tx) => {
      await tx.query(`SELECT 1 FROM processor_cursors WHERE name = ? FOR UPDATE`, [name]);
      await log([ev('player.track_played', { trackId: 't3', artistId: 'fela' }, NOW)]);
      assert.equal(await p.runOnce(), 0, 'held elsewhere: nothing applied');
      assert.equal(await p.runOnce(), 0);
    });
    assert.equal(made(), 2, 'a held row is not made again');
    assert.ok((await p.runOnce()) > 0, 'released: the next tick applies the new row');
    assert.equal(applied.length, 3);
  });
});
