import assert from 'node:assert/strict';
import { createEndpoint, createRouter } from '@colyseus/core';
import pino from 'pino';
import { HttpEdge, type EdgeReply } from '../../../src/http/edge.js';
import { matchmakeGate } from '../../../src/http/matchmakeGate.js';
import { Limit } from '../../../features/limits/Limits.js';
import { localBackplane } from '../../support/backplanes.js';
import type { Logger } from '../../../src/logger.js';

const text = (reply: EdgeReply) => new TextDecoder().decode(reply.body);
const header = (reply: EdgeReply, name: string) => reply.headers.find(([k]) => k === name)?.[1];

describe('the matchmaking limit at the HTTP edge (in process)', () => {
  const log = pino({ level: 'silent' }) as unknown as Logger;
  let reached = 0;
  // A stand-in for Colyseus's matchmaking route: counts what gets past the edge.
  const router = createRouter({
    matchmake: createEndpoint('/matchmake/:method/:room', { method: 'POST' }, async () => (reached++, Response.json({ roomId: 'r1' }))),
    other: createEndpoint('/api/other', { method: 'POST' }, async () => Response.json({ ok: true })),
  });
  const limit = new Limit(localBackplane(), 'matchmakes', 3, 1, 'matchmaking requests (room joins) from this address');
  const edge = new HttpEdge(
    { maxBodyBytes: 1024, maxJsonDepth: 8, corsOrigins: [], trustForwardedFor: false, headersTimeoutMs: 10_000, requestTimeoutMs: 30_000 },
    log,
    [matchmakeGate(limit)],
  );
  const post = (url: string, address: string) =>
    edge.complete(edge.open('POST', url, new Headers({ 'content-type': 'application/json' }), address), new TextEncoder().encode('{}'), router);

  it('refuses an address past its bound with 429 RATE_LIMITED, Retry-After and the request id, before the route runs; other addresses and routes pass; it recovers', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await post('/matchmake/create/session', '10.0.0.1')).status, 200);
    assert.equal(reached, 3);
    const refused = await post('/matchmake/joinOrCreate/coliseum', '10.0.0.1');
    assert.equal(refused.status, 429);
    const body = JSON.parse(text(refused));
    assert.equal(body.error, 'RATE_LIMITED');
    assert.match(body.message, /^too many matchmaking requests \(room joins\) from this address \(at most 3 per 1 s\); retry after 1 s$/);
    assert.equal(body.requestId, header(refused, 'x-request-id'));
    assert.equal(header(refused, 'retry-after'), '1');
    assert.equal(reached, 3, 'the refused request never reached matchmaking');
    assert.equal((await post('/matchmake/create/session', '10.0.0.2')).status, 200, 'another address has its own count');
    assert.equal((await post('/api/other', '10.0.0.1')).status, 200, 'other routes are not counted');
    await new Promise((r) => setTimeout(r, 1100));
    assert.equal((await post('/matchmake/create/session', '10.0.0.1')).status, 200, 'the window passed');
  });

  it('counts the spellings a router might still take for the route (case, slashes, dot segments, absolute form)', async () => {
    const address = '10.0.0.3';
    for (let i = 0; i < 3; i++) await post('/matchmake/create/session', address);
    for (const url of [
      '/MATCHMAKE/create/session',
      '//matchmake/create/session',
      '/x/../matchmake/create/session',
      'http://example.test/matchmake/create/session?a=1',
    ]) {
      const reply = await post(url, address);
      assert.equal(reply.status, 429, `${url}: ${text(reply)}`);
    }
  });
});
