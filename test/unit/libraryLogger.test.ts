import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { createLibraryLogger } from '../../src/libraryLogger.js';
import type { Logger } from '../../src/logger.js';

/** A library logger on a real pino writing into an array, on a clock the test moves. */
function logger() {
  const lines: Array<{ msg: string; repeatsHeldBack: number }> = [];
  const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(JSON.parse(String(chunk))), done()) });
  let t = 0;
  const log = createLibraryLogger(pino(sink) as unknown as Logger, 'test', 10_000, () => t);
  return { log, lines, advance: (ms: number) => (t += ms) };
}

describe('library logger (the Colyseus and console throttle)', () => {
  it('writes one line per distinct fault per interval, then says how many repeats it held back', () => {
    const { log, lines, advance } = logger();
    const fault = (byte: number) => new Error(`bad frame at byte ${byte}`); // one throw site
    for (let i = 0; i < 5; i++) log.error(fault(i));
    assert.equal(lines.length, 1, 'the same fault with other bytes is one line');
    advance(10_001);
    log.error(fault(9));
    assert.equal(lines.length, 2);
    assert.equal(lines[1]!.repeatsHeldBack, 4);
  });

  it('remembers at most 1000 faults: past it the least recently logged is forgotten and logs again', () => {
    const { log, lines } = logger();
    log.warn('first fault');
    // Digits are masked in the key, so each name is spelled in letters.
    const name = (i: number) => [...i.toString(36)].map((c) => (/\d/.test(c) ? String.fromCharCode(65 + Number(c)) : c)).join('');
    for (let i = 0; i < 1000; i++) log.warn(`fault ${name(i)}`);
    const before = lines.length;
    assert.equal(before, 1001);
    log.warn('first fault');
    assert.equal(lines.length, before + 1, 'forgotten, so logged again within the interval');
  });
});
