import assert from 'node:assert/strict';
import { CounterSaves } from '../../../rooms/session/counterSaves.js';

/** A writer whose saves finish only when the test says so, recording the order they start and finish in. */
function heldWriter() {
  const log: string[] = [];
  const pending: Array<() => void> = [];
  const write = (ended: boolean) =>
    new Promise<void>((resolve) => {
      const name = ended ? 'end' : 'open';
      log.push(`start ${name}`);
      pending.push(() => {
        log.push(`done ${name}`);
        resolve();
      });
    });
  const finishNext = async () => {
    await new Promise((r) => setImmediate(r));
    pending.shift()?.();
    await new Promise((r) => setImmediate(r));
  };
  return { log, write, finishNext, running: () => pending.length };
}

describe('CounterSaves (a session room orders its counter saves)', () => {
  it('the end waits for an open save in flight and starts only after it is done', async () => {
    const w = heldWriter();
    const saves = new CounterSaves(w.write, 0, () => 1000);
    const open = saves.whileOpen();
    const end = saves.end();
    await w.finishNext();
    assert.deepEqual(w.log, ['start open', 'done open', 'start end']);
    await w.finishNext();
    await Promise.all([open, end]);
    assert.deepEqual(w.log, ['start open', 'done open', 'start end', 'done end']);
  });

  it('an open save asked for after the end writes nothing, and a second end writes nothing either', async () => {
    const w = heldWriter();
    const saves = new CounterSaves(w.write, 0, () => 1000);
    const end = saves.end();
    let lateSettled = false;
    void saves.whileOpen().then(() => (lateSettled = true));
    const again = saves.end();
    await new Promise((r) => setImmediate(r));
    assert.equal(lateSettled, true, 'a skipped open save does not wait for the end in flight');
    await w.finishNext();
    await Promise.all([end, again]);
    assert.deepEqual(w.log, ['start end', 'done end']);
  });

  it('open saves are spaced by the interval; the first one is immediate', async () => {
    let nowMs = 5_000;
    const started: boolean[] = [];
    const saves = new CounterSaves(
      async (ended) => void started.push(ended),
      30_000,
      () => nowMs,
    );
    await saves.whileOpen();
    nowMs += 29_999;
    await saves.whileOpen();
    assert.equal(started.length, 1, 'within the interval: no second save');
    nowMs += 1;
    await saves.whileOpen();
    assert.deepEqual(started, [false, false]);
    await saves.end();
    assert.deepEqual(started, [false, false, true], 'the end is not spaced');
  });

  it('bounded: while a save runs, many open saves asked for become one waiting save', async () => {
    const w = heldWriter();
    const saves = new CounterSaves(w.write, 0, () => 1000);
    const first = saves.whileOpen();
    await new Promise((r) => setImmediate(r));
    const asked = Array.from({ length: 49 }, () => saves.whileOpen());
    await w.finishNext();
    assert.deepEqual(w.log, ['start open', 'done open', 'start open'], 'the first runs, the other 49 wait as one');
    void saves.whileOpen(); // one more may wait behind the one now running
    await w.finishNext();
    await w.finishNext();
    assert.equal(w.running(), 0, 'three saves in all: nothing else runs or waits');
    await Promise.all([first, ...asked]);
    assert.deepEqual(w.log, ['start open', 'done open', 'start open', 'done open', 'start open', 'done open']);
  });

  it('a failed save does not stop the end behind it', async () => {
    const started: boolean[] = [];
    const saves = new CounterSaves(
      async (ended) => {
        started.push(ended);
        if (!ended) throw new Error('pool closed');
      },
      0,
      () => 0,
    );
    await saves.whileOpen().catch(() => undefined);
    await saves.end();
    assert.deepEqual(started, [false, true]);
  });
});
