/**
 * One case per path: the SQL the server runs, its EntityManager version, a check that both answer
 * the same, then interleaved timings (and a storm with many in flight for the join and the capture).
 */
import assert from 'node:assert/strict';
import pino from 'pino';
import type { ScratchDatabase } from './scratchDatabase.js';
import type { BenchData } from './data.js';
import { passportEvents, STAR_USERS } from './data.js';
import {
  captureEm,
  joinEm,
  passportInsertEm,
  planningReadsEm,
  rollupEm,
  saveCountersEm,
  saveRecommendationsEm,
  stationAtEm,
  type CaptureAnswer,
} from './emVersions.js';
import { RecommendationRepository } from '../../persistence/discovery/RecommendationRepository.js';
import { saveCurrent } from '../support/recommendationReads.js';
import { concurrentAb, interleaved, type Sample } from './measure.js';
import { unitOfWork } from '../../persistence/db.js';
import { SessionRepository } from '../../persistence/session/SessionRepository.js';
import { CatalogRepository } from '../../persistence/catalog/CatalogRepository.js';
import { bumpCatalogVersion, insertCatalogRows } from '../../persistence/catalog/catalogEntities.js';
import { buildSyntheticCatalog } from '../../persistence/catalog/synthCatalog.js';
import type { CatalogRows } from '../../persistence/catalog/buildCatalog.js';
import { ConstellationRepository, type CaptureRequest } from '../../persistence/constellation/ConstellationRepository.js';
import { leaderboardRollups } from '../../persistence/leaderboard/rollups.js';
import { createCopySink } from '../../persistence/passport/copySink.js';
import { badgesForCapture } from '../../systems/session/badges.js';

export interface CaseResult {
  path: string;
  /** What one operation is. */
  op: string;
  sql: Sample;
  em: Sample;
  /** Items per operation (rows, events), for a rate column. */
  items?: number;
}

const N = Number(process.env.BENCH_ORM_N ?? 400);
const STORM = Number(process.env.BENCH_ORM_STORM ?? 1000);
const IN_FLIGHT = 64;

/** countersOf: the SQL it replaced vs the EntityManager call; saveCounters: its hand-written UPDATE vs the EntityManager's nativeUpdate. */
export async function countersCase(db: ScratchDatabase, data: BenchData): Promise<CaseResult[]> {
  const repo = new SessionRepository(db.orm);
  const sessionOf = (i: number) => data.users[(i * 7919) % data.users.length].lastSessionId;
  const sqlCountersOf = (id: string) =>
    db.sql.query(
      `SELECT total_interactions AS interactions, total_swipes AS swipes, total_orbs_explored AS "orbsExplored", total_captures AS captures,
              sensor_engagement_count AS "sensorEngagements", sensor_seconds::float8 AS "sensorSeconds" FROM sessions WHERE id = ?::uuid`,
      [id],
    );
  const [old] = await sqlCountersOf(sessionOf(1));
  assert.deepEqual(await repo.countersOf(sessionOf(1)), old, 'countersOf answers what the replaced SQL answered');
  const reads = await interleaved(
    N,
    20,
    (i) => sqlCountersOf(sessionOf(i)),
    (i) => repo.countersOf(sessionOf(i)),
    db.statements,
  );
  const counters = { frequency: 102.7, artistId: 'artist_fela_kuti', interactions: 41, swipes: 17, orbsExplored: 5, captures: 2, sensorEngagements: 3 };
  // saveCounters runs every COUNTERS_SAVE_MS of activity, so it went back to one hand-written UPDATE.
  const writes = await interleaved(
    N,
    20,
    (i) => repo.saveCounters({ sessionId: sessionOf(i), resumeCount: 0 }, counters, Date.now(), true),
    (i) => saveCountersEm(db.orm, sessionOf(i + 1), counters, Date.now(), true),
    db.statements,
  );
  return [
    { path: 'session counters read (countersOf, on resume) — moved to EM', op: 'one session by id', sql: reads[0], em: reads[1] },
    { path: 'session counters write (saveCounters, periodic and at session end) — back to SQL', op: 'one UPDATE by id', sql: writes[0], em: writes[1] },
  ];
}

