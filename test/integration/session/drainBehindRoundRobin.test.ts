import assert from 'node:assert/strict';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { startServerPair, type ServerProcess } from '../../support/serverProcess.js';
import { redisUrl } from '../../support/postgres.js';
import { deleteKeysWithPrefix } from '../../support/redis.js';
import { signIn } from '../../support/auth.js';
import { SessionClient, type ConnectionStatus } from '../../../clients/ts/src/SessionClient.js';
import { memoryStore } from '../../../clients/ts/src/SessionRecord.js';

/** A plain TCP round-robin entry, as the simplest balancer: each new connection to the next upstream, no health checks. */
function roundRobin(ports: number[]): Promise<{ port: number; server: net.Server }> {
  let next = 0;
  const server = net.createServer((client) => {
    const upstream = net.connect(ports[next++ % ports.length]!, '127.0.0.1');
    const close = () => (client.destroy(), upstream.destroy());
    client.pipe(upstream).on('error', close);
    upstream.pipe(client).on('error', close);
    client.on('close', close);
    upstream.on('close', close);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ port: (server.address() as net.AddressInfo).port, server })));
}

const p99 = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil(values.length * 0.99) - 1)] ?? 0;

/** The figure for a listener's outage when its process drains; doubled for the shared 2-core box. */
const OUTAGE_P99_MS = 1500;
const SLACK = 2;
const LISTENERS = 16;

/**
 * Two processes on one Redis behind a TCP round-robin entry, listeners on clients/ts SessionClient knowing only the
 * entry. SIGTERM to one: its matchmaking refusals are coded (503 SHUTTING_DOWN) and close the connection, so each
 * retry's new connection can reach the other process, and the client retries promptly instead of backing off
 * against the draining one.
 */
describe('a draining process behind a round-robin entry does not trap its clients', function () {
  this.timeout(180_000);
  const prefix = `ds_test_drain_rr_${randomBytes(4).toString('hex')}:`;
  let db: TestDatabase;
  let servers: ServerProcess[] = [];
  let entry: net.Server | undefined;
  const clients: SessionClient[] = [];

  before(async () => {
    db = await createTestDatabase();
    // Seats are reached directly (each at its own PUBLIC_ADDRESS); only matchmaking (and sign-in) crosses the entry.
    servers = await startServerPair(db.url, prefix, { ROOM_PLACEMENT: 'least_rooms' });
  });

  after(async () => {
    await Promise.all(clients.map((c) => c.leave().catch(() => undefined)));
    entry?.close();
    await Promise.all(servers.map((s) => s.stop('SIGTERM')));
    const redis = new Redis(redisUrl());
    await deleteKeysWithPrefix(redis, prefix);
    redis.disconnect();
    await db?.drop();
  });

  it(`SIGTERM to one: refusals coded and quiet, every moved listener back, outage p99 ≤ ${OUTAGE_P99_MS} ms × ${SLACK}`, async () => {
    const rr = await roundRobin(servers.map((s) => s.port));
    entry = rr.server;
    const url = `http://127.0.0.1:${rr.port}`;
    const listen = async () => {
      const device = await signIn(url);
      const client = new SessionClient(url.replace(/^http/, 'ws'), { storage: memoryStore() });
      const seen = { statuses: [] as ConnectionStatus[], refusals: 0, downAt: 0, outagesMs: [] as number[], welcomes: 0, resumed: 0 };
      client.on('welcome', () => seen.welcomes++);
      client.on('resumed', () => seen.resumed++);
      client.on('connection', (status, detail) => {
        seen.statuses.push(status);
        if (detail?.includes('SHUTTING_DOWN')) seen.refusals++;
        if (status !== 'connected') seen.downAt ||= Date.now();
        else if (seen.downAt) {
          seen.outagesMs.push(Date.now() - seen.downAt);
          seen.downAt = 0;
        }
      });
      clients.push(client);
      await client.connect({ deviceModel: 'node' }, { accessToken: async () => device.accessToken, invalidate: () => undefined });
      return seen;
    };
    // In waves: placement reads room counts at most once a second, and the processes should share the listeners.
    const watched: Array<Awaited<ReturnType<typeof listen>>> = [];
    for (let wave = 0; wave < 4; wave++) {
      watched.push(...(await Promise.all(Array.from({ length: LISTENERS / 4 }, listen))));
      await new Promise((r) => setTimeout(r, 1100));
    }
    const [draining] = servers;
    assert.equal(await draining.stop('SIGTERM', 20_000), 0, draining.output().slice(-3000));
    const moved = watched.filter((w) => w.resumed > 0 || w.downAt > 0);
    const deadline = Date.now() + 20_000;
    while (moved.some((w) => w.downAt > 0 || w.resumed === 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const outages = moved.flatMap((w) => w.outagesMs);
    const refusals = moved.map((w) => w.refusals);
    console.log(
      `      ${moved.length} of ${LISTENERS} listeners moved; outage p99 ${p99(outages)} ms (max ${Math.max(...outages)}); SHUTTING_DOWN refusals ${refusals.reduce((a, b) => a + b, 0)} (most for one listener ${Math.max(...refusals)})`,
    );
    assert.ok(moved.length > 0 && moved.length < LISTENERS, `listeners on the drained process: ${moved.length}`);
    for (const w of moved) {
      assert.equal(w.resumed, 1, `resumed once: ${w.statuses.join(' → ')}`);
      assert.equal(w.statuses.includes('closed'), false, w.statuses.join(' → '));
      assert.equal(w.statuses.at(-1), 'connected');
    }
    assert.ok(p99(outages) <= OUTAGE_P99_MS * SLACK, `outage p99 ${p99(outages)} ms`);
    const errorLines = draining
      .output()
      .split('\n')
      .filter((l) => /"level":(50|60)/.test(l));
    assert.deepEqual(errorLines, [], 'a refusal is no error');
  });
});
