import assert from 'node:assert/strict';
import { describeOverBothTransports } from '../support/httpServers.js';
import net from 'node:net';
import { rawRequest } from '../support/rawHttp.js';

const GET_ROUTES = ['/health', '/api/stations/99.9', '/api/stations', '/api/leaderboards', '/api/leaderboards/artists.captures'];
/** Headers that legitimately differ between two answers. */
const VOLATILE = new Set(['date', 'x-request-id', 'content-length', 'keep-alive', 'connection']);

const stable = (headers: Record<string, string>) => Object.fromEntries(Object.entries(headers).filter(([k]) => !VOLATILE.has(k)));

/**
 * Regression: HEAD was answered 404 on every route (the router had HEAD only on
 * its catch-all), with a body on uws. HEAD now gets the GET's status and headers and no body.
 */
describeOverBothTransports('issue: HEAD is answered on every GET route, without a body', {}, ({ server }) => {
  const head = (path: string) => `HEAD ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`;

  it('gives the GET status and headers, Content-Length included', async () => {
    for (const path of ['/api/stations/99.9', '/api/stations', '/api/leaderboards']) {
      const got = await rawRequest(server().port, `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
      const headed = await rawRequest(server().port, head(path), { headOnly: true });
      assert.equal(headed.status, got.status, path);
      assert.deepEqual(stable(headed.headers), stable(got.headers), path);
      assert.equal(Number(headed.headers['content-length']), Buffer.byteLength(got.body, 'latin1'), path);
    }
  });

  /**
   * HEAD, then (on the same keep-alive connection, once the HEAD answer is in) GET /health. Returns the
   * HEAD status and every byte between the end of its head and the GET's status line: none if no body
   * was sent. (Not pipelined: uWS closes a connection that pipelines while an answer is pending.)
   */
  function headThenGet(path: string): Promise<{ status: number; between: string }> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(server().port, '127.0.0.1');
      let raw = '';
      let sentGet = false;
      const timer = setTimeout(() => (socket.destroy(), reject(new Error(`no answers; got ${JSON.stringify(raw.slice(0, 200))}`))), 5000);
      socket.on('data', (chunk) => {
        raw += chunk.toString('latin1');
        const headEnd = raw.indexOf('\r\n\r\n');
        if (headEnd < 0) return;
        if (!sentGet) {
          sentGet = true;
          // Long enough for a body the server might send after the head to arrive first.
          setTimeout(() => socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'), 200);
          return;
        }
        const next = raw.indexOf('HTTP/1.1 ', headEnd);
        if (next < 0) return;
        clearTimeout(timer);
        socket.destroy();
        resolve({ status: Number(raw.split(' ')[1]), between: raw.slice(headEnd + 4, next) });
      });
      socket.on('error', reject);
      socket.write(head(path));
    });
  }

  it('sends no body bytes on a keep-alive connection', async () => {
    for (const path of GET_ROUTES) {
      const { status, between } = await headThenGet(path);
      assert.equal(status, 200, path);
      assert.equal(between, '', `${path}: bytes after the HEAD answer`);
    }
  });

  it('answers HEAD on unknown routes 404, also without a body', async () => {
    const { status, between } = await headThenGet('/no/such/route');
    assert.equal(status, 404);
    assert.equal(between, '');
  });

  it('works through fetch', async () => {
    const res = await fetch(`${server().baseUrl}/health`, { method: 'HEAD' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/json');
    assert.equal(await res.text(), '');
  });
});