/** SessionRepository.join (two statements) vs the same join through entities in one unit of work. */
export async function joinCase(db: ScratchDatabase, data: BenchData): Promise<CaseResult[]> {
  const repo = new SessionRepository(db.orm);
  // Disjoint users per side and per phase: a join changes the user's sessions.
  const userFor = (side: number, i: number) => data.users[(2 * i + side) % data.users.length];
  const requestFor = (side: number, i: number) => {
    const u = userFor(side, i);
    return { userId: u.userId, deviceId: u.deviceId, deviceModel: 'iPhone17,3', appVersion: '1.4.0', lastSessionId: i % 5 === 0 ? undefined : u.lastSessionId };
  };
  // Users j and j + 240 were seeded alike (same last activity, same city): each version joins one of them.
  for (const j of [data.users.length - 1000, data.users.length - 900]) {
    const [x, y] = [data.users[j], data.users[j + 240]];
    const now = Date.now();
    const viaSql = await repo.join({ userId: x.userId, deviceId: x.deviceId, lastSessionId: x.lastSessionId }, now);
    const viaEm = await joinEm(db.orm, { userId: y.userId, deviceId: y.deviceId, lastSessionId: y.lastSessionId }, now);
    const same = (r: typeof viaSql, own: string) => ({ ...r, userId: r.userId === own, sessionId: r.resumed ? 'own latest' : 'new' });
    assert.deepEqual(same(viaEm, y.userId), same(viaSql, x.userId), 'both joins answer alike');
    assert.equal(viaSql.resumed ? viaSql.sessionId === x.lastSessionId : true, true);
  }
  const seq = await interleaved(
    N,
    20,
    (i) => repo.join(requestFor(0, i), Date.now()),
    (i) => joinEm(db.orm, requestFor(1, i), Date.now()),
    db.statements,
  );
  const base = 2 * (N + 40);
  const storm = await concurrentAb(
    STORM,
    IN_FLIGHT,
    (i) => repo.join(requestFor(0, base + i), Date.now()),
    (i) => joinEm(db.orm, requestFor(1, base + i), Date.now()),
  );
  return [
    { path: 'session join (user + session) — SQL kept', op: 'join, ~60 % resume', sql: seq[0], em: seq[1] },
    { path: `session join storm, ${IN_FLIGHT} in flight on a pool of 10`, op: 'join', sql: storm[0], em: storm[1] },
  ];
}

/** ConstellationRepository.capture (one statement of data-modifying CTEs) vs entities in one unit of work. */
export async function captureCase(db: ScratchDatabase, data: BenchData): Promise<CaseResult[]> {
  const repo = new ConstellationRepository(db.sql);
  const users = data.users.slice(0, STAR_USERS);
  const taken = new Map<string, number>();
  const requestFor = (side: number, i: number): CaptureRequest => {
    const index = (2 * i + side) % (users.length - 2);
    const user = users[index];
    const k = (taken.get(user.userId) ?? 15) + 1;
    taken.set(user.userId, k);
    const artistAt = (n: number) => data.artists[(index * 37 + n * 101) % data.artists.length];
    return {
      userId: user.userId,
      sessionId: user.lastSessionId,
      artistId: artistAt(k),
      position: { x: k * 10, y: k * 5, z: -k * 3 },
      discoveryPath: [artistAt(k - 3), artistAt(k - 2), artistAt(k - 1)],
      connections: [
        { from: artistAt(k - 1), to: artistAt(k), strength: 0.8, type: 'discovery_path' },
        { from: artistAt(k - 4), to: artistAt(k), strength: 0.5, type: 'genre_similarity' },
      ],
      badges: badgesForCapture(k - 1),
    };
  };
  const answer = (r: Awaited<ReturnType<ConstellationRepository['capture']>>): CaptureAnswer => ({
    status: r.status,
    totalStars: r.totalStars,
    badgesAwarded: r.badgesAwarded,
    connectionsAdded: r.status === 'captured' ? r.connectionsAdded : 0,
  });
  // Two users with 15 stars each capture the same artist neither has, one per version; then again ('already').
  const [a, b] = users.slice(-2);
  const [{ fresh }] = await db.sql.query<{ fresh: string }>(
    `SELECT min(id) AS fresh FROM artists WHERE id NOT IN (SELECT artist_id FROM constellation_stars WHERE user_id IN (?, ?))`,
    [a.userId, b.userId],
  );
  const same = (u: typeof a): CaptureRequest => ({
    ...requestFor(0, 0),
    userId: u.userId,
    sessionId: u.lastSessionId,
    artistId: fresh,
    badges: ['First Star', 'Deep Diver'],
  });
  assert.deepEqual(await captureEm(db.orm, same(b)), answer(await repo.capture(same(a))));
  assert.deepEqual(await captureEm(db.orm, same(b)), answer(await repo.capture(same(a))));
  taken.clear();
  const seq = await interleaved(
    N,
    20,
    (i) => repo.capture(requestFor(0, i)),
    (i) => captureEm(db.orm, requestFor(1, i)),
    db.statements,
  );
  const storm = await concurrentAb(
    STORM,
    IN_FLIGHT,
    (i) => repo.capture(requestFor(0, i)),
    (i) => captureEm(db.orm, requestFor(1, i)),
  );
  return [
    { path: 'capture (star + lines + badges) — SQL kept', op: 'capture of a new artist', sql: seq[0], em: seq[1] },
    { path: `capture storm, ${IN_FLIGHT} in flight on a pool of 10`, op: 'capture', sql: storm[0], em: storm[1] },
  ];
}

