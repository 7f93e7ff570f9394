import assert from 'node:assert/strict';
import { bucketsOf, parsePrometheusText, quantileBetween, valueOf } from '../../../loadtest/promText.js';
import { summarizeSnapshots } from '../../../loadtest/serverSampler.js';

const text = (cpu: number, accepted: number, persisted: number, patchBytes: number, tickBuckets: number[]) => `# HELP process_cpu_seconds_total cpu
# TYPE process_cpu_seconds_total counter
process_cpu_seconds_total ${cpu}
process_resident_memory_bytes 104857600
ds_room_clients{room="session"} 100
ds_rooms{room="session"} 100
ds_room_sent_bytes_total{room="session",kind="patch"} ${patchBytes}
ds_room_sent_bytes_total{room="session",kind="message"} 5
ds_passport_events_accepted_total ${accepted}
ds_passport_events_persisted_total ${persisted}
ds_passport_queue_depth ${accepted - persisted}
ds_event_loop_delay_seconds{quantile="1"} 0.012
ds_room_tick_duration_seconds_bucket{le="0.001",room="session"} ${tickBuckets[0]}
ds_room_tick_duration_seconds_bucket{le="0.01",room="session"} ${tickBuckets[1]}
ds_room_tick_duration_seconds_bucket{le="+Inf",room="session"} ${tickBuckets[2]}
ds_room_tick_duration_seconds_sum{room="session"} 1
ds_room_tick_duration_seconds_count{room="session"} ${tickBuckets[2]}
`;

describe('Prometheus text reading', () => {
  it('parses samples with labels, escapes and +Inf', () => {
    const samples = parsePrometheusText('a_total{x="q\\"uote",y="2"} 3\n# comment\nb 1.5e3\nc{le="+Inf"} +Inf\n');
    assert.deepEqual(samples[0], { name: 'a_total', labels: { x: 'q"uote', y: '2' }, value: 3 });
    assert.equal(valueOf(samples, 'b'), 1500);
    assert.equal(samples[2].value, Infinity);
    assert.equal(valueOf(samples, 'missing'), null);
  });

  it('computes a quantile from bucket deltas like histogram_quantile', () => {
    const start = new Map([
      [0.001, 0],
      [0.01, 0],
      [Infinity, 0],
    ]);
    const end = new Map([
      [0.001, 50],
      [0.01, 100],
      [Infinity, 100],
    ]);
    assert.equal(quantileBetween(start, end, 0.5), 0.001);
    assert.ok(Math.abs(quantileBetween(start, end, 0.75)! - 0.0055) < 1e-9);
    assert.equal(quantileBetween(end, end, 0.5), null);
  });

  it('summarises server snapshots over the window', () => {
    const snap = (t: number, body: string) => ({ t, samples: parsePrometheusText(body) });
    const s = summarizeSnapshots(
      [
        snap(0, text(1, 0, 0, 0, [0, 0, 0])),
        snap(10_000, text(6, 1000, 900, 30_000, [80, 100, 100])),
        snap(12_000, text(6.2, 1000, 1000, 30_000, [80, 100, 100])),
      ],
      0,
      10_000,
    );
    assert.equal(s.available, true);
    assert.equal(s.cpuPercentAvg, 50); // 5 CPU-seconds over 10 s
    assert.equal(s.rssMbMax, 100);
    assert.equal(s.patchBytesPerSessionPerSec, 30); // 30,000 B / 10 s / 100 sessions
    assert.equal(s.passport?.acceptedInWindow, 1000);
    assert.equal(s.passport?.persistedInWindow, 900);
    assert.equal(s.passport?.persistedTotal, 1000);
    assert.equal(s.passport?.queueDepthMax, 100);
    assert.equal(s.tickMs?.session.p50, 0.63);
    assert.ok(bucketsOf(parsePrometheusText(text(0, 0, 0, 0, [1, 2, 3])), 'ds_room_tick_duration_seconds', { room: 'session' }).size === 3);
  });

  it('reports why server metrics are missing', () => {
    assert.deepEqual(summarizeSnapshots([], 0, 1, 'GET /metrics answered 401'), { available: false, reason: 'GET /metrics answered 401' });
  });
});
