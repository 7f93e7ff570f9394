/**
 * Real answers against the declared answers: a server process runs on a fresh database (as `npm start`
 * does), its endpoints are called over HTTP the way apps and the ops console call them, and
 * every answer must have a status its declaration lists and, for JSON, a body its zod schema accepts
 * with nothing left over (the parse output equals the body, so a field the schema does not name fails).
 * At least one operation of every route file is checked.
 */
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { ROUTE_DECLARATIONS, operationsOf } from '../../../src/http/operations.js';
import type { HttpOperation } from '../../../systems/httpContract.js';
import { useServer } from '../../support/serverProcess.js';
import { newDeviceSecret } from '../../support/auth.js';
import { joinSession, leaveQuietly } from '../../support/session.js';

const ADMIN = 'declared-responses-admin-token-0123456789';
const PAYMENT_SECRET = 'declared-responses-payment-secret-0123456789';
const OPERATIONS = new Map(operationsOf().map((op) => [op.operationId, op]));

interface Answer {
  status: number;
  contentType: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests read fields of the checked body
  body: any;
}

describe('real answers match the declared response schemas', function () {
  this.timeout(120_000);
  // A small upload minimum: the test image is 96 px.
  const running = useServer({ ADMIN_TOKEN: ADMIN, ASSET_MIN_SIDE_PX: '64', PAYMENT_WEBHOOK_SECRET: PAYMENT_SECRET });
  const checked = new Map<string, number[]>();
  const user = { accessToken: '', refreshToken: '', userId: '' };

  /** Calls an operation and checks the answer against its declaration; resolves to the answer. */
  async function call(
    operationId: string,
    path: string,
    init: { method?: string; token?: string | null; json?: unknown; raw?: { type: string; bytes: Buffer }; headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    const op = OPERATIONS.get(operationId);
    assert.ok(op, `${operationId} is declared`);
    const headers: Record<string, string> = { ...init.headers };
    const token = init.token === undefined ? user.accessToken : init.token;
    if (token) headers.authorization = `Bearer ${token}`;
    let body: BodyInit | undefined;
    if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    }
    if (init.raw) {
      headers['content-type'] = init.raw.type;
      body = new Uint8Array(init.raw.bytes);
    }
    const res = await fetch(`${running().server.baseUrl}${path}`, { method: init.method ?? op.method, headers, body, signal: AbortSignal.timeout(30_000) });
    const contentType = res.headers.get('content-type') ?? '';
    const answer: Answer = {
      status: res.status,
      contentType,
      body: contentType.startsWith('application/json') ? await res.json() : Buffer.from(await res.arrayBuffer()),
    };
    check(op, answer);
    return answer;
  }

  function check(op: HttpOperation, answer: Answer): void {
    const declared = op.responses[answer.status];
    assert.ok(
      declared,
      `${op.operationId} answered ${answer.status} (${JSON.stringify(answer.body).slice(0, 300)}); it declares ${Object.keys(op.responses).join(', ')}`,
    );
    if (declared.schema) {
      assert.ok(answer.contentType.startsWith('application/json'), `${op.operationId}: JSON expected, got ${answer.contentType}`);
      const parsed = declared.schema.safeParse(answer.body);
      assert.ok(parsed.success, `${op.operationId} ${answer.status}: ${parsed.success ? '' : JSON.stringify(parsed.error.issues.slice(0, 5))}`);
      assert.deepEqual(parsed.data, answer.body, `${op.operationId} ${answer.status}: the body has fields ${declared.title} does not declare`);
    } else if (declared.contentType) {
      assert.ok(answer.contentType.startsWith(declared.contentType), `${op.operationId}: ${declared.contentType} expected, got ${answer.contentType}`);
    }
    checked.set(op.operationId, [...(checked.get(op.operationId) ?? []), answer.status]);
  }

  it('auth: sign-in (201 new, 200 known) and refresh', async () => {
    const deviceSecret = newDeviceSecret();
    const created = await call('authDevice', '/api/auth/device', { token: null, json: { deviceSecret, deviceModel: 'iPhone17,3' } });
    assert.equal(created.status, 201);
    assert.equal((await call('authDevice', '/api/auth/device', { token: null, json: { deviceSecret } })).status, 200);
    const refreshed = await call('authRefresh', '/api/auth/refresh', { token: null, json: { refreshToken: created.body.refreshToken } });
    Object.assign(user, { accessToken: refreshed.body.accessToken, refreshToken: refreshed.body.refreshToken, userId: refreshed.body.userId });
  });

  it('health: the three probes', async () => {
    for (const [id, path] of [
      ['health', '/health'],
      ['healthLive', '/health/live'],
      ['healthReady', '/health/ready'],
    ])
      assert.equal((await call(id, path, { token: null })).status, 200);
  });

  it('catalog and assets: stations, a station, an uploaded image and its variants', async () => {
    const list = await call('listStations', '/api/stations', { token: null });
    assert.ok(list.body.stations.length > 0, 'the demo catalog has stations');
    const { frequency, artistId } = list.body.stations[0];
    await call('stationAt', `/api/stations/${frequency}?device_model=iPhone17,3`);
    const png = await sharp({ create: { width: 96, height: 96, channels: 3, background: { r: 200, g: 40, b: 90 } } })
      .png()
      .toBuffer();
    // A plain colour has no person in it: the cut-out waits for review (202), and approving it puts it live.
    const upload = () => call('uploadArtistImage', `/api/admin/artists/${artistId}/image`, { token: ADMIN, raw: { type: 'image/png', bytes: png } });
    const pending = await upload();
    assert.equal(pending.status, 202);
    const queue = await call('opsAssetReviews', '/api/ops/assets/reviews', { token: ADMIN });
    assert.ok(
      queue.body.reviews.some((r: { id: string }) => String(r.id) === String(pending.body.reviewId)),
      'the upload waits in the queue',
    );
    await call('opsAssetReviewPreview', `/api/ops/assets/reviews/${pending.body.reviewId}/after`, { token: ADMIN });
    await call('opsApproveAssetReview', `/api/ops/assets/reviews/${pending.body.reviewId}/approve`, { token: ADMIN, json: { note: 'checked' } });
    const second = await upload();
    assert.equal(second.status, 202);
    await call('opsRejectAssetReview', `/api/ops/assets/reviews/${second.body.reviewId}/reject`, { token: ADMIN });
    const assets = await call('artistAssets', `/api/artists/${artistId}/assets`, { token: null });
    await call('artistImage', assets.body.variants[0].url, { token: null });
    await call('invalidateCatalog', '/api/admin/catalog/invalidate', { token: ADMIN });
  });

  it('passport and gravity: ingest, neighbours, ranking', async () => {
    const event = { eventId: randomUUID(), eventType: 'concierto.event_attended', occurredAt: new Date().toISOString(), payload: { eventId: 'evt_1' } };
    assert.equal((await call('passportLog', '/api/passport/log', { json: event })).status, 202);
    await call('passportBatch', '/api/passport/batch', { json: { events: [{ ...event, eventId: randomUUID() }] } });
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    for (const track of [a, b]) await call('gravityEvent', '/event', { json: { session_id: 'sess-1', track_id: track, event_type: 'play_start' } });
    await call('gravityNeighbors', `/tracks/${a}/gravity_neighbors?limit=5`, { token: null });
    await call('radioRank', '/api/radio/rank', { json: { current_track_id: a, candidate_track_ids: [b, c], embedding_scores: { [b]: 0.5 } } });
  });

  /** A star in the user's constellation, as a capture stores it (a capture needs a session room; this test is about HTTP). */
  async function addStar(userId: string): Promise<void> {
    const [{ artist_id }] = await running().db.sql.query<{ artist_id: string }>(
      'SELECT id AS artist_id FROM artists WHERE station_frequency IS NOT NULL ORDER BY id LIMIT 1',
    );
    await running().db.sql.query(
      `INSERT INTO constellation_stars (user_id, artist_id, x, y, z, captured_at, discovery_path) VALUES (?, ?, 1, 2, 3, now(), '[]'::jsonb)`,
      [userId, artist_id],
    );
  }

  it('discovery and journal: search, recommendations, constellation, shares, inbox', async () => {
    await addStar(user.userId);
    const friend = await call('authDevice', '/api/auth/device', { token: null, json: { deviceSecret: newDeviceSecret() } });
    await addStar(friend.body.userId);
    const direct = { shareType: 'direct_user', recipientId: user.userId, message: 'for you' };
    assert.equal((await call('shareConstellation', '/api/constellations/share', { token: friend.body.accessToken, json: direct })).status, 201);
    await call('search', '/api/search?q=wiz&limit=5');
    await call('recommendations', '/api/recommendations');
    await call('myConstellation', '/api/constellations/me');
    const share = await call('shareConstellation', '/api/constellations/share', { json: { shareType: 'public_link' } });
    await call('viewShare', `/api/shared/${share.body.shareId}`, { token: null });
    await call('viewShare', `/api/shared/${share.body.shareId}`);
    await call('sharePreviewImage', `/api/shared/${share.body.shareId}/preview.png`, { token: null });
    const inbox = await call('notifications', '/api/notifications?limit=5');
    assert.deepEqual(
      inbox.body.notifications.map((n: { type: string }) => n.type).sort(),
      ['constellation_share', 'top_recommendation'],
      'the direct share and the first top recommendation reached the inbox',
    );
    await call('markNotificationsRead', '/api/notifications/read', { json: { all: true } });
    await call('notificationPreferences', '/api/notifications/preferences');
    await call('updateNotificationPreferences', '/api/notifications/preferences', { method: 'PUT', json: { recommendations: { push: false } } });
    await call('pushChannels', '/api/notifications/push', { token: null });
    await call('pushDevices', '/api/notifications/devices');
  });

  it('friends and rides: a request accepted, the list, a block lifted; a ride looked up', async () => {
    const other = await call('authDevice', '/api/auth/device', { token: null, json: { deviceSecret: newDeviceSecret() } });
    const them = other.body.userId as string;
    assert.equal((await call('followFriend', `/api/friends/${them}`)).body.state, 'requested');
    assert.equal((await call('followFriend', `/api/friends/${user.userId}`, { token: other.body.accessToken })).body.state, 'friends');
    assert.equal((await call('friends', '/api/friends')).body.friends[0].state, 'friends');
    assert.equal((await call('removeFriend', `/api/friends/${them}`)).body.removed, true);
    await call('blockListener', `/api/friends/${them}/block`);
    assert.equal((await call('unblockListener', `/api/friends/${them}/block`)).body.removed, true);
    const { room } = await joinSession(running().server.baseUrl, {}, user);
    const opened = new Promise<{ invite: { code: string } }>((resolve) => room.onMessage('ride', resolve));
    room.send('ride_open', { who: 'link' });
    const found = await call('findRide', `/api/rides/${(await opened).invite.code}`);
    assert.equal(found.body.roomId, room.roomId);
    await leaveQuietly(room);
  });

  it('leaderboards: the list, a board, the sparklines', async () => {
    const list = await call('listLeaderboards', '/api/leaderboards', { token: null });
    for (const board of list.body.leaderboards.slice(0, 3)) await call('leaderboard', `/api/leaderboards/${board.name}?window=day&limit=5`, { token: null });
    await call('coliseumKpiSeries', '/api/coliseum/kpi-series?window=day', { token: null });
    await call('coliseumEntityRollups', '/api/coliseum/rollups/artist/artist_wizkid?period=day&buckets=2', { token: null });
  });

  it('concierto: create, list, vote (201 then 200 for the retry), close', async () => {
    const startsAt = new Date(Date.now() - 60_000).toISOString();
    const endsAt = new Date(Date.now() + 3_600_000).toISOString();
    const options = [
      { id: 'opt_a', name: 'A' },
      { id: 'opt_b', name: 'B' },
    ];
    assert.equal(
      (
        await call('opsCreateConciertoEvent', '/api/ops/concierto/events', {
          token: ADMIN,
          json: { id: 'evt_declared', title: 'Declared', startsAt, endsAt, options },
        })
      ).status,
      201,
    );
    await call('conciertoEvents', '/api/concierto/events', { token: null });
    const voteId = randomUUID();
    assert.equal((await call('conciertoVote', '/api/concierto/events/evt_declared/votes', { json: { optionId: 'opt_a', voteId } })).status, 201);
    assert.equal((await call('conciertoVote', '/api/concierto/events/evt_declared/votes', { json: { optionId: 'opt_a', voteId } })).status, 200);
    const held = { deviceSecret: newDeviceSecret(), optionId: 'opt_b', voteId: randomUUID() };
    assert.equal((await call('conciertoHoldVote', '/api/concierto/events/evt_declared/held-votes', { token: null, json: held })).status, 201);
    assert.equal((await call('conciertoHoldVote', '/api/concierto/events/evt_declared/held-votes', { token: null, json: held })).status, 200);
    await call('opsConciertoContacts', '/api/ops/concierto/events/evt_declared/contacts', { token: ADMIN });
    await call('conciertoDeleteContacts', '/api/concierto/contacts/delete', { token: null, json: { deviceSecret: held.deviceSecret } });
    const link = await call('createShareLink', '/api/links', { json: { targetType: 'event', targetId: 'evt_declared' } });
    assert.equal(link.status, 201);
    await call('shareLink', `/api/links/${link.body.id}`);
    await call('opsCloseConciertoEvent', '/api/ops/concierto/events/evt_declared/close', { token: ADMIN });
  });

  it('mediaid: read, update, match', async () => {
    await call('myMediaId', '/api/mediaid/me');
    await call('updateMyMediaId', '/api/mediaid/me', { json: { interests: ['afrobeats'], genrePreferences: ['afrobeats'], locationCode: 'NG-LA' } });
    const stations = await call('listStations', '/api/stations', { token: null });
    await call('myMediaIdMatch', `/api/mediaid/me/match?artistId=${stations.body.stations[0].artistId}`);
  });

  it('ops: status, DIA, DNA, metrics, jobs, processors, the monitor cookie', async () => {
    const admin = { token: ADMIN };
    for (const [id, path] of [
      ['opsOverview', '/api/ops/overview'],
      ['opsHistory', '/api/ops/history?minutes=5'],
      ['opsSystem', '/api/ops/system'],
      ['opsLogs', '/api/ops/logs?limit=5'],
      ['opsRooms', '/api/ops/rooms'],
      ['opsFindUsers', `/api/ops/users?q=${user.userId}`],
      ['opsUser', `/api/ops/users/${user.userId}`],
      ['opsUserTimeline', `/api/ops/users/${user.userId}/timeline?limit=5`],
      ['opsUserActivity', `/api/ops/users/${user.userId}/activity?limit=5`],
      ['opsTreasury', `/api/admin/treasury/user/${user.userId}`],
      ['opsMetrics', '/api/admin/metrics?range=7d'],
      ['prometheusMetrics', '/metrics'],
      ['dnaFindUsers', `/api/ops/dna/users?q=${user.userId}`],
      ['dnaUser', `/api/ops/dna/users/${user.userId}`],
      ['dnaSimilar', `/api/ops/dna/users/${user.userId}/similar?limit=3`],
      ['dnaRecompute', `/api/ops/dna/users/${user.userId}/recompute`],
      ['dnaPassportExport', `/api/ops/dna/users/${user.userId}/passport?limit=5`],
      ['dnaHistory', `/api/ops/dna/users/${user.userId}/history?limit=5`],
      ['opsProcessors', '/api/ops/processors'],
    ]) {
      await call(id, path, admin);
    }
    assert.equal((await call('opsMonitorSession', '/api/ops/monitor-session', admin)).status, 204);
    const jobs = await call('opsJobs', '/api/ops/jobs', admin);
    // A scheduled job run now (on an empty database it has little to do), then its runs: one at least.
    const job = jobs.body.jobs.find((j: { schedule: string | null }) => j.schedule !== null).name;
    assert.equal((await call('opsRunJob', `/api/ops/jobs/${job}/run`, admin)).status, 202);
    const runs = await call('opsJobRuns', `/api/ops/jobs/${job}/runs?limit=5`, admin);
    assert.ok(runs.body.runs.length > 0, 'the run is listed');
    const processors = await call('opsProcessors', '/api/ops/processors', admin);
    await call('opsRunProcessor', `/api/ops/processors/${processors.body.processors[0].name}/run`, admin);
  });

  it('ops rooms: a live session room inspected, one client kicked, another room disposed', async () => {
    const admin = { token: ADMIN };
    const first = await joinSession(running().server.baseUrl, {}, user);
    const rooms = await call('opsRooms', '/api/ops/rooms', admin);
    assert.ok(rooms.body.rooms.some((r: { roomId: string }) => r.roomId === first.room.roomId));
    await call('opsRoom', `/api/ops/rooms/${first.room.roomId}`, admin);
    await call('opsKickClient', `/api/ops/rooms/${first.room.roomId}/clients/${first.room.sessionId}/kick`, admin);
    const second = await joinSession(running().server.baseUrl, {}, user);
    await call('opsDisposeRoom', `/api/ops/rooms/${second.room.roomId}/dispose`, admin);
    await Promise.all([leaveQuietly(first.room), leaveQuietly(second.room)]);
    const detail = await call('opsUser', `/api/ops/users/${user.userId}`, admin);
    assert.ok(detail.body.sessions.length > 0, 'the user detail lists the sessions just held');
  });

  it('ops leaderboards: the boards, a reset, custom boards created, edited and deleted', async () => {
    const admin = { token: ADMIN };
    const boards = await call('opsLeaderboards', '/api/ops/leaderboards?window=day&limit=3', admin);
    const counter = boards.body.leaderboards.find((b: { resettable: boolean }) => b.resettable).name;
    await call('opsResetLeaderboard', `/api/ops/leaderboards/${counter}/reset`, { ...admin, json: { confirm: counter } });
    const custom = await call('opsCustomLeaderboards', '/api/ops/custom-leaderboards', admin);
    const board = { title: 'Declared board', base: custom.body.bases[0], window: 'week', entityIds: ['artist_a'] };
    const created = await call('opsCreateCustomLeaderboard', '/api/ops/custom-leaderboards', { ...admin, json: board });
    assert.equal(created.status, 201);
    await call('opsCustomLeaderboards', '/api/ops/custom-leaderboards', admin);
    await call('opsEditCustomLeaderboard', `/api/ops/custom-leaderboards/${created.body.id}`, { ...admin, json: { ...board, title: 'Declared again' } });
    await call('leaderboard', `/api/leaderboards/${created.body.id}`, { token: null });
    await call('opsDeleteCustomLeaderboard', `/api/ops/custom-leaderboards/${created.body.id}`, admin);
  });

  it('reports: create, list, read as JSON and PDF, by id and through the share link', async () => {
    const admin = { token: ADMIN };
    const stations = await call('listStations', '/api/stations', { token: null });
    const created = await call('createReport', '/api/reports', {
      ...admin,
      json: { type: 'artist', entityId: stations.body.stations[0].artistId, range: '7d' },
    });
    assert.equal(created.status, 201);
    await call('reports', '/api/reports?limit=5', admin);
    await call('report', `/api/reports/${created.body.id}`, admin);
    await call('reportPdf', `/api/reports/${created.body.id}.pdf`, admin);
    await call('sharedReport', `/api/reports/shared/${created.body.share.token}`, { token: null });
    await call('sharedReportPdf', `/api/reports/shared/${created.body.share.token}.pdf`, { token: null });
  });

  it('payments: a signed purchase, then its redelivery', async () => {
    const body = Buffer.from(
      JSON.stringify({ id: `evt_${randomUUID()}`, type: 'purchase.completed', data: { object: { userId: randomUUID(), amountCents: 999, currency: 'usd' } } }),
    );
    const t = Math.floor(Date.now() / 1000);
    const headers = { 'payment-signature': `t=${t},v1=${createHmac('sha256', PAYMENT_SECRET).update(`${t}.`).update(body).digest('hex')}` };
    const raw = { type: 'application/json', bytes: body };
    assert.equal((await call('paymentWebhook', '/api/payments/webhook', { token: null, raw, headers })).body.duplicate, false);
    assert.equal((await call('paymentWebhook', '/api/payments/webhook', { token: null, raw, headers })).body.duplicate, true);
  });

  it('every route file had at least one operation checked', () => {
    const unchecked = ROUTE_DECLARATIONS.filter((list) => !list.some((d) => checked.has(d.operationId))).map((list) =>
      list.map((d) => d.operationId).join(', '),
    );
    assert.deepEqual(unchecked, []);
    const all = [...OPERATIONS.keys()];
    console.log(`      checked ${checked.size} of ${all.length} declared operations; not called: ${all.filter((id) => !checked.has(id)).join(', ') || 'none'}`);
  });
});