/** CatalogRepository.stationAt (five statements) vs entities with populated relations (four). */
export async function stationCase(db: ScratchDatabase, data: BenchData): Promise<CaseResult[]> {
  const repo = new CatalogRepository(db.orm);
  const at = (i: number) => data.stations[(i * 7) % data.stations.length];
  for (let i = 0; i < 25; i++) assert.deepEqual(await stationAtEm(db.orm, at(i)), await repo.stationAt(at(i)), `station ${at(i)}`);
  const seq = await interleaved(
    N,
    20,
    (i) => repo.stationAt(at(i)),
    (i) => stationAtEm(db.orm, at(i)),
    db.statements,
  );
  return [{ path: 'station snapshot read (cache miss)', op: 'artist, scene, orbs, neighbours', sql: seq[0], em: seq[1] }];
}

/** The reads a capture makes before its statement: the artist (when not on screen), genres of the path, relationships to it. */
export async function planningCase(db: ScratchDatabase, data: BenchData): Promise<CaseResult[]> {
  const repo = new CatalogRepository(db.orm);
  const pairs = await db.sql.query<{ target: string; sources: string[] }>(
    `SELECT target_artist_id AS target, (array_agg(source_artist_id ORDER BY source_artist_id))[1:3] AS sources FROM influence_orbs GROUP BY target_artist_id ORDER BY target_artist_id`,
  );
  const inputFor = (i: number) => {
    const p = pairs[(i * 7919) % pairs.length];
    return { target: p.target, ids: [...p.sources, data.artists[(i * 31) % data.artists.length]] };
  };
  const viaSql = async (i: number) => {
    const { target, ids } = inputFor(i);
    // relationshipsTo as StationService answers it on a cold cache: the target's incoming orbs, kept for the given sources.
    const incoming = await repo.incomingOrbs(target);
    const relations = new Map(ids.flatMap((id) => (incoming.has(id) ? [[id, incoming.get(id)!] as const] : [])));
    return { artist: await repo.artistById(target), genres: await repo.genresOf(ids), relations };
  };
  const viaEm = (i: number) => planningReadsEm(db.orm, inputFor(i).target, inputFor(i).ids);
  for (let i = 0; i < 25; i++) assert.deepEqual(await viaEm(i), await viaSql(i), `planning reads ${i}`);
  const seq = await interleaved(N, 20, viaSql, viaEm, db.statements);
  return [{ path: 'capture planning reads (artistById, genresOf, relationshipsTo)', op: 'one capture’s three reads', sql: seq[0], em: seq[1] }];
}

