import assert from 'node:assert/strict';
import { cronInWords } from '../../../web/src/ops/cronWords.js';

describe('ops console: cron schedules in words', () => {
  it('says the shapes the jobs use in words, UTC named where a time of day is', () => {
    assert.equal(cronInWords('* * * * *'), 'every minute');
    assert.equal(cronInWords('*/5 * * * *'), 'every 5 minutes');
    assert.equal(cronInWords('15 * * * *'), 'every hour at :15');
    assert.equal(cronInWords('10 2 * * *'), 'every day at 02:10 UTC');
    assert.equal(cronInWords('0 0 3 * * *'), 'every day at 03:00 UTC', 'six fields with seconds at 0');
    assert.equal(cronInWords('30 4 * * 1'), 'every Monday at 04:30 UTC');
    assert.equal(cronInWords('30 4 * * 7'), 'every Sunday at 04:30 UTC');
  });

  it('gives back any other pattern as it is', () => {
    for (const p of ['0 3 1 * *', '0 3 * 6 *', '0 */2 * * *', '5,35 * * * *', '0 25 * * *', 'nonsense']) assert.equal(cronInWords(p), p);
  });
});
