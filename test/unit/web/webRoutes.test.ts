import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { acceptsBrotli, assetPath, shellResponse, webRoutes } from '../../../src/http/webRoutes.js';
import { brotliCompressSync, brotliDecompressSync } from 'node:zlib';
import type { Route } from '../../../src/http/route.js';
import { serveDirect } from '../../support/httpRouter.js';

async function call(routes: Route[], routePath: string, params: Record<string, string> = {}, headers: Record<string, string> = {}): Promise<Response> {
  const route = routes.find((r) => r.path === routePath);
  assert.ok(route, `no route ${routePath}`);
  return serveDirect(route, params, headers);
}

describe('webRoutes: static pages and assets', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ds-web-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function writeDist(): Promise<void> {
    await fs.mkdir(path.join(dir, 'assets'));
    for (const page of ['play', 'coliseum', 'ops']) await fs.writeFile(path.join(dir, `${page}.html`), `<h1>${page}</h1>`);
    await fs.writeFile(path.join(dir, 'assets', 'ops-ABCD1234.js'), 'export {}');
    await fs.writeFile(path.join(dir, 'assets', 'ops-ABCD1234.css'), 'body{}');
    await fs.writeFile(path.join(dir, 'secret.txt'), 'nope');
  }

  it("sends the build's Brotli copy to a browser that accepts br, the plain file to one that does not", async () => {
    await writeDist();
    const source = 'export const answer = 42;'.repeat(40);
    await fs.writeFile(path.join(dir, 'assets', 'play-ABCD1234.js'), source);
    await fs.writeFile(path.join(dir, 'assets', 'play-ABCD1234.js.br'), brotliCompressSync(source));
    const br = await call(webRoutes(dir), '/assets/:file', { file: 'play-ABCD1234.js' }, { 'accept-encoding': 'gzip, deflate, br, zstd' });
    assert.equal(br.headers.get('content-encoding'), 'br');
    assert.equal(br.headers.get('vary'), 'accept-encoding');
    assert.equal(br.headers.get('content-type'), 'text/javascript; charset=utf-8');
    const bytes = Buffer.from(await br.arrayBuffer());
    assert.ok(bytes.length < source.length / 4, `${bytes.length} bytes`);
    assert.equal(brotliDecompressSync(bytes).toString(), source);
    const plain = await call(webRoutes(dir), '/assets/:file', { file: 'play-ABCD1234.js' }, { 'accept-encoding': 'gzip, br;q=0' });
    assert.equal(plain.headers.get('content-encoding'), null);
    assert.equal(await plain.text(), source);
    const noCopy = await call(webRoutes(dir), '/assets/:file', { file: 'ops-ABCD1234.js' }, { 'accept-encoding': 'br' });
    assert.deepEqual([noCopy.headers.get('content-encoding'), await noCopy.text()], [null, 'export {}'], 'no .br beside it: the file itself');
  });

  it('reads Accept-Encoding as RFC 9110 does: br listed and not q=0', () => {
    const accepts = (value: string) => acceptsBrotli({ headers: new Headers({ 'accept-encoding': value }) });
    assert.deepEqual(['br', 'gzip, br', 'BR;q=0.5', 'gzip', 'br;q=0', 'br; q=0.000', 'brotli', ''].map(accepts), [
      true,
      true,
      true,
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('serves the pages as revalidated HTML with security headers', async () => {
    await writeDist();
    const res = await call(webRoutes(dir), '/ops');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(res.headers.get('cache-control'), 'no-cache');
    assert.match(res.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    assert.equal(await res.text(), '<h1>ops</h1>');
  });

  it('serves hashed assets as immutable with their content type', async () => {
    await writeDist();
    const js = await call(webRoutes(dir), '/assets/:file', { file: 'ops-ABCD1234.js' });
    assert.equal(js.status, 200);
    assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(js.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    const css = await call(webRoutes(dir), '/assets/:file', { file: 'ops-ABCD1234.css' });
    assert.equal(css.headers.get('content-type'), 'text/css; charset=utf-8');
  });

  it('refuses anything that could leave assets/ (404, nothing read)', async () => {
    await writeDist();
    for (const file of ['../secret.txt', '..%2Fsecret.txt', '..', '.hidden', 'a/b.js', 'a\\b.js', '/etc/passwd', '', 'ops-ABCD1234.js\0.png']) {
      const res = await call(webRoutes(dir), '/assets/:file', { file });
      assert.equal(res.status, 404, file);
    }
    assert.equal(assetPath(path.join(dir, 'assets'), '../secret.txt'), null);
    assert.equal(assetPath(path.join(dir, 'assets'), 'ok-1.js'), path.join(dir, 'assets', 'ok-1.js'));
  });

  it('answers 503 with the build command when the bundle is missing', async () => {
    const res = await call(webRoutes(path.join(dir, 'missing')), '/play');
    assert.equal(res.status, 503);
    assert.match(await res.text(), /npm run build:web/);
  });

  it('puts a title and meta holding $` and $& into the head as text, not as replacement patterns', async () => {
    await fs.writeFile(path.join(dir, 'play.html'), '<!doctype html><head><title>x</title></head><body></body>');
    const html = String((await shellResponse(dir, 'play', { title: "Ada $` $& $'", meta: { 'og:description': 'say $` and $&' } })).body);
    assert.equal(html.match(/<!doctype html>/g)?.length, 1);
    assert.match(html, /<title>Ada \$` \$&#38; \$&#39;<\/title>/);
    assert.match(html, /content="say \$` and \$&#38;"/);
  });
});
