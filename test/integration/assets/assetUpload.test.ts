import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { describeOverBothTransports } from '../../support/httpServers.js';
import { rawRequest, streamBody } from '../../support/rawHttp.js';

const ADMIN = 'admin-token-for-assets-0123456789';
const UPLOAD_LIMIT = 400_000;
const JSON_LIMIT = 16_384;
const JOBS_OFF = Object.fromEntries(
  ['GRAVITY_EDGES', 'SESSION_AGGREGATION', 'GLOBAL_METRICS', 'POPULARITY_SCORES', 'CLEANUP', 'PASSPORT_PARTITIONS', 'INFLUENCE_GRAPH'].map((j) => [
    `JOB_CRON_${j}`,
    'off',
  ]),
);

/** A noisy PNG (hard to compress: larger than HTTP_MAX_BODY_BYTES here, smaller than the upload bound). */
async function noisyPng(width: number, height: number): Promise<Buffer> {
  const pixels = randomBytes(width * height * 3);
  for (let i = 0; i < pixels.length; i += 3) pixels[i] = 0x8b; // a reddish-brown cast, so the palette has a clear first colour
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .png({ compressionLevel: 0 })
    .toBuffer();
}

const head = (path: string, type: string, framing: string, auth = true) =>
  `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${type}\r\n${framing}\r\n${auth ? `Authorization: Bearer ${ADMIN}\r\n` : ''}\r\n`;

describeOverBothTransports(
  'artist image upload (seed 000 step 10): the one non-JSON route',
  {
    ADMIN_TOKEN: ADMIN,
    ASSET_BACKGROUND_REMOVAL: 'none',
    ASSET_MIN_SIDE_PX: '64',
    ASSET_MAX_UPLOAD_BYTES: String(UPLOAD_LIMIT),
    HTTP_MAX_BODY_BYTES: String(JSON_LIMIT),
    ...JOBS_OFF,
  },
  ({ server }) => {
    const upload = (body: Buffer, type = 'image/png', token: string | null = ADMIN, artist = 'artist_wizkid') =>
      fetch(`${server().baseUrl}/api/admin/artists/${artist}/image`, {
        method: 'POST',
        body: new Uint8Array(body),
        headers: { 'content-type': type, ...(token ? { authorization: `Bearer ${token}` } : {}) },
        signal: AbortSignal.timeout(20_000),
      });

    it('takes an image above HTTP_MAX_BODY_BYTES from the admin: four variants, a palette, the glow colour; caches invalidated', async () => {
      const before = await (await fetch(`${server().baseUrl}/api/stations/99.9`)).json(); // warms the station cache
      const png = await noisyPng(320, 240);
      assert.ok(png.byteLength > JSON_LIMIT && png.byteLength < UPLOAD_LIMIT, `${png.byteLength} bytes`);
      const res = await upload(png);
      const body = await res.json();
      assert.equal(res.status, 201, JSON.stringify(body));
      assert.deepEqual(
        body.variants.map((v: { variant: string; width: number; height: number }) => [v.variant, v.width, v.height]),
        [
          ['@3x', 320, 240],
          ['@2x', 320, 240],
          ['@1x', 320, 240],
          ['thumbnail', 256, 192],
        ],
      );
      assert.ok(body.palette.length >= 1 && body.palette.every((c: string) => /^#[0-9A-F]{6}$/.test(c)));
      assert.match(body.orbGlowColor, /^#[0-9A-F]{6}$/);
      assert.equal(body.backgroundRemoval, 'none');
      const thumb = await fetch(`${server().baseUrl}${body.variants[3].url}`);
      assert.equal(thumb.headers.get('content-type'), 'image/png');
      const meta = await sharp(Buffer.from(await thumb.arrayBuffer())).metadata();
      assert.deepEqual([meta.format, meta.width, meta.height], ['png', 256, 192]);
      const after = await (await fetch(`${server().baseUrl}/api/stations/99.9`)).json();
      assert.notEqual(after.artist.hero_image, before.artist.hero_image);
      assert.equal(after.artist.hero_image, '/api/artists/artist_wizkid/image/%402x', 'the cached station was dropped');
      const runs = await (await fetch(`${server().baseUrl}/api/ops/jobs/artist_assets/runs`, { headers: { authorization: `Bearer ${ADMIN}` } })).json();
      assert.deepEqual([runs.runs[0].trigger, runs.runs[0].outcome, runs.runs[0].rows], ['event', 'succeeded', 4], 'the upload is a job run in /ops');
      assert.equal(
        (await fetch(`${server().baseUrl}/api/ops/jobs/artist_assets/run`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}` } })).status,
        400,
      );
    });

    it('answers a file that is not an image, or too small, with 400', async () => {
      const junk = await upload(randomBytes(5000));
      assert.equal(junk.status, 400);
      assert.equal((await junk.json()).error, 'VALIDATION_FAILED');
      const tiny = await upload(
        await sharp({ create: { width: 32, height: 32, channels: 3, background: '#ff0000' } })
          .png()
          .toBuffer(),
      );
      assert.equal(tiny.status, 400);
      assert.match((await tiny.json()).message, /at least 64×64/);
      const gif = await upload(
        await sharp({ create: { width: 100, height: 100, channels: 3, background: '#00ff00' } })
          .gif()
          .toBuffer(),
        'image/gif',
      );
      assert.equal(gif.status, 415);
      assert.match((await gif.json()).message, /image\/jpeg, image\/png, image\/tiff/);
      assert.equal((await upload(Buffer.from('{}'), 'application/json')).status, 415, 'JSON is no image either');
      assert.equal((await upload(await noisyPng(80, 80), 'image/png', ADMIN, 'artist_nobody')).status, 404);
    });

    it('answers a body above ASSET_MAX_UPLOAD_BYTES with 413, declared or streamed', async () => {
      const declared = await rawRequest(server().port, head('/api/admin/artists/artist_wizkid/image', 'image/png', `Content-Length: ${UPLOAD_LIMIT + 1}`), {
        timeoutMs: 3000,
      });
      assert.equal(declared.status, 413);
      assert.match(JSON.parse(declared.body).message, /ASSET_MAX_UPLOAD_BYTES/);
      const streamed = await streamBody(
        server().port,
        head('/api/admin/artists/artist_wizkid/image', 'image/png', 'Transfer-Encoding: chunked'),
        4 * UPLOAD_LIMIT,
        { chunked: true, timeoutMs: 10_000 },
      );
      assert.equal(streamed.response?.status, 413);
    });

    it('keeps the default limit for everyone else: no admin token, another route, another method', async () => {
      const png = await noisyPng(320, 240);
      assert.equal((await upload(png, 'image/png', null)).status, 413, 'the larger bound needs the admin token');
      assert.equal((await upload(png, 'image/png', 'not-the-admin-token-000')).status, 413);
      assert.equal(
        (
          await upload(
            await sharp({ create: { width: 70, height: 70, channels: 3, background: '#0000ff' } })
              .png()
              .toBuffer(),
            'image/png',
            null,
          )
        ).status,
        401,
      );
      const elsewhere = await fetch(`${server().baseUrl}/api/passport/log`, {
        method: 'POST',
        body: new Uint8Array(png.subarray(0, 1000)),
        headers: { 'content-type': 'image/png', authorization: `Bearer ${ADMIN}` },
      });
      assert.equal(elsewhere.status, 415, 'image bodies stay refused on JSON routes');
      assert.match((await elsewhere.json()).message, /application\/json/);
    });
  },
);
