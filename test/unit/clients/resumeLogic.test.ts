import assert from 'node:assert/strict';
import { Backoff, jittered, retryAfterOf } from '../../../clients/ts/src/backoff.js';
import { afterClose, classifyJoinFailure, CLOSE } from '../../../clients/ts/src/resumePolicy.js';
import { InputLog } from '../../../clients/ts/src/InputLog.js';
import { memoryStore, SessionRecordStore } from '../../../clients/ts/src/SessionRecord.js';
import { InputPacer } from '../../../clients/ts/src/InputPacer.js';

/** A random source that returns the given values in turn (then the last one). */
const seq = (...values: number[]) => {
  let i = 0;
  return () => values[Math.min(i++, values.length - 1)]!;
};

describe('clients/ts resume logic: backoff', () => {
  it('grows the ceiling 250 → 500 → 1000 … up to 8 s, and draws each delay uniformly under it (full jitter)', () => {
    const top = new Backoff({ random: () => 1 });
    assert.deepEqual(Array.from({ length: 8 }, () => top.next()), [250, 500, 1000, 2000, 4000, 8000, 8000, 8000]);
    const mid = new Backoff({ random: () => 0.5 });
    assert.deepEqual([mid.next(), mid.next(), mid.next()], [125, 250, 500]);
    // Never zero: a refused connection fails at once, and a client must not spin.
    assert.equal(new Backoff({ random: () => 0 }).next(), 50);
  });

  it('honours a server wait as a floor and adds jitter on top; reset starts over', () => {
    const b = new Backoff({ random: seq(0, 1, 1) });
    assert.equal(b.after(1200), 1200);
    assert.equal(b.after(1200), 1200 + 500, 'jitter up to the ceiling, which grew');
    b.reset();
    assert.equal(b.next(), 250);
  });

  it('spreads a named wait (moving.retryAfterMs) over [ms, 1.5 ms], at least 100 ms wide', () => {
    assert.equal(jittered(1000, () => 0), 1000);
    assert.equal(jittered(1000, () => 1), 1500);
    assert.equal(jittered(0, () => 1), 100);
    assert.equal(jittered(-5, () => 0), 0);
  });

  it('reads retryAfterMs=N from a refusal message', () => {
    assert.equal(retryAfterOf('RESUME_BUSY: resumes are paced; retryAfterMs=750'), 750);
    assert.equal(retryAfterOf('RESUME_BUSY'), null);
    assert.equal(retryAfterOf(undefined), null);
  });
});

