import assert from 'node:assert/strict';
import { ResumeAdmission } from '../../../features/handoff/ResumeAdmission.js';
import { ResumeError } from '../../../features/handoff/ResumeCredentials.js';

describe('ResumeAdmission: a bounded queue in front of restores', () => {
  it('runs `concurrency` at once, queues up to `maxQueued` in order, refuses past it with a delay that grows with the backlog', async () => {
    const admission = new ResumeAdmission({ concurrency: 2, maxQueued: 3, retryPerQueuedMs: 100 });
    const first = await admission.enter();
    const second = await admission.enter();
    const order: number[] = [];
    const queued = [1, 2, 3].map((n) => admission.enter().then((release) => (order.push(n), release)));
    assert.deepEqual(admission.stats(), { running: 2, waiting: 3, admitted: 2, refused: 0 });
    await assert.rejects(admission.enter(), (err: ResumeError) => err.code === 'RESUME_BUSY' && /retryAfterMs=250/.test(err.message));
    first();
    first(); // a second release of one slot is ignored
    second();
    const [r1, r2] = await Promise.all(queued.slice(0, 2));
    assert.deepEqual(order, [1, 2], 'the queue is first come, first served');
    r1();
    const r3 = await queued[2];
    assert.deepEqual(order, [1, 2, 3]);
    r2();
    r3();
    assert.deepEqual(admission.stats(), { running: 0, waiting: 0, admitted: 5, refused: 1 });
  });
});
