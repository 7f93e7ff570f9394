import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { useTestDatabase } from '../../support/db.js';
import { insertUser } from '../../support/auth.js';
import { CursorProcessor } from '../../../features/passport/CursorProcessor.js';
import { audienceMatcher } from '../../../features/mediaid/audienceMatch.js';
import { leaderboardRollups } from '../../../persistence/leaderboard/rollups.js';
import { dnaMirroring } from '../../../persistence/mediaid/dnaMirroring.js';
import { DnaRepository } from '../../../persistence/mediaid/DnaRepository.js';
import { ReportRepository } from '../../../persistence/reports/ReportRepository.js';
import { addSignals, halfLifeMs, match, profileEmbedding, zeroVectors } from '../../../systems/mediaid/dna.js';
import { artistSignals } from '../../../systems/mediaid/signals.js';

const silent = pino({ level: 'silent' });
const SETTINGS = { dims: 16, halfLifeMs: halfLifeMs(30), baseWeight: 5 };
const DAY1 = Date.parse('2026-11-02T10:00:00Z'); // a Monday
const DAY2 = DAY1 + 86_400_000;
const NOW = DAY2 + 3_600_000;

/**
 * Seed 004's rollup metrics "unique_listeners" and "avg_dna_match": a listener counts once per artist per bucket,
 * however many plays and however the passport is cut into batches, and the ones counted add their DNA match
 * (the same match a report computes), except a listener who turned matching off.
 */
describe('coliseum rollups: unique listeners and their average DNA match', function () {
  this.timeout(30_000);
  const db = useTestDatabase();
  const users: string[] = [];

  async function log(user: string, type: string, payload: object, at: number): Promise<void> {
    await db().sql.query(
      `INSERT INTO passport_entries (event_id, event_type, event_category, user_id, occurred_at, received_at, payload, source) VALUES (?, ?, ?, ?::uuid, ?, now(), ?::jsonb, 'http')`,
      [randomUUID(), type, type.split('.')[0], user, new Date(at), JSON.stringify(payload)],
    );
  }
  const value = async (entityType: string, entityId: string, metric: string, period: string, at: number): Promise<number> => {
    const [row] = await db().sql.query<{ v: string }>(
      `SELECT value::text AS v FROM coliseum_metrics WHERE entity_type = ? AND entity_id = ? AND metric = ? AND period = ? AND bucket_start = date_trunc(?, ?::timestamptz, 'UTC')`,
      [entityType, entityId, metric, period, period === 'all' ? 'year' : period, new Date(period === 'all' ? 0 : at)],
    );
    return Number(row?.v ?? 0);
  };

  before(async () => {
    for (let i = 0; i < 3; i++) users.push((await insertUser(db().sql)).userId);
    const [ada, bo, cy] = users;
    await db().sql.query(`INSERT INTO media_ids (user_id, genre_preferences, interests) VALUES (?, '{afrobeats}', '{dance}'), (?, '{jazz}', '{}')`, [ada, bo]);
    await db().sql.query(`INSERT INTO media_ids (user_id, genre_preferences, privacy_settings) VALUES (?, '{afrobeats}', '{"allowMatching": false}')`, [cy]);
    // Day 1: Ada plays artist_x three times and finishes two, Bo once, Cy (matching off) once; day 2: Ada once more.
    for (let i = 0; i < 3; i++) await log(ada, 'player.track_played', { trackId: `t${i}`, artistId: 'artist_x' }, DAY1 + i * 60_000);
    await log(ada, 'player.track_completed', { trackId: 't0', artistId: 'artist_x' }, DAY1 + 300_000);
    await log(ada, 'player.track_completed', { trackId: 't1', artistId: 'artist_x' }, DAY1 + 400_000);
    await log(bo, 'player.track_played', { trackId: 't0', artistId: 'artist_x' }, DAY1 + 500_000);
    await log(cy, 'player.track_played', { trackId: 't9', artistId: 'artist_x' }, DAY1 + 600_000);
    await log(ada, 'player.track_played', { trackId: 't3', artistId: 'artist_x' }, DAY2);
    // Their DNA first (the mirroring job), then the rollups in batches of two rows, so one listener spans batches.
    await new CursorProcessor(db().sql, dnaMirroring({ dims: SETTINGS.dims, halfLifeMs: SETTINGS.halfLifeMs }), silent, { batchSize: 50 }).catchUp();
    const matcher = audienceMatcher({
      dna: new DnaRepository(db().sql, SETTINGS.dims, SETTINGS.halfLifeMs),
      reports: new ReportRepository(db().sql),
      settings: SETTINGS,
      now: () => NOW,
    });
    await new CursorProcessor(db().sql, leaderboardRollups(undefined, matcher), silent, { batchSize: 2 }).catchUp();
  });

  it('counts each listener once per bucket: day 1 has 3, day 2 has 1, the week and all time 3; plays and completions as logged', async () => {
    assert.equal(await value('artist', 'artist_x', 'unique_listeners', 'day', DAY1), 3);
    assert.equal(await value('artist', 'artist_x', 'unique_listeners', 'day', DAY2), 1);
    assert.equal(await value('artist', 'artist_x', 'unique_listeners', 'week', DAY1), 3);
    assert.equal(await value('artist', 'artist_x', 'unique_listeners', 'all', DAY1), 3);
    assert.equal(await value('track', 't0', 'unique_listeners', 'day', DAY1), 2, 'Ada and Bo played t0');
    assert.equal(await value('artist', 'artist_x', 'plays', 'day', DAY1), 5);
    assert.equal(await value('artist', 'artist_x', 'completions', 'day', DAY1), 2, 'completion rate 2 / 5 = 0.4');
    const [members] = await db().sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM coliseum_members WHERE entity_type = 'artist' AND period = 'all'`);
    assert.equal(members.n, 3);
  });

  it("adds the DNA match of Ada and Bo (not Cy: matching off), the match a report's insights use", async () => {
    const dna = new DnaRepository(db().sql, SETTINGS.dims, SETTINGS.halfLifeMs);
    const artist = addSignals(zeroVectors(SETTINGS.dims), artistSignals('artist_x', []));
    const scoreOf = async (user: string) => {
      const d = (await dna.dnaOf(user))!;
      return Math.round(match(profileEmbedding(d.inputs, d.dynamic, NOW, SETTINGS), artist).score * 10_000);
    };
    const [ada, bo] = users;
    assert.equal(await value('artist', 'artist_x', 'dna_matched', 'day', DAY1), 2);
    assert.equal(await value('artist', 'artist_x', 'dna_match_sum', 'day', DAY1), (await scoreOf(ada)) + (await scoreOf(bo)));
    assert.ok((await scoreOf(ada)) > 0, 'a listener mirrored from plays of the artist matches it');
    assert.equal(await value('artist', 'artist_x', 'dna_matched', 'day', DAY2), 1);
    assert.equal(await value('artist', 'artist_x', 'dna_matched', 'all', DAY1), 2, 'all time: each listener once');
  });
});
