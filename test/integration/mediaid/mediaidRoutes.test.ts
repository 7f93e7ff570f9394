import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { useServer } from '../../support/serverProcess.js';
import { bearer, postJson, signIn } from '../../support/auth.js';
import { allowingForLoad } from '../../support/time.js';

const ADMIN = 'admin-token-for-insights-0123456789';
const JOBS_OFF = Object.fromEntries(
  ['GRAVITY_EDGES', 'SESSION_AGGREGATION', 'GLOBAL_METRICS', 'POPULARITY_SCORES', 'CLEANUP', 'PASSPORT_PARTITIONS', 'INFLUENCE_GRAPH', 'DNA_MIRRORING'].map(
    (j) => [`JOB_CRON_${j}`, 'off'],
  ),
);
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;

async function call(baseUrl: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, body: json, text, headers: res.headers };
}

describe('MediaID, Coliseum reports and DIA DNA over HTTP', function () {
  this.timeout(90_000);
  const running = useServer({ ADMIN_TOKEN: ADMIN, ...JOBS_OFF });
  let fan = { accessToken: '', userId: '' };
  let other = { accessToken: '', userId: '' };
  const base = () => running().server.baseUrl;

  async function runJob(name: string): Promise<void> {
    const res = await call(base(), 'POST', `/api/ops/jobs/${name}/run`, undefined, bearer(ADMIN));
    assert.equal(res.status, 202, res.text);
    for (let i = 0; i < 100; i++) {
      const [row] = await running().db.sql.query<{ outcome: string }>(`SELECT outcome FROM job_logs WHERE id = ?`, [res.body.runId]);
      if (row.outcome !== 'running') return assert.equal(row.outcome, 'succeeded');
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail(`${name} did not finish`);
  }

  async function passport(user: string, type: string, payload: Record<string, unknown>, agoMs: number): Promise<void> {
    await running().db.sql.query(
      `INSERT INTO passport_entries (event_id, event_type, event_category, user_id, occurred_at, received_at, payload, source) VALUES (?, ?, ?, ?::uuid, now() - (? * interval '1 millisecond'), now(), ?::jsonb, 'http')`,
      [randomUUID(), type, type.split('.')[0], user, agoMs, JSON.stringify(payload)],
    );
  }

  before(async () => {
    fan = await signIn(base());
    other = await signIn(base());
  });

  it('GET/PUT /api/mediaid/me: 401 without a token, 403 with the admin token, 400 with details, then the bases', async () => {
    assert.equal((await call(base(), 'GET', '/api/mediaid/me')).status, 401);
    const asAdmin = await call(base(), 'GET', '/api/mediaid/me', undefined, bearer(ADMIN));
    assert.equal(asAdmin.status, 403);
    assert.equal(asAdmin.body.error, 'FORBIDDEN');
    const empty = await call(base(), 'GET', '/api/mediaid/me', undefined, bearer(fan.accessToken));
    assert.equal(empty.status, 200, empty.text);
    assert.equal(empty.body.bases.sequence, '');
    assert.equal(empty.body.createdAt, null);

    const bad = await call(
      base(),
      'PUT',
      '/api/mediaid/me',
      { interests: new Array(21).fill('x'), locationCode: 'Lagos', userId: fan.userId },
      bearer(fan.accessToken),
    );
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error, 'VALIDATION_FAILED');
    const fields = bad.body.details.map((d: { field: string }) => d.field);
    for (const f of ['interests', 'locationCode', 'userId']) assert.ok(fields.includes(f), `${f} in ${fields}`);

    const put = await call(
      base(),
      'PUT',
      '/api/mediaid/me',
      {
        displayName: 'Ada Listener',
        email: 'Ada@Example.com',
        interests: ['Vinyl', 'Live music'],
        genrePreferences: ['Afrobeats', 'Jazz', 'Highlife'],
        contentFlags: { explicit: false },
        locationCode: 'ng-la',
        privacy: { shareLocation: true },
      },
      bearer(fan.accessToken),
    );
    assert.equal(put.status, 200, put.text);
    assert.equal(put.body.bases.sequence, 'AATTTGC');
    assert.equal(put.body.email, 'ada@example.com');
    assert.equal(put.body.inputs.locationCode, 'NG-LA');
    assert.match(put.body.updatedAt, ISO);
    assert.equal(put.body.dna.domains.cultural.vector.length, 32);
    assert.ok(put.body.dna.domains.spatial.strength > 0, 'a shared location is in the spatial domain');

    const taken = await call(base(), 'PUT', '/api/mediaid/me', { email: 'ada@example.com' }, bearer(other.accessToken));
    assert.equal(taken.status, 409);
    await call(base(), 'PUT', '/api/mediaid/me', { displayName: 'Bo Other', genrePreferences: ['Jazz'] }, bearer(other.accessToken));
  });

  it('GET /api/mediaid/me/match scores the owner against an artist; 400 without a target, 404 for an unknown artist', async () => {
    assert.equal((await call(base(), 'GET', '/api/mediaid/me/match', undefined, bearer(fan.accessToken))).status, 400);
    assert.equal((await call(base(), 'GET', '/api/mediaid/me/match?artistId=nobody_here', undefined, bearer(fan.accessToken))).status, 404);
    const m = await call(base(), 'GET', '/api/mediaid/me/match?artistId=artist_wizkid', undefined, bearer(fan.accessToken));
    assert.equal(m.status, 200, m.text);
    assert.ok(m.body.score >= -1 && m.body.score <= 1);
    assert.ok(['strong', 'good', 'moderate', 'weak'].includes(m.body.band));
  });

  it('mirrors passport events into the DNA (job dna_mirroring) and DIA finds, shows, recomputes and exports the user', async () => {
    for (let i = 0; i < 5; i++) await passport(fan.userId, 'player.track_played', { trackId: `t${i}`, artistId: 'artist_wizkid' }, 3_600_000 * (i + 1));
    await passport(fan.userId, 'treasury.money_spent', { amountCents: 2500, currency: 'USD', reason: 'ticket', eventId: 'concert_lagos' }, 60_000);
    await passport(other.userId, 'player.track_played', { trackId: 't1', artistId: 'artist_wizkid' }, 120_000);
    await runJob('dna_mirroring');
    const me = await call(base(), 'GET', '/api/mediaid/me', undefined, bearer(fan.accessToken));
    assert.equal(me.body.dna.signals, 6);
    assert.match(me.body.dna.mirroredThrough, ISO);
    assert.ok(me.body.dna.domains.economic.strength > 0);

    assert.equal((await call(base(), 'GET', '/api/ops/dna/users?q=ada%40example')).status, 401, 'no token');
    const short = await call(base(), 'GET', '/api/ops/dna/users?q=ada', undefined, bearer(ADMIN));
    assert.deepEqual(short.body.users, []);
    assert.match(short.body.hint, /at least 4 characters/);
    const byEmail = await call(base(), 'GET', '/api/ops/dna/users?q=ADA@example', undefined, bearer(ADMIN));
    assert.equal(byEmail.body.users[0].id, fan.userId);
    assert.equal(byEmail.body.users[0].matchedBy, 'email');
    const byName = await call(base(), 'GET', '/api/ops/dna/users?q=bo%20o', undefined, bearer(ADMIN));
    assert.equal(byName.body.users[0].id, other.userId);
    assert.equal((await call(base(), 'GET', '/api/ops/dna/users?q=ada@', undefined, bearer(fan.accessToken))).status, 403);

    const view = await call(base(), 'GET', `/api/ops/dna/users/${fan.userId}`, undefined, bearer(ADMIN));
    assert.equal(view.status, 200, view.text);
    assert.equal(view.body.bases.sequence, 'AATTTGC');
    assert.deepEqual([view.body.similar[0].userId, view.body.similar[0].name], [other.userId, 'Bo Other'], 'the closest user is named');
    assert.equal((await call(base(), 'GET', '/api/ops/dna/users/not-a-uuid', undefined, bearer(ADMIN))).status, 400);
    const similar = await call(base(), 'GET', `/api/ops/dna/users/${fan.userId}/similar?limit=1`, undefined, bearer(ADMIN));
    assert.equal(similar.status, 200, similar.text);
    assert.deepEqual([similar.body.users.length, similar.body.users[0].userId, similar.body.scannedUsers], [1, other.userId, 2]);
    assert.equal((await call(base(), 'GET', `/api/ops/dna/users/${fan.userId}/similar?limit=0`, undefined, bearer(ADMIN))).status, 400);

    const recomputed = await call(base(), 'POST', `/api/ops/dna/users/${fan.userId}/recompute`, undefined, bearer(ADMIN));
    assert.equal(recomputed.status, 200, recomputed.text);
    assert.equal(recomputed.body.recomputed.events, 6);
    assert.equal(recomputed.body.dna.signals, 6);
    assert.match(recomputed.body.recomputed.at, ISO);

    const exported = await call(base(), 'GET', `/api/ops/dna/users/${fan.userId}/passport?limit=4`, undefined, bearer(ADMIN));
    assert.equal(exported.status, 200);
    assert.match(exported.headers.get('content-type') ?? '', /application\/x-ndjson/);
    const lines = exported.text
      .trim()
      .split('\n')
      .map((l: string) => JSON.parse(l));
    assert.equal(lines.length, 5, '4 rows and the truncation line');
    assert.match(lines[0].occurredAt, ISO);
    assert.ok(lines[0].occurredAt <= lines[1].occurredAt, 'oldest first');
    assert.equal(lines[4].truncated, true);
  });

  it('POST /api/reports: 401, 403, 400 with details, then a report with metrics, leaderboard and DNA insights; the share link expires (410)', async () => {
    const body = { type: 'artist', entityId: 'artist_wizkid', range: '7d' };
    assert.equal((await postJson(base(), '/api/reports', body)).status, 401);
    assert.equal((await postJson(base(), '/api/reports', body, bearer(fan.accessToken))).status, 403);
    const bad = await postJson(base(), '/api/reports', { type: 'galaxy', entityId: '', range: '1y', shareTtlHours: 0 }, bearer(ADMIN));
    assert.equal(bad.status, 400);
    const fields = bad.body.details.map((d: { field: string }) => d.field);
    for (const f of ['type', 'entityId', 'range', 'shareTtlHours']) assert.ok(fields.includes(f), `${f} in ${fields}`);
    const backwards = await postJson(
      base(),
      '/api/reports',
      { type: 'artist', entityId: 'artist_wizkid', from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' },
      bearer(ADMIN),
    );
    assert.equal(backwards.status, 400);

    // Other artists' plays as the rollup processor stores them: the board the rank card places Wizkid on.
    for (const [artist, plays] of [
      ['artist_burna_boy', 10],
      ['artist_tems', 2],
    ] as const) {
      await running().db.sql.query(
        `INSERT INTO coliseum_metrics (entity_type, entity_id, metric, period, bucket_start, value) VALUES ('artist', ?, 'plays', 'day', date_trunc('day', now() - interval '1 day', 'UTC'), ?)`,
        [artist, plays],
      );
    }
    const made = await postJson(base(), '/api/reports', body, bearer(ADMIN));
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const r = made.body;
    // One source per figure: the rank card's score is the Plays tile, ranked among the others (10 > 6 > 2).
    assert.deepEqual([r.report.leaderboard.score, r.report.leaderboard.rank, r.report.leaderboard.outOf], [r.report.metrics.plays, 2, 3]);
    assert.equal(r.entityName, 'Wizkid');
    assert.match(r.startDate, ISO);
    assert.ok(r.generationMs < allowingForLoad(5000));
    assert.equal(r.report.metrics.plays, 6);
    assert.equal(r.report.metrics.uniqueUsers, 2);
    assert.equal(r.report.dna.listenersAnalysed, 2);
    assert.equal(r.report.dna.subjectDna, 'catalog');
    const dist = r.report.dna.distribution;
    assert.equal(dist.strong.count + dist.good.count + dist.moderate.count + dist.weak.count, 2);
    assert.ok(r.report.dna.clusters.length >= 1);
    assert.equal(r.report.trends.daily.length >= 1, true);
    assert.ok('leaderboard' in r.report);

    const admin = await call(base(), 'GET', `/api/reports/${r.id}`, undefined, bearer(ADMIN));
    assert.equal(admin.status, 200);
    const token = r.share.token as string;
    assert.equal(r.share.url, `/coliseum/reports/${r.id}?share=${token}`);
    const shared = await call(base(), 'GET', `/api/reports/shared/${token}`);
    assert.equal(shared.status, 200);
    assert.equal(shared.body.share.token, undefined, 'the public answer does not repeat the token');
    assert.equal((await call(base(), 'GET', `/api/reports/shared/${'x'.repeat(32)}`)).status, 404);
    await running().db.sql.query(`UPDATE coliseum_reports SET share_expires_at = now() - interval '1 minute' WHERE id = ?`, [r.id]);
    const gone = await call(base(), 'GET', `/api/reports/shared/${token}`);
    assert.equal(gone.status, 410);
    assert.equal(gone.body.error, 'GONE');
    const page = await call(base(), 'GET', `/coliseum/reports/${r.id}`);
    assert.ok([200, 503].includes(page.status), 'the page route exists (503 only without a web bundle)');
  });
});
