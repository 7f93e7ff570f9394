import assert from 'node:assert/strict';
import { InboundGuard } from '../../../rooms/inboundGuard.js';

function guard() {
  const clock = { now: 1_000_000 };
  return { clock, guard: new InboundGuard({ ratePerSec: 5, noticeIntervalMs: 1000, now: () => clock.now }) };
}
const alice = { sessionId: 'alice' };
const bob = { sessionId: 'bob' };

describe('InboundGuard (rooms/inboundGuard.ts): admission and notices per client', () => {
  it('forgets a departed client: back, it starts with a full bucket', () => {
    const { guard: g } = guard();
    g.forget(alice); // a client that never sent: nothing to drop, no error
    for (let i = 0; i < 6; i++) g.admit(alice);
    assert.equal(g.admit(alice), 'limited-silent');
    g.forget(alice);
    assert.equal(g.admit(alice), 'ok');
  });

  it('admits a burst of ratePerSec, then one RATE_LIMITED reply per notice interval, then refills', () => {
    const { clock, guard: g } = guard();
    const first = Array.from({ length: 8 }, () => g.admit(alice));
    assert.deepEqual(first, ['ok', 'ok', 'ok', 'ok', 'ok', 'limited', 'limited-silent', 'limited-silent']);
    assert.equal(g.admit(bob), 'ok', "one client's flood does not spend another's tokens");
    clock.now += 1000;
    const next = Array.from({ length: 7 }, () => g.admit(alice));
    assert.deepEqual(next, ['ok', 'ok', 'ok', 'ok', 'ok', 'limited', 'limited-silent']);
  });

  it('lets one log line through per interval and reports how many it held back', () => {
    const { clock, guard: g } = guard();
    assert.deepEqual(g.mayLog(alice), { log: true, suppressed: 0 });
    assert.deepEqual(g.mayLog(alice), { log: false, suppressed: 1 });
    assert.deepEqual(g.mayLog(alice), { log: false, suppressed: 2 });
    assert.deepEqual(g.mayLog(undefined), { log: true, suppressed: 0 }, 'a problem with no client is always logged');
    clock.now += 1000;
    assert.deepEqual(g.mayLog(alice), { log: true, suppressed: 2 });
  });
});
