import assert from 'node:assert/strict';
import { describeOverBothTransports } from '../support/httpServers.js';

const ROUTES = ['/api/passport/log', '/api/passport/batch', '/event', '/matchmake/joinOrCreate/coliseum'];

/**
 * Regression: any POST with `multipart/form-data` got a 500 (better-call's
 * FormData parser threw) and a stack trace on stderr. Bodies are JSON only: anything else is a 415
 * that names the accepted type.
 */
describeOverBothTransports('issue: non-JSON request bodies get 415, not a 500 with a stack trace', {}, ({ server }) => {
  const post = (path: string, body: BodyInit, headers: Record<string, string> = {}) =>
    fetch(`${server().baseUrl}${path}`, { method: 'POST', body, headers, signal: AbortSignal.timeout(5000) });

  it('answers a real multipart/form-data upload with 415 naming application/json', async () => {
    for (const path of ROUTES) {
      const form = new FormData();
      form.set('eventType', 'concierto.vote_cast');
      form.set('file', new Blob(['x'.repeat(1000)]), 'x.bin');
      const res = await post(path, form);
      assert.equal(res.status, 415, path);
      const body = await res.json();
      assert.equal(body.error, 'UNSUPPORTED_MEDIA_TYPE', path);
      assert.match(body.message, /application\/json/);
    }
  });

  it('answers malformed multipart, text/plain, form-urlencoded and a missing type with 415', async () => {
    const cases: Array<Record<string, string>> = [
      { 'content-type': 'multipart/form-data; boundary=x' },
      { 'content-type': 'multipart/form-data' },
      { 'content-type': 'text/plain' },
      { 'content-type': 'application/x-www-form-urlencoded' },
      { 'content-type': 'application/json; charset=latin1' },
    ];
    for (const path of ROUTES) {
      for (const headers of cases) {
        const res = await post(path, 'hello', headers);
        assert.equal(res.status, 415, `${path} ${headers['content-type']}`);
      }
      // fetch labels a string body text/plain; a Blob without a type goes out with no Content-Type.
      assert.equal((await post(path, new Blob(['{}']))).status, 415, `${path} without Content-Type`);
    }
  });

  it('logs no stack trace for them', () => {
    assert.doesNotMatch(server().output(), /SERVER_ERROR|Failed to parse body as FormData|^\s+at /m);
  });

  it('takes JSON with or without a UTF-8 charset, and bodiless POSTs', async () => {
    for (const type of ['application/json', 'application/json; charset=utf-8', 'Application/JSON;charset="UTF-8"']) {
      assert.equal((await post('/matchmake/joinOrCreate/coliseum', '{}', { 'content-type': type })).status, 200, type);
    }
    const bodiless = await fetch(`${server().baseUrl}/api/ops/monitor-session`, { method: 'POST' });
    assert.notEqual(bodiless.status, 415);
  });
});
