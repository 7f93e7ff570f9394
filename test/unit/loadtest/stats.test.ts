import assert from 'node:assert/strict';
import {
  addTraffic,
  bump,
  emptyCounters,
  emptyTraffic,
  encodeHistogram,
  jitterOf,
  mergeCounters,
  mergeHistograms,
  newHistogram,
  overlap,
  perBotRates,
  recordMs,
  summarize,
  wsHeaderBytes,
  countFrameIn,
  countFrameOut,
} from '../../../loadtest/stats.js';

describe('loadtest stats aggregation', () => {
  it('records milliseconds as microseconds and reports HDR percentiles in ms', () => {
    const h = newHistogram();
    for (let i = 1; i <= 100; i++) recordMs(h, i);
    const s = summarize(h);
    assert.equal(s.count, 100);
    assert.ok(Math.abs(s.p50! - 50) < 0.1, `p50 ${s.p50}`);
    assert.ok(Math.abs(s.p95! - 95) < 0.1, `p95 ${s.p95}`);
    assert.ok(Math.abs(s.p99! - 99) < 0.1, `p99 ${s.p99}`);
    assert.ok(Math.abs(s.max! - 100) < 0.1);
    assert.ok(Math.abs(s.mean! - 50.5) < 0.1);
  });

  it('ignores negative and non-finite samples; empty summaries are nulls', () => {
    const h = newHistogram();
    recordMs(h, -1);
    recordMs(h, NaN);
    assert.deepEqual(summarize(h), { count: 0, p50: null, p95: null, p99: null, max: null, mean: null });
  });

  it('merges histograms shipped between threads as compressed base64', () => {
    const a = newHistogram();
    const b = newHistogram();
    for (let i = 0; i < 90; i++) recordMs(a, 10);
    for (let i = 0; i < 10; i++) recordMs(b, 200);
    const merged = summarize(mergeHistograms([encodeHistogram(a), encodeHistogram(b), '']));
    assert.equal(merged.count, 100);
    assert.ok(Math.abs(merged.p50! - 10) < 0.05);
    assert.ok(Math.abs(merged.p95! - 200) < 0.2);
  });

  it('sums counters deeply, including maps of error codes', () => {
    const a = emptyCounters();
    const b = emptyCounters();
    a.sessions.connected = 3;
    b.sessions.connected = 2;
    a.errors['swipe:RATE_LIMITED'] = 1;
    b.errors['swipe:RATE_LIMITED'] = 2;
    b.errors['capture:BUSY'] = 1;
    const total = mergeCounters(emptyCounters(), a);
    mergeCounters(total, b);
    assert.equal(total.sessions.connected, 5);
    assert.deepEqual(total.errors, { 'swipe:RATE_LIMITED': 3, 'capture:BUSY': 1 });
  });

  it('bounds the number of distinct error keys', () => {
    const m: Record<string, number> = {};
    for (let i = 0; i < 5; i++) bump(m, `k${i}`, 3);
    assert.deepEqual(m, { k0: 1, k1: 1, k2: 1, other: 2 });
  });

  it('per-bot rates divide by connected bot-seconds', () => {
    const t = addTraffic(emptyTraffic(), { ...emptyTraffic(), framesIn: 200, bytesIn: 10_000, botSeconds: 10 });
    addTraffic(t, { ...emptyTraffic(), framesIn: 200, bytesIn: 10_000, botSeconds: 10 });
    const r = perBotRates(t);
    assert.equal(r.framesInPerSec, 20);
    assert.equal(r.bytesInPerSec, 1000);
    assert.equal(perBotRates(emptyTraffic()).bytesInPerSec, 0);
  });

  it('clips connection intervals to the measurement window', () => {
    assert.equal(overlap(0, 10, 5, 20), 5);
    assert.equal(overlap(6, 8, 5, 20), 2);
    assert.equal(overlap(25, 30, 5, 20), 0);
  });

  it('jitter is the distance to the nearest whole number of patch periods', () => {
    assert.equal(jitterOf(50, 50), 0);
    assert.equal(jitterOf(53, 50), 3);
    assert.equal(jitterOf(148, 50), 2); // an idle room skipped two patches
    assert.equal(jitterOf(10, 50), 40); // a burst: closer to one period than to none
  });

  it('WebSocket header sizes follow RFC 6455', () => {
    assert.equal(wsHeaderBytes(10, false), 2);
    assert.equal(wsHeaderBytes(10, true), 6);
    assert.equal(wsHeaderBytes(200, false), 4);
    assert.equal(wsHeaderBytes(70_000, true), 14);
  });

  it('counts frames with their wire size; patches also apart', () => {
    const t = emptyTraffic();
    countFrameIn(t, 200, true);
    countFrameIn(t, 10, false);
    countFrameOut(t, 20);
    assert.deepEqual(t, {
      framesIn: 2,
      bytesIn: 210,
      wireBytesIn: 210 + 4 + 2,
      framesOut: 1,
      bytesOut: 20,
      wireBytesOut: 20 + 6,
      patchFramesIn: 1,
      patchBytesIn: 200,
      botSeconds: 0,
    });
  });
});
