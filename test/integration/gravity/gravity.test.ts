import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { useTestDatabase } from '../../support/db.js';
import { sqlSink } from '../../../persistence/passport/sinks.js';
import { CursorProcessor } from '../../../features/passport/CursorProcessor.js';
import { gravityEdges } from '../../../persistence/gravity/gravityEdges.js';
import { GravityRepository } from '../../../persistence/gravity/GravityRepository.js';
import { CatalogRepository } from '../../../persistence/catalog/CatalogRepository.js';
import { GRAVITY_EPOCH_MS, eventContribution } from '../../../systems/gravity/gravity.js';
import { halfLifeMs } from '../../../systems/mediaid/dna.js';
import { gravityToEvent, type PassportEvent } from '../../../systems/passport/index.js';

const silent = pino({ level: 'silent' });
const HALF_LIFE_DAYS = 14;
const T0 = Date.now() - 3_600_000;
/** A contribution at `atMs` as gravityEdges stores it (times the contribution). */
const storedScale = (atMs: number, halfLife: number) => 2 ** ((atMs - GRAVITY_EPOCH_MS) / halfLife);

type Step = [session: string, track: string, type: 'play_start' | 'play_10s' | 'skip' | 'radio_next' | 'like', elapsedMs?: number];

/** Gravity events as `POST /event` makes them, one second apart. */
function events(steps: Step[]): PassportEvent[] {
  return steps.map(([session, track, type, elapsed], i) => {
    const at = T0 + i * 1000;
    const r = gravityToEvent(
      {
        session_id: session,
        track_id: track,
        event_type: type,
        timestamp: new Date(at).toISOString(),
        ...(elapsed !== undefined ? { meta: { elapsed_ms: elapsed } } : {}),
      },
      at + 5,
      randomUUID,
    );
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    return r.event;
  });
}

/** What the builder should store, computed with the pure rules: contributions of B's run go to A → B. */
function expected(steps: Step[]): Map<string, { weight: number; transitions: number }> {
  const edges = new Map<string, { weight: number; transitions: number }>();
  const state = new Map<string, { current: string; from: string | null }>();
  steps.forEach(([session, track, type, elapsed], i) => {
    const s = state.get(session);
    const starts = !s || s.current !== track;
    const from = starts ? (s?.current ?? null) : s.from;
    state.set(session, { current: track, from });
    if (!from) return;
    const key = `${from}>${track}`;
    const e = edges.get(key) ?? { weight: 0, transitions: 0 };
    const type2 = {
      play_start: 'player.track_played',
      play_10s: 'player.play_10s',
      skip: 'player.track_skipped',
      radio_next: 'player.radio_next',
      like: 'player.like',
    }[type];
    e.weight += eventContribution(type2, elapsed) * storedScale(T0 + i * 1000, halfLifeMs(HALF_LIFE_DAYS));
    if (starts) e.transitions += 1;
    edges.set(key, e);
  });
  return edges;
}

const [A, B, C, D] = ['a', 'b', 'c', 'd'].map((c) => `00000000-0000-4000-8000-00000000000${c}`);
const STEPS: Step[] = [
  ['s1', A, 'play_start'],
  ['s2', C, 'play_start'],
  ['s1', A, 'play_10s'],
  ['s1', B, 'play_start'], // A → B
  ['s2', D, 'radio_next'], // C → D
  ['s1', B, 'play_10s'],
  ['s1', B, 'like'],
  ['s2', D, 'skip', 3000], // an early skip pulls C → D down
  ['s1', C, 'play_start'], // B → C
  ['s1', C, 'skip', 45_000], // a late skip costs nothing
  ['s1', A, 'play_start'], // C → A
  ['s1', B, 'play_start'], // A → B again
  ['s1', B, 'play_10s'],
];

