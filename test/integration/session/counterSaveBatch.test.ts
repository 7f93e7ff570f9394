import assert from 'node:assert/strict';
import { useTestDatabase } from '../../support/db.js';
import { insertUser } from '../../support/auth.js';
import type { Sql } from '../../../persistence/db.js';
import { counterSaveBatch } from '../../../persistence/session/counterSaveBatch.js';
import { SessionRepository, type SessionCounters, type SessionHolder } from '../../../persistence/session/SessionRepository.js';

const T0 = Date.parse('2025-01-06T15:00:00Z');
const ROW = `SELECT last_active, ended_at, current_frequency::float8 AS frequency, current_artist_id AS artist, total_interactions AS interactions, total_swipes AS swipes,
  total_orbs_explored AS orbs, total_captures AS captures, sensor_engagement_count AS engagements, sensor_seconds, resume_count FROM sessions WHERE id = ?`;

/** A timestamp column as epoch ms (the driver gives strings or Dates). */
const ms = (v: unknown): number | null => (v === null ? null : new Date(v as string).getTime());

const counters = (i: number, sensorSeconds?: number): SessionCounters => ({
  frequency: 88.1 + i,
  artistId: i % 2 ? `artist_${i}` : null,
  interactions: 10 + i,
  swipes: 5 + i,
  orbsExplored: i,
  captures: i % 3,
  sensorEngagements: 2 * i,
  ...(sensorSeconds === undefined ? {} : { sensorSeconds }),
});

/** Counter saves of many sessions in one UPDATE: each row as the one-row statement writes it (real Postgres). */
describe('CounterSaveBatch (all waiting sessions in one statement, real Postgres)', function () {
  this.timeout(30_000);
  const database = useTestDatabase();
  let statements = 0;
  let counted: Sql;
  let single: SessionRepository;

  before(() => {
    const { sql, orm } = database();
    counted = { query: (text, params) => (statements++, sql.query(text, params)), transaction: (work) => sql.transaction(work) };
    single = new SessionRepository(orm);
  });
  beforeEach(() => (statements = 0));

  /** A session of a new user with sensor seconds already stored, so "absent" and "present" differ. */
  async function session(): Promise<SessionHolder> {
    const joined = await single.join(await insertUser(database().sql), T0);
    await database().sql.query('UPDATE sessions SET sensor_seconds = 7.5 WHERE id = ?', [joined.sessionId]);
    return joined;
  }
  const row = async (id: string) => (await database().sql.query<Record<string, unknown>>(ROW, [id]))[0];
  const batchOf = (intervalMs = 50) => counterSaveBatch(counted, { intervalMs, maxItems: 100, maxWaiting: 2000 });

  it("N sessions' saves in one window are one UPDATE, each row exactly as the one-row statement writes it", async () => {
    const n = 8;
    const plans = Array.from({ length: n }, (_, i) => ({ c: counters(i, i % 2 ? 30 + i : undefined), at: T0 + 60_000 + i * 1000, ended: i % 3 === 0 }));
    const batched = await Promise.all(plans.map(() => session()));
    const reference = await Promise.all(plans.map(() => session()));
    const batch = batchOf();
    const written = await Promise.all(plans.map((p, i) => batch.add({ holder: batched[i], counters: p.c, nowMs: p.at, ended: p.ended })));
    assert.deepEqual(
      written,
      plans.map(() => true),
    );
    assert.equal(statements, 1, 'one statement for all the sessions');
    assert.equal(batch.stats().flushes, 1);
    for (const [i, p] of plans.entries()) await single.saveCounters(reference[i], p.c, p.at, p.ended);
    for (const [i, p] of plans.entries()) {
      const got = await row(batched[i].sessionId);
      assert.deepEqual(got, await row(reference[i].sessionId), `session ${i}`);
      assert.equal(ms(got.ended_at), p.ended ? p.at : null, `ended_at of session ${i}`);
      assert.equal(got.sensor_seconds, p.c.sensorSeconds ?? 7.5, `sensor_seconds of session ${i}: absent leaves it as stored`);
      assert.equal(ms(got.last_active), p.at);
    }
    await batch.close();
  });

  it('one holder twice in a flush: the later save wins, but an open save never replaces an ending one', async () => {
    const [later, ending, reopened] = [await session(), await session(), await session()];
    const batch = batchOf();
    await Promise.all([
      batch.add({ holder: later, counters: counters(1), nowMs: T0 + 1000, ended: false }),
      batch.add({ holder: later, counters: counters(2), nowMs: T0 + 2000, ended: false }),
      batch.add({ holder: ending, counters: counters(3), nowMs: T0 + 3000, ended: true }),
      batch.add({ holder: ending, counters: counters(4), nowMs: T0 + 4000, ended: false }),
      batch.add({ holder: reopened, counters: counters(5), nowMs: T0 + 5000, ended: false }),
      batch.add({ holder: reopened, counters: counters(6), nowMs: T0 + 6000, ended: true }),
    ]);
    assert.equal(statements, 1);
    assert.deepEqual([(await row(later.sessionId)).interactions, (await row(later.sessionId)).ended_at], [12, null]);
    const end = await row(ending.sessionId);
    assert.deepEqual([end.interactions, ms(end.ended_at)], [13, T0 + 3000], 'the ending save stands');
    const last = await row(reopened.sessionId);
    assert.deepEqual([last.interactions, ms(last.ended_at)], [16, T0 + 6000]);
    await batch.close();
  });

  it("only the latest resume's room writes: the older holder's save in the same statement writes nothing and says so", async () => {
    const old = await session();
    await single.saveCounters(old, counters(1), T0 + 1000, true);
    const resumed = await single.join(
      {
        ...(
          await database().sql.query<{ userId: string; deviceId: string }>('SELECT user_id AS "userId", device_id AS "deviceId" FROM sessions WHERE id = ?', [
            old.sessionId,
          ])
        )[0],
        lastSessionId: old.sessionId,
      },
      T0 + 2000,
    );
    assert.equal(resumed.resumeCount, 1);
    const batch = batchOf();
    const [stale, live] = await Promise.all([
      batch.add({ holder: old, counters: counters(9), nowMs: T0 + 3000, ended: true }),
      batch.add({ holder: resumed, counters: counters(4), nowMs: T0 + 3000, ended: false }),
    ]);
    assert.deepEqual([stale, live, statements], [false, true, 1]);
    const got = await row(old.sessionId);
    assert.deepEqual([got.interactions, got.ended_at, got.resume_count], [14, null, 1], "the live room's open save; the old room did not close it");
    await batch.close();
  });

  it('close() writes the saves still waiting (shutdown drains) and refuses later ones', async () => {
    const ids = [await session(), await session(), await session()];
    const batch = batchOf(60_000);
    const saving = ids.map((h, i) => batch.add({ holder: h, counters: counters(i, 1 + i), nowMs: T0 + 9000, ended: true }));
    await batch.close();
    assert.deepEqual(await Promise.all(saving), [true, true, true]);
    for (const [i, h] of ids.entries()) assert.deepEqual([(await row(h.sessionId)).interactions, ms((await row(h.sessionId)).ended_at)], [10 + i, T0 + 9000]);
    await assert.rejects(batch.add({ holder: ids[0], counters: counters(0), nowMs: T0, ended: false }), /closed/);
  });
});