/** The passport writer's batch: the production pg sink vs em.insertMany of the same 1,000 events. */
export async function passportCase(db: ScratchDatabase, data: BenchData): Promise<CaseResult[]> {
  const BATCH = 1000;
  const runs = Math.max(10, Math.floor(N / 13));
  const sink = createCopySink({ url: db.url, log: pino({ level: 'warn' }), queryTimeoutMs: 30_000, concurrency: 1, copyMinEvents: Number.MAX_SAFE_INTEGER });
  try {
    const batches = Array.from({ length: 2 * (runs + 4) }, (_, i) => passportEvents(BATCH, data, 100 + i));
    assert.equal((await sink.insert(batches[0])).length, BATCH);
    assert.equal(await passportInsertEm(db.orm, batches[1]), BATCH);
    const seq = await interleaved(
      runs,
      2,
      (i) => sink.insert(batches[2 * i + 2]),
      (i) => passportInsertEm(db.orm, batches[2 * i + 3]),
      db.statements,
    );
    // The sink's one statement runs on its own connection, which the ORM's counter does not see.
    seq[0].statementsPerOp = 1;
    return [{ path: 'passport batch insert (writer flush)', op: `${BATCH} events`, sql: seq[0], em: seq[1], items: BATCH }];
  } finally {
    await sink.close();
  }
}

const metricsSnapshot = (db: ScratchDatabase) =>
  db.sql.query(`SELECT entity_type, entity_id, metric, period, bucket_start::text, value::text FROM coliseum_metrics ORDER BY 1, 2, 3, 4, 5`);

/** The coliseum rollup of a 5,000-event id range (CursorProcessor's batch): one statement vs load, count in JS, update. */
export async function rollupCase(db: ScratchDatabase): Promise<CaseResult[]> {
  const BATCH = 5000;
  const runs = Math.max(6, Math.floor(N / 40));
  const [{ min }] = await db.sql.query<{ min: string }>('SELECT min(id)::text AS min FROM passport_entries');
  const from = (k: number) => Number(min) - 1 + k * BATCH;
  const [{ n }] = await db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM passport_entries');
  assert.ok(n >= (2 * runs + 3) * BATCH, `the rollup case needs ${(2 * runs + 3) * BATCH} passport events; raise BENCH_ORM_PASSPORT`);
  const viaSql = (k: number) => db.sql.transaction((tx) => leaderboardRollups().apply(tx, String(from(k)), String(from(k + 1))));
  const viaEm = (k: number) => rollupEm(db.orm, from(k), from(k + 1));
  await db.sql.query('TRUNCATE coliseum_metrics');
  await viaSql(0);
  const bySql = await metricsSnapshot(db);
  await db.sql.query('TRUNCATE coliseum_metrics');
  await viaEm(0);
  assert.deepEqual(await metricsSnapshot(db), bySql, 'both rollups write the same counters');
  assert.ok(bySql.length > 1000);
  await db.sql.query('TRUNCATE coliseum_metrics');
  const seq = await interleaved(
    runs,
    1,
    (i) => viaSql(2 * i),
    (i) => viaEm(2 * i + 1),
    db.statements,
  );
  return [{ path: 'coliseum rollup (processor batch)', op: `${BATCH} passport events`, sql: seq[0], em: seq[1], items: BATCH }];
}