describe('gravity edge builder (seed 001) on real Postgres', function () {
  this.timeout(60_000);
  const database = useTestDatabase();
  const edgesNow = async () => {
    const rows = await database().sql.query<{ k: string; weight: number; transitions: number }>(
      `SELECT from_track || '>' || to_track AS k, weight, transitions FROM gravity_edges ORDER BY 1`,
    );
    return new Map(rows.map((r) => [r.k, { weight: Number(r.weight), transitions: Number(r.transitions) }]));
  };
  const assertEdges = (actual: Map<string, { weight: number; transitions: number }>, want: Map<string, { weight: number; transitions: number }>) => {
    assert.deepEqual([...actual.keys()].sort(), [...want.keys()].sort());
    for (const [k, w] of want) {
      assert.equal(actual.get(k)!.transitions, w.transitions, `${k} transitions`);
      assert.ok(Math.abs(actual.get(k)!.weight - w.weight) <= 1e-9 * Math.abs(w.weight), `${k}: ${actual.get(k)!.weight} ≉ ${w.weight}`);
    }
  };
  const reset = () => database().sql.query('TRUNCATE gravity_edges, gravity_sessions, passport_entries; DELETE FROM processor_cursors');

  before(() => new CatalogRepository(database().orm).ensureDemoCatalog());
  beforeEach(reset);

  for (const batchSize of [1, 2, 5, 1000]) {
    it(`builds the same edges whatever the batch size (${batchSize}): runs span batches through gravity_sessions`, async () => {
      await sqlSink(database().sql).insert(events(STEPS));
      const builder = new CursorProcessor(database().sql, gravityEdges({ halfLifeDays: HALF_LIFE_DAYS }), silent, { batchSize });
      assert.equal(await builder.catchUp(), STEPS.length);
      assertEdges(await edgesNow(), expected(STEPS));
      const ab = (await edgesNow()).get(`${A}>${B}`)!;
      assert.equal(ab.transitions, 2);
      assert.ok((await edgesNow()).get(`${C}>${D}`)!.weight < 0.5 * storedScale(T0, halfLifeMs(HALF_LIFE_DAYS)), 'the early skip pulled C → D down');
    });
  }

  it('resumes after a crash mid-run without double-counting an edge', async () => {
    await sqlSink(database().sql).insert(events(STEPS));
    let batches = 0;
    const crashing = new CursorProcessor(database().sql, gravityEdges({ halfLifeDays: HALF_LIFE_DAYS }), silent, {
      batchSize: 4,
      beforeCommit: () => {
        if (++batches === 2) throw new Error('simulated crash after the effect, before COMMIT');
      },
    });
    await assert.rejects(crashing.catchUp(), /simulated crash/);
    assert.equal((await crashing.lag()).behind, STEPS.length - 4, 'only the first batch committed');
    // A fresh process picks up from the cursor; the rolled-back batch is applied once.
    const resumed = new CursorProcessor(database().sql, gravityEdges({ halfLifeDays: HALF_LIFE_DAYS }), silent, { batchSize: 4 });
    await resumed.catchUp();
    assertEdges(await edgesNow(), expected(STEPS));
    assert.equal(await resumed.catchUp(), 0, 'replaying finds nothing new');
    assertEdges(await edgesNow(), expected(STEPS));
  });

  it('reads neighbours strongest first with normalized_score in [0, 1], decayed weights, and the tracks’ artists', async () => {
    await database().sql.query(`INSERT INTO tracks (id, artist_id, title) VALUES (?, 'artist_wizkid', 'x')`, [B]);
    await sqlSink(database().sql).insert(events(STEPS));
    await new CursorProcessor(database().sql, gravityEdges({ halfLifeDays: HALF_LIFE_DAYS }), silent, { batchSize: 5000 }).catchUp();
    const repo = new GravityRepository(database().sql, { halfLifeDays: HALF_LIFE_DAYS, directoryEntries: 10_000, directoryTtlMs: 60_000 });
    const now = T0 + 20_000;
    const fromA = await repo.neighbours(A, 10, now);
    assert.deepEqual(
      fromA.map((n) => [n.trackId, n.artistId, n.transitions]),
      [[B, 'artist_wizkid', 2]],
    );
    const want = expected(STEPS).get(`${A}>${B}`)!.weight * 2 ** (-(now - Date.UTC(2025, 0, 1)) / halfLifeMs(HALF_LIFE_DAYS));
    assert.ok(Math.abs(fromA[0].weight - want) < 1e-9, 'weight as it stands now');
    const scores = await repo.gravityScores(A, [B, C, 'nope']);
    assert.deepEqual([...scores], [[B, 1]]);
    assert.equal(await repo.artistOf(B), 'artist_wizkid');
    assert.equal(await repo.artistOf(A), null);
  });
});
