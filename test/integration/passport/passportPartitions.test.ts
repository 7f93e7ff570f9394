import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { useTestDatabase } from '../../support/db.js';
import { createCopySink } from '../../../persistence/passport/copySink.js';
import { PassportPartitions } from '../../../persistence/passport/PassportPartitions.js';
import { CursorProcessor } from '../../../features/passport/CursorProcessor.js';
import { leaderboardRollups } from '../../../persistence/leaderboard/rollups.js';
import { OpsRepository } from '../../../persistence/ops/OpsRepository.js';
import { validateEvent, type PassportEvent } from '../../../systems/passport/index.js';
import { addMonths, monthOf, monthStart, partitionName } from '../../../systems/passport/partitions.js';

const silent = pino({ level: 'silent' });

/** One client event as the HTTP route validates it, received at `receivedAtMs` (occurredAt omitted: defaults to it). */
function received(input: Record<string, unknown>, receivedAtMs: number): PassportEvent {
  const result = validateEvent(input, { source: 'http', receivedAtMs, newId: randomUUID, maxAgeMs: 10 * 365 * 86_400_000 });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.event;
}

describe('passport partitioned by month (migration 008)', function () {
  this.timeout(60_000);
  const database = useTestDatabase();
  const count = async (sql: string, params: unknown[] = []) => Number((await database().sql.query<{ n: number }>(sql, params))[0].n);
  const where = async (eventId: string) =>
    database().sql.query<{ part: string; received_at: Date }>(`SELECT tableoid::regclass::text AS part, received_at FROM passport_entries WHERE event_id = ?`, [
      eventId,
    ]);

  it('stores a retried event once, even when the retry (occurredAt omitted) is received in the next month', async () => {
    const sink = createCopySink({ url: database().url, log: silent, queryTimeoutMs: 30_000, concurrency: 1, copyMinEvents: Number.MAX_SAFE_INTEGER });
    try {
      const next = addMonths(monthOf(Date.now()), 1);
      const lastMsOfMonth = monthStart(next) - 1;
      const eventId = randomUUID();
      const body = { eventId, eventType: 'player.like', userId: randomUUID(), payload: { trackId: 't-retry' } };
      const first = received(body, lastMsOfMonth);
      const retry = received(body, monthStart(next) + 1500);
      assert.notEqual(first.occurredAt, retry.occurredAt, 'the defaulted occurredAt differs between the tries');
      assert.equal((await sink.insert([first])).length, 1);
      assert.equal((await sink.insert([retry])).length, 0, 'the retry is recognised as stored');
      assert.equal((await sink.insert([retry, retry])).length, 0);
      const rows = await where(eventId);
      assert.equal(rows.length, 1);
      assert.equal(rows[0].part, partitionName(monthOf(lastMsOfMonth)), 'kept where the first try landed');
      // Within one batch too: the first occurrence wins.
      const twice = randomUUID();
      assert.equal((await sink.insert([received({ ...body, eventId: twice }, Date.now()), received({ ...body, eventId: twice }, Date.now() + 5)])).length, 1);
    } finally {
      await sink.close();
    }
  });

  it('keeps committing ids in order across partitions (a cursor never skips)', async () => {
    const sink = createCopySink({ url: database().url, log: silent, queryTimeoutMs: 30_000, concurrency: 1, copyMinEvents: Number.MAX_SAFE_INTEGER });
    try {
      const months = [-1, 0, 1].map((d) => monthStart(addMonths(monthOf(Date.now()), d)) + 3_600_000);
      // Interleave months inside one batch: ids follow the batch order, whatever partition a row lands in.
      const batch = months.flatMap((at, i) =>
        [0, 1].map((j) =>
          received({ eventType: 'station.visited', userId: randomUUID(), payload: { artistId: `a${i}${j}`, frequency: 99.9, method: 'swipe' } }, at),
        ),
      );
      await sink.insert(batch);
      const ids = await database().sql.query<{ id: string; artist: string }>(
        `SELECT id::text AS id, payload->>'artistId' AS artist FROM passport_entries WHERE payload->>'artistId' LIKE 'a__' ORDER BY id`,
      );
      assert.deepEqual(
        ids.map((r) => r.artist),
        ['a00', 'a01', 'a10', 'a11', 'a20', 'a21'],
      );
    } finally {
      await sink.close();
    }
  });

  it('creates partitions ahead, moving rows the default partition caught into their new month', async () => {
    const parts = new PassportPartitions(database().sql, { aheadMonths: 3, retentionMonths: 120, archiveMonths: 0, lockTimeoutMs: 5000 });
    const now = Date.now();
    const later = monthStart(addMonths(monthOf(now), 6)) + 86_400_000; // beyond what the migration created
    const sink = createCopySink({ url: database().url, log: silent, queryTimeoutMs: 30_000, concurrency: 1, copyMinEvents: Number.MAX_SAFE_INTEGER });
    const stray = received({ eventType: 'player.like', userId: randomUUID(), payload: { trackId: 't-future' } }, later);
    try {
      await sink.insert([stray]);
    } finally {
      await sink.close();
    }
    assert.equal((await where(stray.eventId))[0].part, 'passport_entries_default');
    const [{ id: before }] = await database().sql.query<{ id: string }>(`SELECT id::text AS id FROM passport_entries WHERE event_id = ?`, [stray.eventId]);

    const report = await parts.maintain(later);
    assert.deepEqual(
      report.created,
      [6, 7, 8, 9].map((d) => partitionName(addMonths(monthOf(now), d))),
    );
    assert.equal(report.movedFromDefault, 1);
    const [moved] = await database().sql.query<{ id: string; part: string }>(
      `SELECT id::text AS id, tableoid::regclass::text AS part FROM passport_entries WHERE event_id = ?`,
      [stray.eventId],
    );
    assert.deepEqual(moved, { id: before, part: partitionName(monthOf(later)) }, 'same id, its own month now');
    assert.equal(await count(`SELECT count(*)::int AS n FROM passport_event_ids WHERE event_id = ?`, [stray.eventId]), 1, 'moving does not release the id');
    assert.deepEqual((await parts.maintain(later)).created, [], 'idempotent');
  });

  it('retires months past retention: archived first when asked, dropped later, their event ids released', async () => {
    const sql = database().sql;
    const now = Date.now();
    const old = addMonths(monthOf(now), -13); // past 12 months of retention, within 12 + 2 of archive
    const archiveParts = new PassportPartitions(sql, { aheadMonths: 0, retentionMonths: 12, archiveMonths: 2, lockTimeoutMs: 2000 });
    await new PassportPartitions(sql, { aheadMonths: 0, retentionMonths: 120, archiveMonths: 0, lockTimeoutMs: 5000 }).maintain(monthStart(old) + 1000); // create the old month
    const sink = createCopySink({ url: database().url, log: silent, queryTimeoutMs: 30_000, concurrency: 1, copyMinEvents: Number.MAX_SAFE_INTEGER });
    const oldEvent = received({ eventType: 'player.like', userId: randomUUID(), payload: { trackId: 't-old' } }, monthStart(old) + 86_400_000);
    try {
      await sink.insert([oldEvent]);
    } finally {
      await sink.close();
    }
    assert.equal((await where(oldEvent.eventId))[0].part, partitionName(old));

    const report = await archiveParts.maintain(now);
    assert.ok(report.archived.includes(partitionName(old)), JSON.stringify(report));
    assert.ok(report.releasedIds >= 1);
    assert.equal((await where(oldEvent.eventId)).length, 0, 'gone from passport_entries');
    assert.equal(await count(`SELECT count(*)::int AS n FROM passport_archive.${partitionName(old)}`), 1, 'kept in the archive schema');
    assert.equal(await count(`SELECT count(*)::int AS n FROM passport_event_ids WHERE event_id = ?`, [oldEvent.eventId]), 0);

    const later = await new PassportPartitions(sql, { aheadMonths: 0, retentionMonths: 12, archiveMonths: 1, lockTimeoutMs: 5000 }).maintain(now);
    assert.ok(later.dropped.includes(`passport_archive.${partitionName(old)}`), JSON.stringify(later));
    assert.equal(await count(`SELECT count(*)::int AS n FROM pg_class WHERE relname = ?`, [partitionName(old)]), 0);
  });

  it('lets the cursor consumers and the DIA timeline read across partitions', async () => {
    const sql = database().sql;
    const userId = randomUUID();
    await sql.query(`INSERT INTO users (id, device_id) VALUES (?, ?)`, [userId, `dev-${userId}`]);
    const sink = createCopySink({ url: database().url, log: silent, queryTimeoutMs: 30_000, concurrency: 1, copyMinEvents: Number.MAX_SAFE_INTEGER });
    const months = [-1, 0, 2].map((d) => monthStart(addMonths(monthOf(Date.now()), d)) + 7_200_000);
    try {
      for (const at of months)
        await sink.insert([received({ eventType: 'station.visited', userId, payload: { artistId: 'artist_across', frequency: 99.9, method: 'tune' } }, at)]);
    } finally {
      await sink.close();
    }
    const parts = await sql.query<{ part: string }>(`SELECT DISTINCT tableoid::regclass::text AS part FROM passport_entries WHERE user_id = ?`, [userId]);
    assert.equal(parts.length, 3, 'three partitions hold them');

    const processor = new CursorProcessor(sql, leaderboardRollups('partition_probe'), silent, { batchSize: 2 });
    await processor.catchUp();
    const [all] = await sql.query<{ value: string }>(
      `SELECT value::text FROM coliseum_metrics WHERE entity_id = 'artist_across' AND metric = 'station_visits' AND period = 'all'`,
    );
    assert.equal(Number(all.value), 3, 'every partition was read, in batches of 2');
    assert.equal((await processor.lag()).behind, 0);

    const ops = new OpsRepository(sql);
    const page1 = await ops.timeline(userId, { limit: 2 });
    const page2 = await ops.timeline(userId, { limit: 2, before: page1.nextCursor! });
    const times = [...page1.entries, ...page2.entries].map((e) => Date.parse(e.occurredAt));
    assert.deepEqual(times, [...months].reverse(), 'newest first across partitions, no gaps');
    assert.equal(page2.nextCursor, null);
  });
});