/** A synthetic catalog chunk (catalog:synth): jsonb_to_recordset bulk insert vs entities flushed in one unit of work. */
export async function catalogChunkCase(db: ScratchDatabase): Promise<CaseResult[]> {
  const repo = new CatalogRepository(db.orm);
  const viaSql = (rows: CatalogRows) => repo.upsertRows(rows);
  const viaEm = (rows: CatalogRows) =>
    unitOfWork(db.orm, async (em) => {
      await insertCatalogRows(em, rows);
      await bumpCatalogVersion(em);
    });
  // Fresh ids for every load (deleting a chunk again costs more than loading it: unindexed foreign keys).
  const dump = async (prefix: string) =>
    JSON.stringify(
      await db.sql.query(
        `SELECT to_jsonb(a) AS a FROM artists a WHERE id LIKE ? UNION ALL SELECT to_jsonb(o) FROM influence_orbs o WHERE id LIKE ? ORDER BY 1`,
        [`${prefix}%`, `${prefix}%`],
      ),
    ).replaceAll(prefix, '');
  await viaSql(benchChunk('chk_sql_'));
  await viaEm(benchChunk('chk_em_'));
  assert.equal(await dump('chk_em_'), await dump('chk_sql_'), 'both loads write the same rows');
  const size = benchChunk('x_');
  const seq = await interleaved(
    4,
    0,
    (i) => viaSql(benchChunk(`run${i}_sql_`)),
    (i) => viaEm(benchChunk(`run${i}_em_`)),
    db.statements,
  );
  return [
    {
      path: 'synthetic catalog chunk (catalog:synth)',
      op: `${size.artists.length} artists + scenes + ${size.orbs.length} orbs`,
      sql: seq[0],
      em: seq[1],
      items: size.artists.length + size.scenes.length + size.orbs.length,
    },
  ];
}

/** 2,000 synthetic artists under `prefix` ids, off the dial (the seeded catalog holds the free stations). */
function benchChunk(prefix: string): CatalogRows {
  const rows = buildSyntheticCatalog({ artists: 2000, seed: 42 });
  const ids = new Set(rows.artists.map((a) => a.id));
  const rename = (id: string) => (ids.has(id) ? `${prefix}${id}` : id);
  return {
    scenes: rows.scenes.map((s) => ({ ...s, id: `${prefix}${s.id}` })),
    artists: rows.artists.map((a) => ({ ...a, id: rename(a.id), scene_id: `${prefix}${a.scene_id}`, station_frequency: null })),
    orbs: rows.orbs.map((o) => ({ ...o, id: `${prefix}${o.id}`, source_artist_id: rename(o.source_artist_id), target_artist_id: rename(o.target_artist_id) })),
  };
}

/**
 * RecommendationRepository.saveCurrent (after every capture): one statement vs find + delete + upsertMany.
 * Each user's list shifts by two artists per save (two leave, two arrive), as a capture does to it.
 */
export async function recommendationsCase(db: ScratchDatabase, data: BenchData): Promise<CaseResult[]> {
  const repo = new RecommendationRepository(db.sql, db.orm);
  const listOf = (i: number) =>
    Array.from({ length: 10 }, (_, k) => ({
      artistId: data.artists[(i * 2 + k) % data.artists.length],
      score: 100 - k,
      reason: 'Trending today',
      source: 'trending' as const,
    }));
  const userOf = (i: number, offset: number) => data.users[(i + offset) % data.users.length].userId;
  const t = Date.now();
  assert.deepEqual(
    await saveCurrent(repo, userOf(0, 0), listOf(0), t),
    listOf(0).map((r) => r.artistId),
    'a first list is all new',
  );
  assert.deepEqual(
    await saveRecommendationsEm(db.orm, userOf(0, 1), listOf(0), t),
    listOf(0).map((r) => r.artistId),
  );
  assert.deepEqual(
    await saveCurrent(repo, userOf(0, 0), listOf(1), t + 1),
    listOf(1)
      .slice(-2)
      .map((r) => r.artistId),
    'two new after the shift',
  );
  assert.deepEqual(
    await saveRecommendationsEm(db.orm, userOf(0, 1), listOf(1), t + 1),
    listOf(1)
      .slice(-2)
      .map((r) => r.artistId),
  );
  // Users 0..99 for SQL and 100..199 for the EntityManager, each saving a list shifted by i.
  const [sql, em] = await interleaved(
    N,
    20,
    (i) => saveCurrent(repo, userOf(i % 100, 0), listOf(i), Date.now()),
    (i) => saveRecommendationsEm(db.orm, userOf(i % 100, 100), listOf(i), Date.now()),
    db.statements,
  );
  return [{ path: 'recommendations list (saveCurrent, after each capture)', op: 'replace a 10-artist list, 2 changed', sql, em, items: 10 }];
}
