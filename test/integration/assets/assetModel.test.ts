import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { useServer } from '../../support/serverProcess.js';
import { declaredHugePng, portraitPng, startWebhookReceiver } from '../../support/assetsFixtures.js';
import { allowingForLoad } from '../../support/time.js';
import { bearer, signIn } from '../../support/auth.js';
import type { InboxEntry } from '../../../systems/notifications/index.js';

async function waitFor(check: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const until = Date.now() + allowingForLoad(ms);
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const ADMIN = 'admin-token-for-assets-model-0123';
const SECRET = 'asset-webhook-secret-0123456789';
const JOBS_OFF = Object.fromEntries(
  ['GRAVITY_EDGES', 'SESSION_AGGREGATION', 'GLOBAL_METRICS', 'POPULARITY_SCORES', 'CLEANUP', 'PASSPORT_PARTITIONS', 'INFLUENCE_GRAPH'].map((j) => [
    `JOB_CRON_${j}`,
    'off',
  ]),
);

/**
 * Seed 000 step 10 end to end on a real server: the segmentation model cuts a generated portrait out
 * (alpha 0 on the background, opaque on the person), dark scenes get the rim light, an unsure cut-out
 * waits in the review queue and is served only once approved, and every asset that goes live is
 * announced by a signed webhook to a receiver on loopback that checks the signature, retried when the
 * receiver fails. Hostile uploads get coded errors and store nothing.
 */
describe('asset pipeline with the segmentation model, review queue and completion webhook (seed 000 step 10)', function () {
  this.timeout(90_000);
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  const env: Record<string, string> = {
    ADMIN_TOKEN: ADMIN,
    ASSET_MIN_SIDE_PX: '64',
    ASSET_ARTWORK: 'false',
    ASSET_MAX_UPLOAD_BYTES: String(10 * 1024 * 1024),
    ASSET_MAX_INPUT_PIXELS: '4000000',
    ASSET_WEBHOOK_SECRET: SECRET,
    ASSET_WEBHOOK_BASE_DELAY_MS: '50',
    ASSET_WEBHOOK_MAX_DELAY_MS: '200',
    ...JOBS_OFF,
  };
  before(async () => {
    receiver = await startWebhookReceiver(SECRET);
    env.ASSET_WEBHOOK_URL = receiver.url;
  });
  after(async () => receiver?.close());
  const running = useServer(env);
  const base = () => running().server.baseUrl;
  const admin = { authorization: `Bearer ${ADMIN}` };
  const upload = (body: Buffer, artist: string, type = 'image/png', notify?: string) =>
    fetch(`${base()}/api/admin/artists/${artist}/image${notify ? `?notify=${notify}` : ''}`, {
      method: 'POST',
      body: new Uint8Array(body),
      headers: { 'content-type': type, ...admin },
      signal: AbortSignal.timeout(30_000),
    });
  const count = async (table: string) => Number((await running().db.sql.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table}`))[0].n);
  const alphaAt = async (url: string) => {
    const { data, info } = await sharp(Buffer.from(await (await fetch(`${base()}${url}`)).arrayBuffer()))
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    return (x: number, y: number) => data[(Math.round(y * info.height) * info.width + Math.round(x * info.width)) * 4 + 3];
  };

  it('cuts the person out: transparent background, opaque face and shoulders; goes live and the signed webhook arrives', async () => {
    const res = await upload(await portraitPng(), 'artist_wizkid');
    const body = await res.json();
    assert.equal(res.status, 201, JSON.stringify(body));
    assert.equal(body.status, 'ready');
    assert.equal(body.backgroundRemoval, 'selfie_segmentation');
    assert.ok(body.confidence > 0.85, `confidence ${body.confidence}`);
    assert.equal(body.rimLight, false, 'Lagos street is a bright scene');
    const alpha = await alphaAt(body.variants[2].url);
    assert.equal(alpha(0.02, 0.02), 0, 'corner: background');
    assert.ok(alpha(0.08, 0.4) < 10, 'beside the head: background');
    assert.ok(alpha(0.5, 0.42) > 230, 'face: opaque');
    assert.ok(alpha(0.5, 0.9) > 230, 'shoulders: opaque');
    await waitFor(() => receiver.deliveries.length >= 1, 10_000);
    const [delivery] = receiver.deliveries;
    assert.equal(delivery.problem, null, 'the signature verifies under the shared secret');
    const event = JSON.parse(delivery.body);
    assert.deepEqual(
      [event.event, event.artist_id, event.artist_name, event.status, event.preview_url],
      ['artist_assets_ready', 'artist_wizkid', 'Wizkid', 'ready', '/api/artists/artist_wizkid/image/%401x'],
    );
    assert.ok(event.processing_time_seconds > 0);
  });

  it('lays the rim light on a dark scene: the top-left edge is brighter than the interior next to it', async () => {
    const [dark] = await running().db.sql.query<{ id: string }>(
      `SELECT a.id FROM artists a JOIN scenes s ON s.id = a.scene_id WHERE (s.lighting->>'intensity')::float <= 0.7 AND a.id <> 'artist_wizkid' ORDER BY a.id LIMIT 1`,
    );
    const res = await upload(await portraitPng(), dark.id);
    const body = await res.json();
    assert.equal(res.status, 201, JSON.stringify(body));
    assert.equal(body.rimLight, true);
    const png = Buffer.from(await (await fetch(`${base()}${body.variants[0].url}`)).arrayBuffer());
    const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    // Along the row through the face, from the left: the first opaque pixels (the lit edge) against the skin further in.
    const y = Math.round(info.height * 0.42);
    const lum = (x: number) => data[(y * info.width + x) * 4] + data[(y * info.width + x) * 4 + 1] + data[(y * info.width + x) * 4 + 2];
    let edge = 0;
    while (edge < info.width && data[(y * info.width + edge) * 4 + 3] < 200) edge++;
    assert.ok(edge < info.width / 2, 'found the face edge');
    assert.ok(lum(edge + 1) > lum(edge + 25) + 30, `edge ${lum(edge + 1)} vs interior ${lum(edge + 25)}`);
  });

  it('queues an unsure cut-out for review (not served), serves it once approved, and a rejected one never; the uploader is told each time', async () => {
    const noPerson = await sharp({ create: { width: 300, height: 300, channels: 3, background: '#336699' } })
      .png()
      .toBuffer();
    const uploader = await signIn(base());
    const inbox = async () =>
      ((await (await fetch(`${base()}/api/notifications`, { headers: bearer(uploader.accessToken) })).json()).notifications as InboxEntry[])
        .filter((n) => n.type === 'asset_review')
        .map((n) => `${n.title} | ${n.body} | ${n.artistId}`);
    const first = await upload(noPerson, 'artist_burna_boy', 'image/png', uploader.userId);
    const queued = await first.json();
    assert.equal(first.status, 202, JSON.stringify(queued));
    assert.equal(queued.status, 'pending_review');
    assert.equal((await fetch(`${base()}${queued.variants[0].url}`)).status, 404, 'a pending cut-out is not served');
    const list = await (await fetch(`${base()}/api/ops/assets/reviews`, { headers: admin })).json();
    const row = list.reviews.find((r: { id: string }) => r.id === queued.reviewId);
    assert.equal(row.status, 'pending');
    assert.match(row.reason, /almost no person/);
    for (const side of ['before', 'after']) {
      const preview = await fetch(`${base()}/api/ops/assets/reviews/${queued.reviewId}/${side}`, { headers: admin });
      assert.equal(preview.headers.get('content-type'), 'image/png');
      assert.equal((await sharp(Buffer.from(await preview.arrayBuffer())).metadata()).width, 300);
    }
    assert.equal((await fetch(`${base()}/api/ops/assets/reviews/${queued.reviewId}/before`)).status, 401, 'previews need the admin token');
    const reject = (id: string) =>
      fetch(`${base()}/api/ops/assets/reviews/${id}/reject`, {
        method: 'POST',
        headers: { ...admin, 'content-type': 'application/json' },
        body: '{"note":"no person"}',
      });
    assert.equal((await reject(queued.reviewId)).status, 200);
    assert.equal((await reject(queued.reviewId)).status, 409, 'a decision is taken once');
    assert.equal((await fetch(`${base()}${queued.variants[0].url}`)).status, 404, 'a rejected cut-out is never served');
    assert.equal(await count(`asset_review_images WHERE review_id = ${Number(queued.reviewId)}`), 0);
    assert.deepEqual(await inbox(), [
      'Your image of Burna Boy was not accepted | no person | artist_burna_boy',
      `Your image of Burna Boy is waiting for review | ${queued.reviewReason} | artist_burna_boy`,
    ]);

    const delivered = receiver.deliveries.length;
    receiver.answer(500); // the first try fails: the webhook is retried with backoff
    const second = await (await upload(noPerson, 'artist_burna_boy', 'image/png', uploader.userId)).json();
    const approve = await fetch(`${base()}/api/ops/assets/reviews/${second.reviewId}/approve`, { method: 'POST', headers: admin });
    assert.equal(approve.status, 200);
    assert.equal((await inbox())[0], 'Your image of Burna Boy is live | null | artist_burna_boy');
    assert.equal((await fetch(`${base()}${second.variants[0].url}`)).status, 200, 'approved: served');
    await waitFor(() => receiver.deliveries.length >= delivered + 2, 10_000);
    const [failed, retried] = receiver.deliveries.slice(delivered);
    assert.equal(failed.body, retried.body, 'the same event, retried');
    assert.equal(JSON.parse(retried.body).artist_id, 'artist_burna_boy');
    await waitFor(
      async () =>
        (
          await running().db.sql.query<{ attempts: number }>(
            `SELECT attempts FROM asset_webhooks WHERE artist_id = 'artist_burna_boy' AND status = 'delivered'`,
          )
        ).length === 1,
      5000,
    );
    assert.equal((await fetch(`${base()}/api/ops/assets/reviews/0/approve`, { method: 'POST', headers: admin })).status, 404);
  });

  it('holds a picture with no person for review though the model is sure of its mask: a blue disc on green; the uploader and /ops are told why', async () => {
    const disc = await sharp(
      Buffer.from(
        '<svg xmlns="http://www.w3.org/2000/svg" width="600" height="600"><rect width="600" height="600" fill="#20c020"/><circle cx="300" cy="300" r="180" fill="#0000ff"/></svg>',
      ),
    )
      .png()
      .toBuffer();
    const res = await upload(disc, 'artist_davido');
    const body = await res.json();
    assert.equal(res.status, 202, JSON.stringify(body));
    assert.ok(body.confidence > 0.85, `the model is sure of the disc (${body.confidence}): confidence alone let it go live`);
    assert.match(body.reviewReason, /floats in the frame/);
    assert.equal((await fetch(`${base()}${body.variants[0].url}`)).status, 404, 'held: not served');
    const list = await (await fetch(`${base()}/api/ops/assets/reviews`, { headers: admin })).json();
    assert.match(list.reviews.find((r: { id: string }) => r.id === body.reviewId).reason, /floats in the frame/);
    const logs = await (await fetch(`${base()}/api/ops/logs?level=warn`, { headers: admin })).json();
    const line = logs.lines.find((l: { reviewId?: string }) => l.reviewId === body.reviewId);
    assert.match(line?.msg ?? '', /held for review/, 'the operator notice in the /ops log tail');
  });

  it('answers hostile uploads with coded errors and stores nothing', async () => {
    const before = [await count('artist_images'), await count('asset_reviews'), await count('asset_webhooks')];
    const junk = await upload(randomBytes(5000), 'artist_wizkid');
    assert.deepEqual([junk.status, (await junk.json()).error], [400, 'VALIDATION_FAILED']);
    const bomb = await upload(declaredHugePng(100_000, 100_000), 'artist_wizkid');
    const bombBody = await bomb.json();
    assert.deepEqual([bomb.status, bombBody.error], [413, 'IMAGE_TOO_LARGE']);
    assert.match(bombBody.message, /100000×100000/);
    assert.doesNotMatch(JSON.stringify(bombBody), /stack|\/work|sharp|vips/i);
    const big = await upload(Buffer.alloc(10 * 1024 * 1024 + 1, 1), 'artist_wizkid');
    assert.deepEqual([big.status, (await big.json()).error], [413, 'PAYLOAD_TOO_LARGE']);
    const wrongType = await upload(await portraitPng(), 'artist_wizkid', 'text/plain');
    assert.deepEqual([wrongType.status, (await wrongType.json()).error], [415, 'UNSUPPORTED_MEDIA_TYPE']);
    const truncated = (await portraitPng()).subarray(0, 400);
    assert.equal((await upload(truncated, 'artist_wizkid')).status, 400, 'a header that passes with broken data');
    assert.deepEqual([await count('artist_images'), await count('asset_reviews'), await count('asset_webhooks')], before, 'nothing stored');
  });
});
