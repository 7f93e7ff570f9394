import assert from 'node:assert/strict';
import { LogTail } from '../../../features/ops/logTail.js';
import { createLogger } from '../../../src/logger.js';

describe('ops log tail', () => {
  it('keeps the last N lines, newest first, filtered by level', () => {
    const tail = new LogTail(3);
    for (let i = 1; i <= 5; i++) tail.write(JSON.stringify({ level: i % 2 ? 30 : 40, msg: `m${i}` }));
    assert.deepEqual(
      tail.lines(10).map((l) => l.msg),
      ['m5', 'm4', 'm3'],
    );
    assert.deepEqual(
      tail.lines(10, 'warn').map((l) => l.msg),
      ['m4'],
    );
    assert.deepEqual(
      tail.lines(1).map((l) => l.msg),
      ['m5'],
    );
    tail.write('not json');
    assert.deepEqual(
      tail.lines(10).map((l) => l.msg),
      ['m5', 'm4'],
      'a line that is not JSON is skipped; the ring still holds 3',
    );
  });

  it('sees what the logger writes, with secrets redacted', async () => {
    const tail = new LogTail(10);
    const log = createLogger('info', tail);
    log.info({ user: { accessToken: 'eyJhbGciOi.secret', deviceSecret: 'hunter2' }, roomId: 'r1' }, 'signed in');
    log.debug('below the level');
    await new Promise((r) => setImmediate(r));
    const [line] = tail.lines(10);
    assert.equal(line.msg, 'signed in');
    assert.deepEqual(line.user, { accessToken: '[redacted]', deviceSecret: '[redacted]' });
    assert.equal(tail.lines(10).length, 1);
    assert.equal(new LogTail(0).lines(5).length, 0);
  });
});
