import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import pino from 'pino';
import { RedisLiveness, redisGate } from '../../../src/http/redisLiveness.js';
import { healthReport } from '../../../src/http/healthRoutes.js';
import { servedUnlessRefused } from '../../../src/http/edge.js';
import { allowingForLoad } from '../../support/time.js';

const SETTINGS = { redisPingEveryMs: 1000, redisTripMs: 200, redisPingStuckMs: 10_000 };
import { watchRedis } from '../../../persistence/backplane/redisWatch.js';

/** A backplane whose ping answers, fails, or hangs (a partition: no reset, no answer), as the test says. */
function fakeBackplane() {
  const hung: Array<() => void> = [];
  const b = {
    kind: 'redis' as const,
    mode: 'up' as 'up' | 'hang' | 'error',
    ping: () =>
      b.mode === 'up' ? Promise.resolve() : b.mode === 'error' ? Promise.reject(new Error('ECONNREFUSED')) : new Promise<void>((resolve) => hung.push(resolve)),
    /** The partition heals: the pings out get their answers. */
    heal: () => {
      b.mode = 'up';
      for (const answer of hung.splice(0)) answer();
    },
  };
  return b;
}

describe('Redis liveness: a process cut from its Redis says so at once and refuses what needs Redis', function () {
  this.timeout(10_000);
  const log = pino({ level: 'silent' });

  it('an unanswered ping marks it down (not ready, matchmaking and sign-in refused 503); an answer marks it up', async () => {
    const backplane = fakeBackplane();
    const liveness = new RedisLiveness(backplane, SETTINGS, log);
    const gate = redisGate(liveness);
    await liveness.check();
    assert.equal(liveness.down, false);
    for (const path of ['/matchmake/create/session', '//Matchmake/joinOrCreate/session', '/api/auth/device'])
      assert.equal(gate.applies('POST', path), true, path);
    for (const path of ['/health/ready', '/api/passport/batch', '/metrics']) assert.equal(gate.applies('GET', path), false, path);
    await gate.admit('10.0.0.1'); // nothing refused while Redis answers
    const sql = { query: async () => [] } as never;
    const health = { sql, backplane, liveness, probeTimeoutMs: 1000, transport: 'uws', startedAt: Date.now() };
    assert.equal((await healthReport(health)).body.redis, 'up');

    backplane.mode = 'hang';
    await liveness.check(); // gives the ping its trip time, then keeps waiting for it in the background
    assert.equal(liveness.down, true);
    await assert.rejects(gate.admit('10.0.0.1'), (err: { code?: string }) => err.code === 'REDIS_UNAVAILABLE');
    const report = await healthReport(health);
    assert.equal(report.body.redis, 'down', 'the health report says so without waiting out a ping');

    await liveness.check();
    assert.equal(liveness.down, true, 'no second ping while the first is out');
    backplane.heal();
    await new Promise((r) => setImmediate(r));
    assert.equal(liveness.down, false, 'the late answer marks it up');

    backplane.mode = 'error';
    await liveness.check();
    assert.equal(liveness.down, true, 'a refused ping is no answer either');
    backplane.mode = 'up';
    await liveness.check();
    assert.equal(liveness.down, false);
  });

  it('the readiness report and the gate agree: until the trip both take Redis as answering, from it both refuse', async () => {
    const backplane = fakeBackplane();
    const liveness = new RedisLiveness(backplane, SETTINGS, log);
    const sql = { query: async () => [] } as never;
    backplane.mode = 'hang'; // cut, not yet noticed: a report pinging on its own would say "down" while the gate admits
    const report = await healthReport({ sql, backplane, liveness, probeTimeoutMs: 50, transport: 'uws', startedAt: Date.now() });
    assert.equal(report.body.redis, 'up');
    await redisGate(liveness).admit('10.0.0.1');
    await liveness.check();
    assert.equal((await healthReport({ sql, backplane, liveness, probeTimeoutMs: 50, transport: 'uws', startedAt: Date.now() })).body.redis, 'down');
  });

  it('a request already waiting on Redis when the pings find it gone is answered 503 REDIS_UNAVAILABLE then, not when Redis answers', async () => {
    const backplane = fakeBackplane();
    const liveness = new RedisLiveness(backplane, SETTINGS, log);
    const gate = redisGate(liveness);
    const hungRoute = new Promise<Response>(() => undefined); // a sign-in waiting on a Redis that does not answer
    const answered = servedUnlessRefused([gate], () => hungRoute);
    backplane.mode = 'hang';
    const t0 = Date.now();
    await liveness.check();
    await assert.rejects(answered, (err: { code?: string }) => err.code === 'REDIS_UNAVAILABLE');
    assert.ok(Date.now() - t0 < allowingForLoad(SETTINGS.redisTripMs + 500), 'answered at the trip');

    backplane.heal();
    await new Promise((r) => setImmediate(r));
    const served = await servedUnlessRefused([gate], async () => new Response('ok'));
    assert.equal(await served.text(), 'ok', 'a route that answers is answered as usual');
    const watch = gate.whileServed!();
    watch.stop();
    backplane.mode = 'hang';
    await liveness.check(); // a trip after the route answered rejects nothing (no unhandled rejection either)
  });

  it('one warn line per outage per connection, and an info line with its length when it is back', () => {
    const client = new EventEmitter();
    const lines: Array<{ level: string; obj: Record<string, unknown> }> = [];
    const sink = {
      warn: (obj: object) => void lines.push({ level: 'warn', obj: obj as Record<string, unknown> }),
      info: (obj: object) => void lines.push({ level: 'info', obj: obj as Record<string, unknown> }),
    };
    let now = 1000;
    watchRedis(client, 'driver', sink, () => now);
    for (let i = 0; i < 5; i++) client.emit('error', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    now = 11_000;
    client.emit('ready');
    client.emit('error', new Error('read ECONNRESET'));
    assert.deepEqual(
      lines.map((l) => l.level),
      ['warn', 'info', 'warn'],
    );
    assert.deepEqual(lines[0].obj, { redisClient: 'driver', err: 'connect ECONNREFUSED', code: 'ECONNREFUSED' });
    assert.deepEqual(lines[1].obj, { redisClient: 'driver', outageMs: 10_000, errors: 5 });
  });
});