describe('clients/ts resume logic: what a close and a refusal lead to', () => {
  it('closes only for 4000 and 4409; 4100 (or any close after `moving`) moves; everything else resumes', () => {
    assert.equal(afterClose(CLOSE.CONSENTED, false), 'closed');
    assert.equal(afterClose(CLOSE.SESSION_TAKEN_OVER, true), 'closed', 'taken over elsewhere: never taken back, even mid-move');
    assert.equal(afterClose(CLOSE.SESSION_MOVING, false), 'moving');
    assert.equal(afterClose(1006, true), 'moving', 'the draining process died before its 4100');
    for (const code of [1006, 1000, 1001, CLOSE.SERVER_SHUTDOWN, CLOSE.FAILED_TO_RECONNECT, 4002]) assert.equal(afterClose(code, false), 'resume', String(code));
  });

  const refusal = (code: number | string | undefined, message: string) => Object.assign(new Error(message), { code });

  it('falls back to a plain join on RESUME_INVALID/EXPIRED/FORBIDDEN/STALE, whatever the status', () => {
    assert.deepEqual(classifyJoinFailure(refusal(400, 'RESUME_INVALID: malformed credential'), true), { kind: 'fallback', code: 'RESUME_INVALID' });
    assert.deepEqual(classifyJoinFailure(refusal(401, 'RESUME_EXPIRED: older than 600 s'), true), { kind: 'fallback', code: 'RESUME_EXPIRED' });
    assert.deepEqual(classifyJoinFailure(refusal(403, 'RESUME_FORBIDDEN'), true), { kind: 'fallback', code: 'RESUME_FORBIDDEN' });
    assert.deepEqual(classifyJoinFailure(refusal(409, 'RESUME_STALE: a newer resume exists'), true), { kind: 'fallback', code: 'RESUME_STALE' });
    assert.deepEqual(classifyJoinFailure(refusal(409, 'conflict'), true), { kind: 'fallback', code: '409' }, 'an unnamed refusal of a resume');
  });

  it('waits as told on RESUME_BUSY (503) and 4503, refreshes the token on 401/4401, retries on network errors and 5xx', () => {
    assert.deepEqual(classifyJoinFailure(refusal(503, 'RESUME_BUSY: retryAfterMs=400'), true), { kind: 'busy', retryAfterMs: 400 });
    assert.deepEqual(classifyJoinFailure(refusal(CLOSE.BUSY, 'RESUME_BUSY retryAfterMs=90'), true), { kind: 'busy', retryAfterMs: 90 });
    assert.deepEqual(classifyJoinFailure(refusal(503, 'Service Unavailable'), false), { kind: 'retry', network: false });
    const rideMoving = Object.assign(refusal(503, 'the ride is moving to another server; look again in a second'), { headers: new Headers({ 'retry-after': '1' }) });
    assert.deepEqual(classifyJoinFailure(rideMoving, false), { kind: 'busy', retryAfterMs: 1000 }, 'an HTTP 503 with Retry-After (RIDE_MOVING) is a wait');
    const hinted = Object.assign(refusal(503, 'the ride is moving to another server; look again shortly (retryAfterMs=400)'), { headers: new Headers({ 'retry-after': '1' }) });
    assert.deepEqual(classifyJoinFailure(hinted, false), { kind: 'busy', retryAfterMs: 400 }, 'the hint in the message is finer than the header’s whole second');
    assert.deepEqual(classifyJoinFailure(refusal(503, 'SHUTTING_DOWN: this server is draining'), true), { kind: 'elsewhere' }, 'a draining process: at once, elsewhere');
    assert.deepEqual(classifyJoinFailure(refusal(401, 'access token expired'), true), { kind: 'token' });
    assert.deepEqual(classifyJoinFailure(refusal(CLOSE.JOIN_UNAUTHORIZED, 'unknown user'), false), { kind: 'token' });
    assert.deepEqual(classifyJoinFailure(refusal('ECONNREFUSED', 'fetch failed'), true), { kind: 'retry', network: true });
    assert.deepEqual(classifyJoinFailure(new TypeError('fetch failed'), false), { kind: 'retry', network: true });
    assert.deepEqual(classifyJoinFailure(refusal(500, 'boom'), false), { kind: 'retry', network: false });
    assert.deepEqual(classifyJoinFailure(refusal(400, 'bad join options'), false), { kind: 'fatal' });
  });
});

