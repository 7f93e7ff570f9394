import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { useTestDatabase } from '../../support/db.js';
import { insertUser } from '../../support/auth.js';
import { CursorProcessor } from '../../../features/passport/CursorProcessor.js';
import { DNA_MIRRORING_CURSOR, dnaMirroring } from '../../../persistence/mediaid/dnaMirroring.js';
import { DnaRepository } from '../../../persistence/mediaid/DnaRepository.js';
import { halfLifeMs, mirror } from '../../../systems/mediaid/dna.js';
import { eventSignals } from '../../../systems/mediaid/signals.js';

const silent = pino({ level: 'silent' });
const DIMS = 8;
const H = halfLifeMs(30);
const DAY = 86_400_000;
const T0 = Date.parse('2026-10-01T12:00:00Z');

describe('DNA mirroring (passport cursor consumer)', function () {
  this.timeout(30_000);
  const db = useTestDatabase();
  let alice = '';
  let bob = '';
  const sent: Array<{ user: string; type: string; payload: Record<string, unknown>; at: number }> = [];

  async function log(user: string, type: string, payload: Record<string, unknown>, at: number): Promise<void> {
    sent.push({ user, type, payload, at });
    await db().sql.query(
      `INSERT INTO passport_entries (event_id, event_type, event_category, user_id, occurred_at, received_at, payload, source) VALUES (?, ?, ?, ?::uuid, ?, now(), ?::jsonb, 'http')`,
      [randomUUID(), type, type.split('.')[0], user, new Date(at), JSON.stringify(payload)],
    );
  }

  /** What the pure function gives for everything sent so far for `user` (artist genres from the demo-free DB: none). */
  const expected = (user: string) =>
    mirror(
      null,
      sent.filter((e) => e.user === user).map((e) => ({ atMs: e.at, signals: eventSignals({ eventType: e.type, payload: e.payload, occurredAtMs: e.at }) })),
      DIMS,
      H,
    );

  async function stored(user: string) {
    const repo = new DnaRepository(db().sql, DIMS, H);
    return (await repo.dnaOf(user))!.dynamic!;
  }

  const closeVectors = (a: number[], b: number[]) => a.forEach((x, i) => assert.ok(Math.abs(x - b[i]) < 1e-4, `${x} ≉ ${b[i]} at ${i}`));

  before(async () => {
    alice = (await insertUser(db().sql)).userId;
    bob = (await insertUser(db().sql)).userId;
    await log(alice, 'player.track_played', { trackId: 't1', artistId: 'artist_x' }, T0);
    await log(alice, 'player.like', { trackId: 't1', artistId: 'artist_x' }, T0 + DAY);
    await log(bob, 'concierto.event_attended', { eventId: 'e1', city: 'Lagos' }, T0);
    await log(alice, 'treasury.money_spent', { amountCents: 1500, currency: 'USD', reason: 'ticket' }, T0 + 30 * DAY);
    await log(bob, 'concierto.vote_cast', { eventId: 'e1', voteFor: 'artist_x' }, T0 + 2 * DAY);
    await log(randomUUID(), 'player.like', { trackId: 't9', artistId: 'artist_y' }, T0); // a user the server does not know: skipped
  });

  it("evolves each user's domains with carbon decay, exactly as the pure mirror does", async () => {
    const processor = new CursorProcessor(db().sql, dnaMirroring({ dims: DIMS, halfLifeMs: H }), silent, { batchSize: 100 });
    assert.equal(await processor.runOnce(), 6);
    const a = await stored(alice);
    const want = expected(alice);
    assert.equal(a.signals, 3);
    assert.equal(a.refMs, T0 + 30 * DAY);
    for (const d of ['cultural', 'behavioral', 'economic', 'spatial'] as const) closeVectors(a.vectors[d], want.vectors[d]);
    assert.ok(
      a.vectors.economic.some((x) => x !== 0),
      'the purchase reached the economic domain',
    );
    const b = await stored(bob);
    assert.ok(
      b.vectors.spatial.some((x) => x !== 0),
      'attending in Lagos reached the spatial domain',
    );
    const [{ n }] = await db().sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM dna_profiles`);
    assert.equal(n, 2, 'no profile for an unknown user');
  });

  it('resumes from its cursor after a crash without counting anything twice', async () => {
    await log(alice, 'player.track_played', { trackId: 't2', artistId: 'artist_z' }, T0 + 31 * DAY);
    await log(alice, 'player.track_played', { trackId: 't3', artistId: 'artist_z' }, T0 + 32 * DAY);
    await log(bob, 'player.like', { trackId: 't3', artistId: 'artist_z' }, T0 + 3 * DAY);
    const crashing = new CursorProcessor(db().sql, dnaMirroring({ dims: DIMS, halfLifeMs: H }), silent, {
      batchSize: 2,
      beforeCommit: () => {
        throw new Error('crash before commit');
      },
    });
    await assert.rejects(crashing.runOnce(), /crash before commit/);
    assert.equal((await stored(alice)).signals, 3, 'the rolled-back batch left no trace');
    const [{ last_id: before }] = await db().sql.query<{ last_id: string }>(`SELECT last_id::text AS last_id FROM processor_cursors WHERE name = ?`, [
      DNA_MIRRORING_CURSOR,
    ]);
    const processor = new CursorProcessor(db().sql, dnaMirroring({ dims: DIMS, halfLifeMs: H }), silent, { batchSize: 2 });
    assert.equal(await processor.catchUp(), 3);
    assert.equal(await processor.runOnce(), 0, 'caught up: a second run adds nothing');
    const [{ last_id: after }] = await db().sql.query<{ last_id: string }>(`SELECT last_id::text AS last_id FROM processor_cursors WHERE name = ?`, [
      DNA_MIRRORING_CURSOR,
    ]);
    assert.equal(Number(after) - Number(before), 3);
    const a = await stored(alice);
    assert.equal(a.signals, 5);
    closeVectors(a.vectors.cultural, expected(alice).vectors.cultural);
    const b = await stored(bob);
    assert.equal(b.signals, 3);
    closeVectors(b.vectors.cultural, expected(bob).vectors.cultural);
  });

  it('recomputes a user from the passport up to the cursor, giving the same DNA', async () => {
    const repo = new DnaRepository(db().sql, DIMS, H);
    const before = await stored(alice);
    const result = await repo.recompute(alice, 1000);
    assert.equal(result.events, 5);
    assert.equal(result.truncated, false);
    const after = await stored(alice);
    assert.equal(after.signals, 5);
    closeVectors(after.vectors.cultural, before.vectors.cultural);
    closeVectors(after.vectors.economic, before.vectors.economic);
    const cut = await repo.recompute(alice, 2);
    assert.deepEqual([cut.events, cut.truncated], [2, true]);
    await repo.recompute(alice, 1000);
  });

  it('a recompute ahead of the cursor is not counted again when the mirroring reaches those events', async () => {
    await log(alice, 'player.like', { trackId: 't4', artistId: 'artist_q' }, T0 + 33 * DAY);
    await log(bob, 'player.like', { trackId: 't4', artistId: 'artist_q' }, T0 + 33 * DAY);
    const repo = new DnaRepository(db().sql, DIMS, H);
    assert.equal((await repo.recompute(alice, 1000)).events, 6);
    const recomputed = await stored(alice);
    const processor = new CursorProcessor(db().sql, dnaMirroring({ dims: DIMS, halfLifeMs: H }), silent, { batchSize: 100 });
    assert.equal(await processor.runOnce(), 2);
    const a = await stored(alice);
    assert.equal(a.signals, 6, 'alice: the like was in the recompute already');
    closeVectors(a.vectors.cultural, recomputed.vectors.cultural);
    closeVectors(a.vectors.cultural, expected(alice).vectors.cultural);
    assert.equal((await stored(bob)).signals, 4, 'bob: mirrored as usual');
  });
});
