import assert from 'node:assert/strict';
import { useServer } from '../../support/serverProcess.js';
import { bearer, postJson, signIn } from '../../support/auth.js';
import { demoTrackId } from '../../../persistence/gravity/demoTracks.js';

const ADMIN = 'admin-token-for-gravity-0123456789';
const JOBS_OFF = Object.fromEntries(
  ['GRAVITY_EDGES', 'SESSION_AGGREGATION', 'GLOBAL_METRICS', 'POPULARITY_SCORES', 'CLEANUP', 'PASSPORT_PARTITIONS', 'INFLUENCE_GRAPH'].map((j) => [
    `JOB_CRON_${j}`,
    'off',
  ]),
);

describe('gravity layer over HTTP (seed 001)', function () {
  this.timeout(60_000);
  const running = useServer({ ADMIN_TOKEN: ADMIN, ...JOBS_OFF });
  const wizkid1 = demoTrackId('artist_wizkid', 1);
  const fela1 = demoTrackId('artist_fela_kuti', 1);
  const burna1 = demoTrackId('artist_burna_boy', 1);
  let token = '';

  async function runJob(name: string): Promise<void> {
    const { server, db } = running();
    const res = await fetch(`${server.baseUrl}/api/ops/jobs/${name}/run`, { method: 'POST', headers: bearer(ADMIN) });
    const text = await res.text();
    assert.equal(res.status, 202, text);
    const { runId } = JSON.parse(text);
    for (let i = 0; i < 50; i++) {
      const [row] = await db.sql.query<{ outcome: string }>(`SELECT outcome FROM job_logs WHERE id = ?`, [runId]);
      if (row.outcome !== 'running') return assert.equal(row.outcome, 'succeeded');
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail(`${name} did not finish`);
  }

  before(async () => {
    token = (await signIn(running().server.baseUrl)).accessToken;
  });

  it('POST /event stores player events; a play of a track with an artist counts for the artist too', async () => {
    const { server, db } = running();
    const send = (track: string, type: string, extra: Record<string, unknown> = {}) =>
      postJson(server.baseUrl, '/event', { session_id: 'sess-1', track_id: track, event_type: type, ...extra }, bearer(token));
    for (const [track, type, extra] of [
      [wizkid1, 'play_start'],
      [wizkid1, 'play_10s'],
      [fela1, 'play_start'],
      [fela1, 'like'],
      [wizkid1, 'play_start'],
      [burna1, 'radio_next'],
      [burna1, 'skip', { meta: { elapsed_ms: 1234 } }],
    ] as Array<[string, string, Record<string, unknown>?]>) {
      const res = await send(track, type, extra);
      assert.equal(res.status, 202, JSON.stringify(res.body));
    }
    const [stored] = await db.sql.query<{ artist: string }>(
      `SELECT payload->>'artistId' AS artist FROM passport_entries WHERE event_type = 'player.track_played' AND payload->>'trackId' = ? LIMIT 1`,
      [fela1],
    );
    assert.equal(stored.artist, 'artist_fela_kuti');
    // The server's rollup processor (1 s poll) counts it as an artist play, as it does room plays.
    let plays = 0;
    for (let i = 0; i < 40 && plays === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const [row] = await db.sql.query<{ v: string }>(
        `SELECT value::text AS v FROM coliseum_metrics WHERE entity_type = 'artist' AND entity_id = 'artist_fela_kuti' AND metric = 'plays' AND period = 'all'`,
      );
      plays = Number(row?.v ?? 0);
    }
    assert.equal(plays, 1, 'artist plays rollup');
    const unknown = await send('00000000-0000-4000-8000-0000000000ff', 'play_start');
    assert.equal(unknown.status, 202, 'a track the catalog does not know is still logged (no artist)');
  });

  it('builds edges in the job and answers gravity_neighbors with weights and normalized_score in [0, 1]', async () => {
    const { server } = running();
    await runJob('gravity_edges');
    const res = await fetch(`${server.baseUrl}/tracks/${wizkid1}/gravity_neighbors?limit=10`);
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.track_id, wizkid1);
    // wizkid → fela (play, like); the second wizkid run leads to burna, whose early skip outweighs the radio pick: no neighbour.
    assert.deepEqual(
      body.neighbors.map((n: { track_id: string }) => n.track_id),
      [fela1],
    );
    const [n] = body.neighbors;
    assert.equal(n.artist_id, 'artist_fela_kuti');
    assert.equal(n.normalized_score, 1);
    assert.ok(n.weight > 0 && n.transitions === 1);
    const fromFela = await (await fetch(`${server.baseUrl}/tracks/${fela1}/gravity_neighbors`)).json();
    assert.deepEqual(
      fromFela.neighbors.map((x: { track_id: string }) => x.track_id),
      [wizkid1],
    );
    assert.ok(fromFela.neighbors.every((x: { normalized_score: number }) => x.normalized_score >= 0 && x.normalized_score <= 1));
    assert.equal((await fetch(`${server.baseUrl}/tracks/${wizkid1}/gravity_neighbors?limit=0`)).status, 400);
    assert.equal((await fetch(`${server.baseUrl}/tracks/${wizkid1}/gravity_neighbors?limit=101`)).status, 400);
    assert.deepEqual((await (await fetch(`${server.baseUrl}/tracks/nothing-here/gravity_neighbors`)).json()).neighbors, []);
  });

  it('POST /api/radio/rank ranks candidates by embedding and gravity, never repeating the history', async () => {
    const { server } = running();
    const rank = (body: unknown, headers = bearer(token)) => postJson(server.baseUrl, '/api/radio/rank', body, headers);
    const other = demoTrackId('artist_sade', 1);
    const res = await rank({
      current_track_id: wizkid1,
      candidate_track_ids: [other, fela1, burna1],
      embedding_scores: { [other]: 0.9, [fela1]: 0.85, [burna1]: 0.2 },
      session_history: [burna1],
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(
      res.body.ranked.map((r: { track_id: string }) => r.track_id),
      [fela1, other],
      'gravity lifts fela above the closer embedding; burna was already played',
    );
    assert.deepEqual(Object.keys(res.body.ranked[0]).sort(), ['embedding_score', 'gravity_score', 'score', 'track_id']);
    assert.equal((await rank({ current_track_id: wizkid1, candidate_track_ids: [fela1] }, {})).status, 401);
    const bad = await rank({ current_track_id: wizkid1, candidate_track_ids: [], embedding_scores: { x: 2 } });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.details.map((d: { field: string }) => d.field).sort(), ['candidate_track_ids', 'embedding_scores.x']);
  });
});
