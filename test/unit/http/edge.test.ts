import assert from 'node:assert/strict';
import { createEndpoint, createRouter } from '@colyseus/core';
import pino from 'pino';
import { HttpEdge, type EdgeReply } from '../../../src/http/edge.js';
import { page, reply } from '../../../src/http/route.js';
import type { Logger } from '../../../src/logger.js';

/** Captures the edge's log lines so tests can match a reply's request id with what was logged. */
function capturingLogger(): { log: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line)) }) as unknown as Logger;
  return { log, lines };
}

const text = (reply: EdgeReply) => new TextDecoder().decode(reply.body);
const header = (reply: EdgeReply, name: string) => reply.headers.find(([k]) => k === name)?.[1];

describe('HttpEdge (in process, real routers)', () => {
  const { log, lines } = capturingLogger();
  const edge = new HttpEdge(
    { maxBodyBytes: 1024, maxJsonDepth: 8, corsOrigins: [], trustForwardedFor: false, headersTimeoutMs: 10_000, requestTimeoutMs: 30_000 },
    log,
  );
  edge.serve([
    page('/boom', 'test', async () => Promise.reject(new Error('password=hunter2 in a driver message'))),
    page('/ok', 'test', async () => reply(200, { ok: true }, { 'set-cookie': 'a=1' })),
    { ...page('/ok', 'test', async () => reply(200, { ok: true })), method: 'POST' as const },
    page('/bye', 'test', async () => reply(503, { error: 'SHUTTING_DOWN', message: 'x' }, { connection: 'close' })),
  ]);
  // Our routes answer before this stand-in for Colyseus's router (which gets nothing else here).
  const ours = { handler: async () => new Response(null, { status: 404 }) };
  // Stand-ins for Colyseus's matchmaking answers: {code, error} with its 52x statuses, and a bare 500.
  const colyseus = createRouter({
    unhandled: createEndpoint('/mm/unhandled', { method: 'GET' }, async () =>
      Response.json({ code: 523, error: 'TypeError: secret internals' }, { status: 523 }),
    ),
    noHandler: createEndpoint('/mm/nohandler', { method: 'GET' }, async () =>
      Response.json({ code: 520, error: 'no available handler for "x"' }, { status: 520 }),
    ),
    bare: createEndpoint('/mm/bare', { method: 'GET' }, async () => new Response(null, { status: 500 })),
    refused: createEndpoint('/mm/refused', { method: 'GET' }, async () => Response.json({ code: 401, error: 'an access token is required' }, { status: 401 })),
    teapot: createEndpoint('/mm/teapot', { method: 'GET' }, async () => Response.json({ brew: 'no' }, { status: 418 })),
  });
  const call = (
    router: { handler(r: Request): Promise<Response> },
    method: string,
    url: string,
    body = new Uint8Array(),
    headers: Record<string, string> = {},
  ) => edge.complete(edge.open(method, url, new Headers(headers)), body, router);

  it('turns a thrown error into INTERNAL with a request id, logged with the cause', async () => {
    const reply = await call(ours, 'GET', '/boom');
    assert.equal(reply.status, 500);
    const body = JSON.parse(text(reply));
    assert.equal(body.error, 'INTERNAL');
    assert.equal(header(reply, 'x-request-id'), body.requestId);
    assert.ok(!text(reply).includes('hunter2'));
    assert.ok(lines.some((l) => l.requestId === body.requestId && JSON.stringify(l).includes('hunter2')));
  });

  it('keeps Colyseus matchmaking codes for the SDK, hides a 523 message, adds the request id (to its 4xx refusals too)', async () => {
    const unhandled = JSON.parse(text(await call(colyseus, 'GET', '/mm/unhandled')));
    assert.equal(unhandled.code, 523);
    assert.ok(!unhandled.error.includes('secret'));
    assert.ok(lines.some((l) => l.requestId === unhandled.requestId && String(l.cause).includes('secret')));
    const noHandler = JSON.parse(text(await call(colyseus, 'GET', '/mm/nohandler')));
    assert.deepEqual([noHandler.code, noHandler.error, typeof noHandler.requestId], [520, 'no available handler for "x"', 'string']);
    const refused = await call(colyseus, 'GET', '/mm/refused');
    assert.deepEqual(JSON.parse(text(refused)), { code: 401, error: 'an access token is required', requestId: header(refused, 'x-request-id') });
    assert.deepEqual(JSON.parse(text(await call(colyseus, 'GET', '/mm/teapot'))), { brew: 'no' }, 'other 4xx bodies are left as they are');
  });

  it('gives a body-less 5xx a coded JSON body', async () => {
    const reply = await call(colyseus, 'GET', '/mm/bare');
    assert.equal(reply.status, 500);
    assert.equal(JSON.parse(text(reply)).error, 'INTERNAL');
    assert.equal(header(reply, 'content-type'), 'application/json');
  });

  it('answers HEAD as GET with the body kept for its length only, and passes cookies through', async () => {
    const reply = await call(ours, 'HEAD', '/ok');
    assert.equal(reply.status, 200);
    assert.equal(reply.omitBody, true);
    assert.equal(text(reply), '{"ok":true}');
    assert.equal(header(reply, 'set-cookie'), 'a=1');
  });

  it('keeps keep-alive by default and closes when a handler says Connection: close (after reading the body)', async () => {
    assert.equal((await call(ours, 'GET', '/ok')).connection, 'keep');
    const bye = await call(ours, 'GET', '/bye');
    assert.equal(bye.connection, 'close');
    assert.ok(!bye.headers.some(([k]) => k === 'connection'), 'the adapter, not the header list, carries it');
    assert.equal(JSON.parse(text(bye)).requestId, header(bye, 'x-request-id'));
  });

  it('while draining refuses matchmaking too: 503 SHUTTING_DOWN (the code leads the message the SDK shows), Retry-After, connection closed, no error line', async () => {
    let draining = false;
    const colyseusRouter = { handler: async () => new Response(null, { status: 503 }) }; // Colyseus's own answer while it shuts down
    const { log: quiet, lines: logged } = capturingLogger();
    const drainingEdge = new HttpEdge(
      { maxBodyBytes: 1024, maxJsonDepth: 8, corsOrigins: [], trustForwardedFor: false, headersTimeoutMs: 10_000, requestTimeoutMs: 30_000 },
      quiet,
    );
    drainingEdge.serve([page('/ok', 'test', async () => reply(200, { ok: true }))], { draining: () => draining });
    const matchmake = () =>
      drainingEdge.complete(
        drainingEdge.open('POST', '/matchmake/create/session', new Headers({ 'content-type': 'application/json' })),
        new TextEncoder().encode('{}'),
        colyseusRouter,
      );
    assert.equal((await matchmake()).status, 503, 'before the drain Colyseus answers');
    assert.equal(logged.filter((l) => Number(l.level) >= 50).length, 1, "Colyseus's uncoded 503 is an error line");
    draining = true;
    for (const refused of [await matchmake(), await drainingEdge.complete(drainingEdge.open('GET', '/ok', new Headers()), new Uint8Array(), colyseusRouter)]) {
      const body = JSON.parse(text(refused));
      assert.deepEqual([refused.status, body.error, refused.connection, header(refused, 'retry-after')], [503, 'SHUTTING_DOWN', 'close', '2']);
      assert.match(body.message, /^SHUTTING_DOWN: /);
    }
    assert.equal(logged.filter((l) => Number(l.level) >= 50).length, 1, 'no error line per refusal');
  });

  it('decides 413 and 405 from the head alone, and reads nothing for OPTIONS', () => {
    const big = edge.beforeBody(edge.open('POST', '/ok', new Headers({ 'content-length': '1025' })));
    assert.deepEqual([big?.status, big?.connection], [413, 'drain']);
    assert.equal(edge.beforeBody(edge.open('POST', '/ok', new Headers({ 'content-length': '1024' }))), null);
    assert.equal(edge.beforeBody(edge.open('TRACE', '/ok', new Headers()))?.status, 405);
    assert.equal(edge.beforeBody(edge.open('OPTIONS', '/ok', new Headers()))?.status, 204);
  });

  it('checks bodies: 415, then depth, JSON, strings and reserved keys as 400 with a field', async () => {
    const post = async (body: string, type = 'application/json') => {
      const reply = await call(ours, 'POST', '/ok', new TextEncoder().encode(body), { 'content-type': type });
      return [reply.status, JSON.parse(text(reply)).details?.[0]?.field ?? JSON.parse(text(reply)).error];
    };
    assert.deepEqual(await post('{}', 'text/plain'), [415, 'UNSUPPORTED_MEDIA_TYPE']);
    assert.deepEqual(await post('[[[[[[[[[1]]]]]]]]]'), [400, '(body)']);
    assert.deepEqual(await post('{"a":'), [400, '(body)']);
    assert.deepEqual(await post('{"a":{"b":"\\u0000"}}'), [400, 'a.b']);
    assert.deepEqual(await post('{"__proto__":{}}'), [400, '__proto__']);
    const invalidUtf8 = await call(ours, 'POST', '/ok', new Uint8Array([0x7b, 0xff, 0x7d]), { 'content-type': 'application/json' });
    assert.match(text(invalidUtf8), /UTF-8/);
  });
});
