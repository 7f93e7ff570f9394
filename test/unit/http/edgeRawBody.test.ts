import assert from 'node:assert/strict';
import pino from 'pino';
import { HttpEdge } from '../../../src/http/edge.js';
import { mount } from '../../../src/http/route.js';
import { ASSET_ROUTES } from '../../../src/http/assetsRoutes.js';
import { adminGate } from '../../../src/http/authGates.js';
import type { Logger } from '../../../src/logger.js';

const log = pino({ level: 'silent' }) as unknown as Logger;
const ADMIN = 'admin-token-0123456789abcdef';

describe('HttpEdge: the image upload exception (in process)', () => {
  const edge = new HttpEdge(
    { maxBodyBytes: 1024, maxJsonDepth: 8, corsOrigins: [], trustForwardedFor: false, headersTimeoutMs: 10_000, requestTimeoutMs: 30_000 },
    log,
  );
  // The upload route as declared, its pipeline a stand-in that answers the size of what it got.
  const pipeline = { process: async (_id: string, bytes: Buffer) => ({ status: 'ready', bytes: bytes.byteLength, variants: [] }) };
  const record = async (_name: string, work: () => Promise<{ value: unknown }>) => (await work()).value;
  const deps = { pipeline, store: {}, admin: adminGate(ADMIN), record, maxUploadBytes: 10_000, adminToken: ADMIN };
  edge.serve(mount(ASSET_ROUTES, deps as never));
  const router = { handler: async () => new Response(null, { status: 404 }) };
  const req = (type: string, auth: boolean, path = '/api/admin/artists/artist_x/image', length?: number) =>
    edge.open(
      'POST',
      path,
      new Headers({ 'content-type': type, ...(auth ? { authorization: `Bearer ${ADMIN}` } : {}), ...(length ? { 'content-length': String(length) } : {}) }),
    );

  it('gives the admin its own bound for image types on that route only', () => {
    assert.equal(edge.bodyLimit(req('image/png', true)), 10_000);
    assert.equal(edge.bodyLimit(req('image/jpeg; charset=x', true)), 10_000);
    assert.equal(edge.bodyLimit(req('image/png', false)), 1024, 'no admin token: the default');
    assert.equal(edge.bodyLimit(req('application/json', true)), 1024, 'not an image type');
    assert.equal(edge.bodyLimit(req('image/png', true, '/api/passport/log')), 1024, 'another route');
    assert.equal(edge.beforeBody(req('image/png', true, undefined, 10_001))?.status, 413);
    assert.equal(edge.beforeBody(req('image/png', true, undefined, 9_000)), null);
  });

  it('hands the route the raw image, and answers other types there with 415 naming the image types', async () => {
    const ok = await edge.complete(req('image/png', true), new Uint8Array(2000).fill(7), router);
    assert.equal(JSON.parse(new TextDecoder().decode(ok.body)).bytes, 2000);
    const refused = await edge.complete(req('text/plain', true), new Uint8Array(10), router);
    assert.equal(refused.status, 415);
    assert.match(new TextDecoder().decode(refused.body), /image\/jpeg, image\/png, image\/tiff/);
  });
});
