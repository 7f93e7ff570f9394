import assert from 'node:assert/strict';
import pino from 'pino';
import { useTestDatabase } from '../../support/db.js';
import { useServer } from '../../support/serverProcess.js';
import { joinSession, leaveQuietly } from '../../support/session.js';
import { nextMessage, waitForState } from '../../support/rooms.js';
import { CatalogRepository } from '../../../persistence/catalog/CatalogRepository.js';
import { InfluenceRepository } from '../../../persistence/influence/InfluenceRepository.js';
import { CatalogGenreSource, DatasetSource, type RelationshipSource } from '../../../persistence/influence/sources.js';
import { buildInfluenceGraph } from '../../../features/influence/buildInfluenceGraph.js';
import { ORB_SCORE_THRESHOLD } from '../../../systems/influence/influence.js';
import { RING_OF, type RelationshipType } from '../../../systems/session/orbits.js';

const silent = pino({ level: 'silent' });
const signal = new AbortController().signal;
const ADMIN = 'admin-token-for-influence-0123456789';

type Orb = { source: string; target: string; type: RelationshipType; score: number; radius: number; inclination: number; n: number };

describe('influence graph builder (seed 000 step 11) on real Postgres', function () {
  this.timeout(30_000);
  const database = useTestDatabase();
  const orbs = () =>
    database().sql.query<Orb>(
      `SELECT source_artist_id AS source, target_artist_id AS target, relationship_type AS type, influence_score AS score, orbit_radius AS radius, inclination, source_count AS n FROM influence_orbs ORDER BY 1, 2`,
    );
  let invalidations = 0;
  const deps = (sources: RelationshipSource[], refreshDays = 7) => ({
    repo: new InfluenceRepository(database().sql),
    sources,
    invalidateStations: async () => void invalidations++,
    artistsPerRun: 100,
    refreshDays,
    maxOrbs: 8,
  });

  before(() => new CatalogRepository(database().orm).ensureDemoCatalog());

  it('rebuilds every artist from the local sources: only orbs above 0.5, at most 8, laid out by ring, caches invalidated once', async () => {
    const sources = [new DatasetSource(), new CatalogGenreSource(database().sql)];
    const result = await buildInfluenceGraph(deps(sources), { nowMs: Date.now(), signal, log: silent });
    assert.equal(result.rows, 54, 'every demo artist was due');
    assert.equal(invalidations, 1);
    const all = await orbs();
    assert.ok(all.length > 45);
    assert.deepEqual(
      all.filter((o) => Number(o.score) <= ORB_SCORE_THRESHOLD),
      [],
    );
    const perArtist = new Map<string, Orb[]>();
    for (const o of all) perArtist.set(o.source, [...(perArtist.get(o.source) ?? []), o]);
    assert.ok([...perArtist.values()].every((list) => list.length <= 8));
    for (const o of all) {
      const ring = RING_OF[o.type];
      if (ring === 'peers') assert.deepEqual([Number(o.radius), Number(o.inclination)], [120, 0]);
      if (ring === 'contemporaries') assert.deepEqual([Number(o.radius), Number(o.inclination)], [100, -20]);
      if (ring === 'ancestors') assert.equal(Number(o.inclination), 30);
    }
    // The seed's named relations survive with their curated types; two sources agreeing are counted.
    const wizkidFela = all.find((o) => o.source === 'artist_wizkid' && o.target === 'artist_fela_kuti')!;
    assert.equal(wizkidFela.type, 'ancestor');
    assert.ok(all.some((o) => o.source === 'artist_fela_kuti' && o.target === 'artist_tony_allen' && o.type === 'collaborator'));
    assert.ok(
      all.some((o) => Number(o.n) === 2),
      'a relation both sources name has source_count 2',
    );
    const [stamp] = await database().sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM artists WHERE influence_graph_updated_at IS NULL`);
    assert.equal(stamp.n, 0);
  });

  it('revisits nothing within the refresh period; a forced rebuild with the same inputs changes nothing and invalidates nothing', async () => {
    const sources = [new DatasetSource(), new CatalogGenreSource(database().sql)];
    const before = await orbs();
    const count = invalidations;
    assert.equal((await buildInfluenceGraph(deps(sources), { nowMs: Date.now(), signal, log: silent })).rows, 0);
    const again = await buildInfluenceGraph(deps(sources, 0), { nowMs: Date.now() + 1000, signal, log: silent });
    assert.equal(again.rows, 54);
    assert.deepEqual(again.details!.changedArtists, []);
    assert.equal(invalidations, count, 'no station changed: caches kept');
    assert.deepEqual(await orbs(), before);
  });

  it('takes pluggable sources: names matched by trigram similarity, a failing source skipped, orbs that fall below 0.5 removed', async () => {
    const fake: RelationshipSource = {
      name: 'fake',
      relationsFor: async (a) =>
        a.id === 'artist_wizkid'
          ? [
              { name: 'Fela-Kuti.', confidence: 1 },
              { name: 'Nobody Known', confidence: 1 },
            ]
          : [],
    };
    const broken: RelationshipSource = { name: 'broken', relationsFor: async () => Promise.reject(new Error('timeout')) };
    const result = await buildInfluenceGraph(deps([fake, broken], 0), { nowMs: Date.now() + 2000, signal, log: silent });
    assert.equal(result.rows, 54);
    const wizkid = (await orbs()).filter((o) => o.source === 'artist_wizkid');
    assert.deepEqual(
      wizkid.map((o) => o.target),
      ['artist_fela_kuti'],
      '"Fela-Kuti." matched by trigram similarity (1.0 > 0.8); everything else unsupported is gone',
    );
    assert.ok((result.details!.deleted as number) > 0);
  });
});

describe('live session rooms see new orbs at their next lock', function () {
  this.timeout(60_000);
  const running = useServer({
    ADMIN_TOKEN: ADMIN,
    ...Object.fromEntries(
      ['GRAVITY_EDGES', 'SESSION_AGGREGATION', 'GLOBAL_METRICS', 'POPULARITY_SCORES', 'CLEANUP', 'PASSPORT_PARTITIONS', 'INFLUENCE_GRAPH'].map((j) => [
        `JOB_CRON_${j}`,
        'off',
      ]),
    ),
  });

  it('re-locking the station on screen after the influence job shows the rebuilt orbs', async () => {
    const { server, db } = running();
    const { room } = await joinSession(server.baseUrl);
    try {
      // Nina Simone: the demo catalog keeps her eight strongest documented relations; the builder
      // weighs its two sources (the dataset's twelve and shared genres) and keeps another eight.
      const locked = nextMessage(room, 'locked');
      room.send('tune', { frequency: 97.5 });
      await locked;
      const frequency = room.state.station.frequency as number;
      const artistId = room.state.station.artistId as string;
      const shown = () => [...room.state.orbs.values()].map((o: { artistId: string }) => o.artistId).sort();
      const initial = shown();
      const run = await fetch(`${server.baseUrl}/api/ops/jobs/influence_graph/run`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}` } });
      assert.equal(run.status, 202);
      const deadline = Date.now() + 10_000;
      let outcome = 'running';
      while (outcome === 'running' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        const [row] = await db.sql.query<{ outcome: string }>(`SELECT outcome FROM job_logs WHERE job_name = 'influence_graph' ORDER BY id DESC LIMIT 1`);
        outcome = row.outcome;
      }
      assert.equal(outcome, 'succeeded');
      const rebuilt = (
        await db.sql.query<{ target: string }>(`SELECT target_artist_id AS target FROM influence_orbs WHERE source_artist_id = ? ORDER BY 1`, [artistId])
      ).map((r) => r.target);
      assert.notDeepEqual(rebuilt, initial, 'the builder changed this station');
      assert.deepEqual(shown(), initial, 'nothing changes before a lock');
      room.send('tune', { frequency });
      await nextMessage(room, 'locked');
      await waitForState(room, () => JSON.stringify(shown()) === JSON.stringify(rebuilt), 5000, 'rebuilt orbs');
    } finally {
      await leaveQuietly(room);
    }
  });
});