describe('clients/ts resume logic: input seq and the replay buffer', () => {
  it('numbers inputs 1, 2, 3 … and continues from a stored seq', () => {
    const log = new InputLog();
    assert.deepEqual(log.stamp('swipe', { direction: 'left', velocity: 850 }), { type: 'swipe', payload: { direction: 'left', velocity: 850, seq: 1 }, seq: 1 });
    assert.equal(log.stamp('journal', undefined).payload.seq, 2);
    assert.equal(new InputLog({ nextSeq: 41 }).stamp('tune', { frequency: 99.9 }).seq, 41);
  });

  it('after `resumed`, resends in order exactly the kept inputs above appliedSeq', () => {
    const log = new InputLog();
    for (let i = 0; i < 5; i++) log.sentOne(log.stamp('tune', { frequency: 90 + i }));
    const { resend, lost } = log.replayAfter(3);
    assert.deepEqual(resend.map((i) => i.seq), [4, 5]);
    assert.deepEqual(resend.map((i) => i.payload.frequency), [93, 94]);
    assert.equal(lost, 0);
    assert.equal(log.kept, 0, 'resent inputs are recorded again when sent');
    assert.equal(log.stamp('tune', { frequency: 99 }).seq, 6, 'numbering goes on');
  });

  it('keeps the last 64 sent; inputs in flight beyond that are counted lost', () => {
    const log = new InputLog({ keepSent: 4 });
    for (let i = 0; i < 10; i++) log.sentOne(log.stamp('swipe', {}));
    const { resend, lost } = log.replayAfter(2);
    assert.deepEqual(resend.map((i) => i.seq), [7, 8, 9, 10]);
    assert.equal(lost, 4, 'seqs 3–6 were sent, not applied, and no longer kept');
  });

  it('appliedSeq null (no snapshot survived): resends nothing already sent', () => {
    const log = new InputLog();
    log.sentOne(log.stamp('capture', { opId: 'a' }));
    assert.deepEqual(log.replayAfter(null), { resend: [], lost: 0 });
  });

  it('never numbers at or below what the server applied (moving.appliedSeq, resumed.appliedSeq)', () => {
    const log = new InputLog({ nextSeq: 3 });
    log.acknowledge(10);
    assert.equal(log.nextSeq, 11);
    const other = new InputLog({ nextSeq: 2 });
    other.replayAfter(7);
    assert.equal(other.stamp('swipe', {}).seq, 8);
  });

  it('`moving` acknowledges what was applied: only the rest is resent', () => {
    const log = new InputLog();
    for (let i = 0; i < 4; i++) log.sentOne(log.stamp('swipe', {}));
    log.acknowledge(3);
    assert.equal(log.kept, 1);
    assert.deepEqual(log.replayAfter(3).resend.map((i) => i.seq), [4]);
  });

  it('a fresh session (welcome after a refused resume) replays nothing of the old one; numbering goes on', () => {
    const log = new InputLog();
    log.sentOne(log.stamp('swipe', {}));
    log.forgetSent();
    assert.equal(log.kept, 0);
    assert.equal(log.nextSeq, 2);
  });
});

describe('clients/ts resume logic: the session record and held inputs', () => {
  it('keeps the credential, session id and next seq in one entry; clear() keeps the id for lastSessionId', () => {
    const storage = memoryStore();
    const a = new SessionRecordStore(storage, 'k');
    a.update({ resume: 'cred', sessionId: 's-1', nextSeq: 17, reconnectionToken: 'room:tok' });
    const reloaded = new SessionRecordStore(storage, 'k');
    assert.deepEqual(reloaded.current, { resume: 'cred', sessionId: 's-1', nextSeq: 17, reconnectionToken: 'room:tok' });
    reloaded.clear();
    assert.deepEqual(new SessionRecordStore(storage, 'k').current, { resume: null, sessionId: 's-1', nextSeq: 17, reconnectionToken: null });
  });

  it('reads a damaged entry as empty', () => {
    const storage = memoryStore();
    storage.setItem('k', '{not json');
    assert.deepEqual(new SessionRecordStore(storage, 'k').current, { resume: null, sessionId: null, nextSeq: 1, reconnectionToken: null });
    storage.setItem('k', JSON.stringify({ resume: 5, nextSeq: -3 }));
    assert.deepEqual(new SessionRecordStore(storage, 'k').current, { resume: null, sessionId: null, nextSeq: 1, reconnectionToken: null });
  });

  it('a held pacer sends nothing; its queue stays bounded (oldest dropped) and latest-wins; release sends in order', () => {
    const sent: Array<[string, unknown]> = [];
    const pacer = new InputPacer((t, p) => sent.push([t, p]), () => 0, { maxQueued: 3, burst: 10 });
    pacer.held = true;
    for (let i = 0; i < 5; i++) pacer.input('capture', { opId: `c${i}` });
    pacer.input('swipe', { velocity: 1 });
    pacer.input('swipe', { velocity: 2 });
    assert.equal(sent.length, 0);
    assert.equal(pacer.dropped, 2);
    pacer.held = false;
    pacer.flush();
    assert.deepEqual(sent, [['capture', { opId: 'c2' }], ['capture', { opId: 'c3' }], ['capture', { opId: 'c4' }], ['swipe', { velocity: 2 }]]);
  });
});
