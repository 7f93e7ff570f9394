import assert from 'node:assert/strict';
import { describeOverBothTransports } from '../support/httpServers.js';
import { postHead, rawRequest, streamBody } from '../support/rawHttp.js';

const MB = 1024 * 1024;
const LIMIT = MB; // HTTP_MAX_BODY_BYTES default

/** Answers GET /health repeatedly while `work` runs; returns the slowest answer (ms) and the RSS seen. */
async function whileWatchingHealth<T>(baseUrl: string, work: Promise<T>): Promise<{ result: T; worstMs: number }> {
  let worstMs = 0;
  let running = true;
  const probe = (async () => {
    while (running) {
      const started = Date.now();
      await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(20_000) }).then((r) => r.arrayBuffer());
      worstMs = Math.max(worstMs, Date.now() - started);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const result = await work;
  running = false;
  await probe;
  return { result, worstMs };
}

const rssMb = async (baseUrl: string): Promise<number> => (await (await fetch(`${baseUrl}/health`)).json()).process.rssMb;

/**
 * Regression (issue 11, finding 5): no HTTP route had a body limit. 100 MB to /api/passport/batch
 * blocked the uws event loop ~8-13 s (every room froze, RSS ~1 GB) and a 60 MB body to /event was
 * read and parsed before its 400. Colyseus's matchmaking route read bodies the same way.
 */
describeOverBothTransports('issue: HTTP bodies are limited to HTTP_MAX_BODY_BYTES', {}, ({ server, transport }) => {
  it('refuses a Content-Length above the limit with 413 before reading any of the body', async () => {
    for (const path of ['/api/passport/batch', '/event', '/matchmake/joinOrCreate/coliseum']) {
      const res = await rawRequest(server().port, postHead(path, `Content-Length: ${100 * MB}`), { timeoutMs: 3000 });
      assert.equal(res.status, 413, `${path}: ${res.raw.slice(0, 200)}`);
      const body = JSON.parse(res.body);
      assert.equal(body.error, 'PAYLOAD_TOO_LARGE');
      assert.match(body.message, /HTTP_MAX_BODY_BYTES/);
      assert.equal(res.headers.connection, 'close');
    }
  });

  it('refuses an oversized upload that asks first (Expect: 100-continue) without inviting the body', async () => {
    const res = await rawRequest(server().port, postHead('/api/passport/batch', `Content-Length: ${100 * MB}`, 'Expect: 100-continue\r\n'), { timeoutMs: 3000 });
    assert.equal(res.status, 413, res.raw.slice(0, 200));
    // uWS's C++ parser writes 100 Continue itself before any handler runs; the 413 follows at once.
    if (transport === 'ws') assert.doesNotMatch(res.raw, /100 Continue/);
  });

  it('answers a 2 MB fetch to our routes and to matchmaking with a readable 413', async () => {
    for (const path of ['/api/passport/batch', '/matchmake/joinOrCreate/coliseum']) {
      const res = await fetch(`${server().baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.alloc(2 * MB, 0x20), signal: AbortSignal.timeout(5000) });
      assert.equal(res.status, 413, path);
      assert.equal((await res.json()).error, 'PAYLOAD_TOO_LARGE');
    }
  });

  it('stops a chunked body the moment it passes the limit (413, nothing more read)', async () => {
    const outcome = await streamBody(server().port, postHead('/api/passport/batch', 'Transfer-Encoding: chunked'), 100 * MB, { chunked: true, timeoutMs: 20_000 });
    assert.equal(outcome.response?.status, 413, `after ${outcome.sentBytes} bytes in ${outcome.ms} ms`);
    assert.ok(outcome.ms < 2000, `413 after ${outcome.ms} ms`);
    assert.ok(outcome.sentBytes < 50 * MB, `${outcome.sentBytes} bytes went out before the answer`);
  });

  it('refuses 100 MB in well under a second without stalling the event loop or growing memory', async () => {
    const { baseUrl, port } = server();
    const before = await rssMb(baseUrl);
    const { result, worstMs } = await whileWatchingHealth(baseUrl, streamBody(port, postHead('/api/passport/batch', `Content-Length: ${100 * MB}`), 100 * MB));
    assert.equal(result.response?.status, 413);
    assert.ok(result.ms < 1000, `413 after ${result.ms} ms`);
    assert.ok(worstMs < 500, `GET /health took up to ${worstMs} ms during the upload`);
    const grown = (await rssMb(baseUrl)) - before;
    assert.ok(grown < 64, `RSS grew ${grown} MB`);
  });

  it('does not read a 60 MB body to /event before answering', async () => {
    const outcome = await streamBody(server().port, postHead('/event', 'Transfer-Encoding: chunked'), 60 * MB, { chunked: true });
    assert.equal(outcome.response?.status, 413);
    assert.ok(outcome.ms < 1000, `413 after ${outcome.ms} ms`);
    assert.ok(outcome.sentBytes < 30 * MB, `${outcome.sentBytes} bytes went out before the answer`);
  });

  it('does not read past a Content-Length that understates the body', async () => {
    // The parser takes the declared 10 bytes as the body; what follows is not a request. ws answers our
    // 400 for the 10 bytes; uWS's parser answers the bytes after them itself (505) and drops the
    // connection, so a client still writing may see only the close. Either way: fast, and not read on.
    const outcome = await streamBody(server().port, postHead('/api/passport/batch', 'Content-Length: 10'), 100 * MB);
    if (transport === 'ws') assert.equal(outcome.response?.status, 400);
    else if (outcome.response) assert.equal(outcome.response.status, 505, outcome.response.raw.slice(0, 300));
    assert.ok(outcome.ms < 1000, `answered or closed after ${outcome.ms} ms`);
    assert.ok(outcome.sentBytes < 50 * MB, `${outcome.sentBytes} bytes went out`);
    assert.equal((await fetch(`${server().baseUrl}/health`)).status, 200);
  });

  it('still hands a body just under the limit to the route', async () => {
    const body = JSON.stringify({ events: [], padding: 'x'.repeat(LIMIT - 100) });
    assert.ok(Buffer.byteLength(body) <= LIMIT);
    const res = await fetch(`${server().baseUrl}/api/passport/batch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    assert.notEqual(res.status, 413);
    assert.notEqual((await res.json()).error, 'PAYLOAD_TOO_LARGE');
    const join = await fetch(`${server().baseUrl}/matchmake/joinOrCreate/coliseum`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({}) + ' '.repeat(LIMIT - 10) });
    assert.equal(join.status, 200);
  });

  it('keeps serving afterwards', async () => {
    assert.equal((await fetch(`${server().baseUrl}/health`)).status, 200);
  });
});
