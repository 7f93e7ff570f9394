import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import https from 'node:https';
import WebSocket from 'ws';
import type { Room } from '@colyseus/sdk';
import { Redis } from 'ioredis';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { startServerProcess, type ServerProcess } from '../../support/serverProcess.js';
import { startPrivateNginx, type PrivateNginx } from '../../support/nginx.js';
import { freePort, redisUrl } from '../../support/postgres.js';
import { joinAs } from '../../support/auth.js';
import { nextMessage } from '../../support/rooms.js';
import { leaveQuietly } from '../../support/session.js';
import { deleteKeysWithPrefix } from '../../support/redis.js';

const ADMIN = 'proxy-topology-admin-token-0123456789';

/** Session rooms a process holds, from its own /metrics. */
async function sessionRooms(server: ServerProcess): Promise<number> {
  const text = await (await fetch(`${server.baseUrl}/metrics`, { headers: { authorization: `Bearer ${ADMIN}` } })).text();
  const line = text.split('\n').find((l) => l.startsWith('ds_rooms{') && l.includes('room="session"'));
  return line ? Number(line.split(' ').pop()) : 0;
}

/** An HTTPS request trusting only `ca` (the entry's self-signed certificate), or the system's roots when none. */
function httpsRequest(
  url: string,
  ca: string | undefined,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method: init.method ?? 'GET', headers: init.headers, ca, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

/**
 * docker-compose.yml's topology without Docker: one public entry (nginx with
 * deploy/nginx/deepstream.conf.template) → two server processes booted together on an empty database →
 * one Redis. Clients know only the entry; each process announces `<entry>/a` or `<entry>/b` as its
 * PUBLIC_ADDRESS, so a seat reserved on either process is reached through the same entry.
 */
describe('production topology: one entry, two processes, one Redis', function () {
  this.timeout(120_000);
  const prefix = `ds_test_topology_${randomBytes(4).toString('hex')}:`;
  let db: TestDatabase;
  let a: ServerProcess;
  let b: ServerProcess;
  let entry: PrivateNginx;
  /** The same entry as compose runs it: TLS, plain HTTP redirected except the health checks. */
  let secure: PrivateNginx;
  const rooms: Room[] = [];

  before(async () => {
    db = await createTestDatabase();
    const [entryPort, portA, portB] = [await freePort(), await freePort(), await freePort()];
    // Colyseus' placement (least rooms), so seats are reserved across processes through the entry: with the
    // default (local) the round-robin entry's sign-in/matchmake alternation would put every room on one process.
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: redisUrl(),
      REDIS_PREFIX: prefix,
      ADMIN_TOKEN: ADMIN,
      TRANSPORT: 'uws',
      LOG_LEVEL: 'warn',
      ROOM_PLACEMENT: 'least_rooms',
    };
    [a, b] = await Promise.all([
      startServerProcess({ ...env, PORT: String(portA), PUBLIC_ADDRESS: `127.0.0.1:${entryPort}/a` }),
      startServerProcess({ ...env, PORT: String(portB), PUBLIC_ADDRESS: `127.0.0.1:${entryPort}/b` }),
    ]);
    // Room for the join test's sign-ins (up to 24 through the entry); the 429 test then exceeds it.
    entry = await startPrivateNginx(`127.0.0.1:${portA}`, `127.0.0.1:${portB}`, { listenPort: entryPort, limits: { SIGNUP_BURST: '40' } });
    secure = await startPrivateNginx(`127.0.0.1:${portA}`, `127.0.0.1:${portB}`, { httpsRedirect: true });
  });

  after(async () => {
    for (const room of rooms) await leaveQuietly(room);
    await entry?.stop();
    await secure?.stop();
    const codes = [await a?.stop('SIGTERM'), await b?.stop('SIGTERM')];
    const redis = new Redis(redisUrl());
    await deleteKeysWithPrefix(redis, prefix);
    redis.disconnect();
    await db?.drop();
    assert.deepEqual(codes, [0, 0]);
  });

  it('answers liveness and readiness through the entry', async () => {
    assert.equal((await fetch(`${entry.baseUrl}/health/live`)).status, 200);
    assert.equal((await fetch(`${entry.baseUrl}/health/ready`)).status, 200);
  });

  it('an SDK client that knows only the entry signs in and plays in rooms on both processes', async () => {
    // Colyseus places each new room on the process with the fewest rooms as its Redis stats say, and a
    // process persists its count at most once a second: a burst lands on one process. Join at a pace and
    // until both hold a room, so the test checks reachability through the entry, not the balancer's timing.
    let onA = 0;
    let onB = 0;
    for (let i = 0; i < 24 && (onA === 0 || onB === 0); i++) {
      const { room } = await joinAs(entry.baseUrl);
      rooms.push(room);
      const locked = nextMessage(room, 'locked');
      room.send('tune', { frequency: 105.5 });
      assert.equal((await locked).frequency, 105.5, 'the room answers through the entry');
      [onA, onB] = [await sessionRooms(a), await sessionRooms(b)];
      await new Promise((r) => setTimeout(r, 300));
    }
    assert.equal(onA + onB, rooms.length);
    assert.ok(onA > 0 && onB > 0, `session rooms per process after ${rooms.length} joins: a ${onA}, b ${onB}`);
  });

  it('compresses JSON and sets the security headers on every answer', async () => {
    const res = await fetch(`${entry.baseUrl}/api/stations`, { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-encoding'), 'gzip');
    for (const [name, value] of [
      ['x-content-type-options', 'nosniff'],
      ['referrer-policy', 'no-referrer'],
      ['x-frame-options', 'DENY'],
    ])
      assert.equal(res.headers.get(name!), value, name);
    assert.equal((await fetch(`${entry.baseUrl}/nowhere`)).headers.get('x-content-type-options'), 'nosniff', 'on errors too');
  });

  it('limits sign-ups per address at the entry: a burst past SIGNUP_BURST gets 429 from nginx', async () => {
    const answers = await Promise.all(
      Array.from({ length: 60 }, () =>
        fetch(`${entry.baseUrl}/api/auth/device`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ deviceSecret: randomBytes(32).toString('base64url') }),
        }).then((r) => r.status),
      ),
    );
    const refused = answers.filter((s) => s === 429).length;
    assert.ok(refused > 0, `60 sign-ups at once: ${answers.join(' ')}`);
    assert.deepEqual([...new Set(answers)].sort(), [200, 201, 429].filter((s) => answers.includes(s)).sort(), 'only successes and 429s');
  });

  it('TLS: plain HTTP redirects to HTTPS except the health checks; HTTPS answers with HSTS', async () => {
    const plain = await fetch(`${secure.baseUrl}/api/stations?limit=1`, { redirect: 'manual' });
    assert.equal(plain.status, 308);
    assert.equal(plain.headers.get('location'), `https://127.0.0.1:${secure.tlsPort}/api/stations?limit=1`);
    for (const path of ['/health', '/health/live', '/health/ready']) {
      const res = await fetch(`${secure.baseUrl}${path}`, { redirect: 'manual' });
      assert.equal(res.status, 200, `${path} over plain HTTP (load balancers, health checks)`);
      assert.equal(res.headers.get('strict-transport-security'), null, 'no HSTS on plain HTTP');
    }
    const res = await httpsRequest(`${secure.httpsUrl}/api/stations`, secure.ca);
    assert.equal(res.status, 200);
    assert.equal(res.headers['strict-transport-security'], 'max-age=31536000');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    await assert.rejects(
      httpsRequest(`${secure.httpsUrl}/health/live`, undefined),
      /self[- ]signed/,
      'the certificate is the generated one, not trusted by default',
    );
  });

  it('TLS: a client signs in over HTTPS and its room WebSocket runs over wss:// to the process holding the room', async () => {
    const json = { 'content-type': 'application/json' };
    const signedIn = await httpsRequest(`${secure.httpsUrl}/api/auth/device`, secure.ca, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ deviceSecret: randomBytes(32).toString('base64url') }),
    });
    assert.ok([200, 201].includes(signedIn.status), signedIn.body);
    const { accessToken } = JSON.parse(signedIn.body);
    const matched = await httpsRequest(`${secure.httpsUrl}/matchmake/create/session`, secure.ca, {
      method: 'POST',
      headers: { ...json, authorization: `Bearer ${accessToken}` },
      body: '{}',
    });
    assert.equal(matched.status, 200, matched.body);
    const seat = JSON.parse(matched.body);
    // The processes announce the plain entry (<host:port>/a or /b); the path prefix is what picks the process.
    const prefix = new URL(`ws://${seat.publicAddress}`).pathname;
    assert.match(prefix, /^\/(a|b)$/);
    const socket = new WebSocket(
      `wss://127.0.0.1:${secure.tlsPort}${prefix}/${seat.processId}/${seat.roomId}?sessionId=${seat.sessionId}&_authToken=${accessToken}`,
      { ca: secure.ca },
    );
    try {
      const first = await new Promise<Buffer>((resolve, reject) => {
        socket.once('message', (data) => resolve(data as Buffer));
        socket.once('error', reject);
        socket.once('close', (code) => reject(new Error(`closed ${code} before the join`)));
      });
      assert.equal(first[0], 10, 'the room answered the join (Colyseus JOIN_ROOM) through the TLS entry');
    } finally {
      socket.close();
    }
  });
});
