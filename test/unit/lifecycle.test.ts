import assert from 'node:assert/strict';
import { createLogger } from '../../src/logger.js';
import { Lifecycle } from '../../src/lifecycle.js';

describe('Lifecycle shutdown hooks', () => {
  it('onDraining hooks run once, before the first stop, even when one throws; the stops run in reverse', async () => {
    const life = new Lifecycle(createLogger('silent'), 5000);
    const log: string[] = [];
    life.add('first', () => void log.push('stop first'));
    life.add('second', () => void log.push('stop second'));
    life.onDraining(() => {
      throw new Error('a broken hook');
    });
    life.onDraining(() => void log.push(`hook (draining ${life.draining})`));
    assert.deepEqual(await life.stopAll(), []);
    assert.deepEqual(log, ['hook (draining true)', 'stop second', 'stop first']);
    await life.stopAll();
    assert.equal(log.length, 3, 'a second stopAll runs no hook again');
  });

  it('a stop begun at the drain runs alongside the stops awaited before it, is awaited in its place, and its failure is reported', async () => {
    const life = new Lifecycle(createLogger('silent'), 5000);
    const log: string[] = [];
    let finish = (): void => undefined;
    life.add('database', () => void log.push('database'));
    life.addBegunAtDrain('sessions', async () => {
      log.push('sessions begin');
      await new Promise<void>((resolve) => (finish = resolve));
      log.push('sessions done');
      throw new Error('one session not saved');
    });
    life.add('stats', async () => {
      log.push('stats');
      finish();
    });
    assert.deepEqual(await life.stopAll(), ['sessions']);
    assert.deepEqual(log, ['sessions begin', 'stats', 'sessions done', 'database']);
  });

  it('pending() names the reported work still to drain, leaving out what is done', () => {
    const life = new Lifecycle(createLogger('silent'), 5000);
    let queued = 3;
    life.reportPending('passportEventsQueued', () => queued);
    life.reportPending('jobsRunning', () => 0);
    assert.deepEqual(life.pending(), { passportEventsQueued: 3 });
    queued = 0;
    assert.deepEqual(life.pending(), {});
  });
});
