import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import pino from 'pino';
import { RedisLiveness, redisGate } from '../../../src/http/redisLiveness.js';
import { healthReport } from '../../../src/http/healthRoutes.js';
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
    const liveness = new RedisLiveness(backplane, log);
    const gate = redisGate(liveness);
    await liveness.check();
    assert.equal(liveness.down, false);
    assert.equal(gate.applies('POST', '/matchmake/create/session'), false, 'nothing refused while Redis answers');

    backplane.mode = 'hang';
    await liveness.check(); // gives the ping its second, then keeps waiting for it in the background
    assert.equal(liveness.down, true);
    for (const path of ['/matchmake/create/session', '//Matchmake/joinOrCreate/session', '/api/auth/device'])
      assert.equal(gate.applies('POST', path), true, path);
    for (const path of ['/health/ready', '/api/passport/batch', '/metrics']) assert.equal(gate.applies('GET', path), false, path);
    await assert.rejects(gate.admit('10.0.0.1'), (err: { code?: string }) => err.code === 'REDIS_UNAVAILABLE');
    const sql = { query: async () => [] } as never;
    const report = await healthReport({ sql, backplane, liveness, transport: 'uws', startedAt: Date.now() });
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
