import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { useTestDatabase } from '../../support/db.js';
import { insertUser } from '../../support/auth.js';
import { CursorProcessor } from '../../../features/passport/CursorProcessor.js';
import { dnaMirroring } from '../../../persistence/mediaid/dnaMirroring.js';
import { DnaRepository } from '../../../persistence/mediaid/DnaRepository.js';
import { cosine, halfLifeMs, norm } from '../../../systems/mediaid/dna.js';
import { dnaTimeline } from '../../../systems/mediaid/dnaHistory.js';

const silent = pino({ level: 'silent' });
const DIMS = 8;
const H = halfLifeMs(30);

/**
 * Seed 002 "DNA evolution tracking over time": the mirroring snapshots a user's DNA when it changes (at most
 * once per interval), a recompute always does, the history keeps at most its bound per user, and the timeline
 * reads strength and drift from the snapshots as they were.
 */
describe('DNA evolution history (snapshots per recompute and mirroring, bounded)', function () {
  this.timeout(30_000);
  const db = useTestDatabase();
  let user = '';
  let other = '';

  async function log(who: string, type: string, payload: object): Promise<void> {
    await db().sql.query(
      `INSERT INTO passport_entries (event_id, event_type, event_category, user_id, occurred_at, received_at, payload, source) VALUES (?, ?, ?, ?::uuid, now(), now(), ?::jsonb, 'http')`,
      [randomUUID(), type, type.split('.')[0], who, JSON.stringify(payload)],
    );
  }
  const mirror = (history: { maxPerUser: number; minIntervalSec: number }) =>
    new CursorProcessor(db().sql, dnaMirroring({ dims: DIMS, halfLifeMs: H, history }), silent, { batchSize: 1000 }).catchUp();
  const count = async (who: string) => (await db().sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM dna_snapshots WHERE user_id = ?`, [who]))[0]!.n;

  before(async () => {
    user = (await insertUser(db().sql)).userId;
    other = (await insertUser(db().sql)).userId;
  });

  it('the mirroring snapshots a user whose DNA it changed, at most once per DNA_HISTORY_MIN_INTERVAL_SEC', async () => {
    await log(user, 'player.track_played', { trackId: 't1', artistId: 'artist_a' });
    await mirror({ maxPerUser: 3, minIntervalSec: 3600 });
    assert.equal(await count(user), 1);
    assert.equal(await count(other), 0, 'a user with no events has no snapshot');
    await log(user, 'concierto.event_attended', { eventId: 'e1', city: 'Lagos' });
    await mirror({ maxPerUser: 3, minIntervalSec: 3600 });
    assert.equal(await count(user), 1, 'changed again within the hour: no second snapshot');
    await log(user, 'player.like', { trackId: 't1', artistId: 'artist_a' });
    await mirror({ maxPerUser: 3, minIntervalSec: 0 });
    assert.equal(await count(user), 2);
  });

  it('a recompute always snapshots, and each user keeps at most DNA_HISTORY_MAX_PER_USER (the oldest go)', async () => {
    const repo = new DnaRepository(db().sql, DIMS, H, { maxPerUser: 3, minIntervalSec: 3600 });
    const [first] = await db().sql.query<{ id: string }>(`SELECT id::text AS id FROM dna_snapshots WHERE user_id = ? ORDER BY id LIMIT 1`, [user]);
    for (let i = 0; i < 3; i++) await repo.recompute(user, 1000);
    assert.equal(await count(user), 3);
    const kept = await repo.snapshots(user, 10);
    assert.ok(!kept.some((s) => s.id === first!.id), 'the oldest snapshot was dropped');
    assert.deepEqual(
      kept.map((s) => s.trigger),
      ['recompute', 'recompute', 'recompute'],
    );
  });

  it('reads the timeline from the snapshots: strength per domain as stored, drift against the snapshot before', async () => {
    await log(user, 'treasury.purchase_completed', { amountCents: 2500, currency: 'usd', artistId: 'artist_b' });
    const repo = new DnaRepository(db().sql, DIMS, H, { maxPerUser: 3, minIntervalSec: 3600 });
    await repo.recompute(user, 1000);
    const snaps = await repo.snapshots(user, 10);
    const timeline = dnaTimeline(snaps);
    assert.equal(timeline.length, 3);
    const [newest, previous] = [snaps[0]!, snaps[1]!];
    assert.equal(timeline[0]!.strength.economic, Math.round(norm(newest.dna.vectors.economic) * 1e4) / 1e4);
    assert.ok(timeline[0]!.strength.economic > 0, 'the purchase gave the economic domain weight');
    assert.equal(timeline[0]!.drift!.cultural, Math.round((1 - cosine(newest.dna.vectors.cultural, previous.dna.vectors.cultural)) * 1e4) / 1e4);
    assert.equal(timeline[0]!.drift!.economic, null, 'no economic signal before: no direction to compare');
    assert.equal(timeline[0]!.newSignals, newest.dna.signals - previous.dna.signals);
    assert.equal(timeline.at(-1)!.drift, null, 'the oldest shown has nothing before it');
  });
});
