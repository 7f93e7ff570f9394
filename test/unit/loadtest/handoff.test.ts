import { performance } from 'node:perf_hooks';
import assert from 'node:assert/strict';
import { WorkerContext } from '../../../loadtest/context.js';
import { HandoffTracker, isFinalClose, rejoin, summarizeHandoff } from '../../../loadtest/handoff.js';
import { summarize } from '../../../loadtest/stats.js';

const context = () =>
  new WorkerContext(
    { workerId: 0, runId: 'r', url: 'ws://a', urls: ['ws://a', 'ws://b'], patchHz: 20, window: 'all', seed: 1 },
    { bots: [], windowStart: 0, windowEnd: 1, graceMs: 0 },
  );
const resumed = (over: Record<string, unknown> = {}) => ({
  sessionId: 's1',
  resume: 'c2',
  appliedSeq: 4,
  restoredFrom: 'handoff',
  station: { artistId: 'artist_wizkid' },
  totalStars: 2,
  ...over,
});

describe('load harness: handoff counters (loadtest/handoff.ts)', () => {
  it('a move that comes back as the same session, station and stars counts moved, resumed, sameSessionId, a gap and a rejoin time', async () => {
    const ctx = context();
    const t = new HandoffTracker(ctx);
    t.welcome({ sessionId: 's1', resume: 'c1', lastStation: { artistId: 'artist_wizkid' } });
    t.totalStars = 2;
    t.state(1000);
    t.moving('c2');
    assert.equal(t.resume, 'c2');
    t.resumed(resumed());
    t.state(1800);
    const c = ctx.counters.handoff;
    assert.deepEqual(
      [c.moved, c.crashed, c.resumed, c.sameSessionId, c.closed, c.stationMismatch, c.starsMismatch, c.restoredFrom.handoff],
      [1, 0, 1, 1, 0, 0, 0, 1],
    );
    const latency = { handoffGap: summarize(ctx.histograms.get('handoffGap')!), handoffRejoin: summarize(ctx.histograms.get('handoffRejoin')!) };
    assert.equal(Math.round(latency.handoffGap.p50!), 800, 'last state frame before → first after');
    assert.equal(latency.handoffRejoin.count, 1);
    const summary = summarizeHandoff(c, latency);
    assert.deepEqual(Object.keys(summary).slice(0, 8), ['moved', 'crashed', 'resumed', 'sameSessionId', 'closed', 'freshSessions', 'gapMsP50', 'gapMsP99']);
    assert.equal(summary.gapMsP50, latency.handoffGap.p50);
  });

  it('a second move before the first state frame after `resumed` (a deploy draining the next process at once) is a move of its own: each resume is compared', () => {
    const ctx = context();
    const t = new HandoffTracker(ctx);
    t.welcome({ sessionId: 's1', resume: 'c1', lastStation: { artistId: 'artist_wizkid' } });
    t.totalStars = 2;
    t.state(1000);
    t.moving('c2');
    t.lost(false); // the rejoin after the socket closed: still the same move
    t.state(1500); // the new room's full state comes before its `resumed`
    t.resumed(resumed());
    t.moving('c3'); // drained again before any patch
    t.lost(false);
    t.state(2500);
    t.resumed(resumed({ resume: 'c4' }));
    t.state(2600);
    const c = ctx.counters.handoff;
    assert.deepEqual([c.moved, c.resumed, c.sameSessionId, c.stationMismatch, c.starsMismatch], [2, 2, 2, 0, 0]);
    assert.equal(ctx.histograms.get('handoffRejoin')!.totalCount, 2, 'a rejoin time for each move');
    assert.deepEqual(ctx.outliers, [], 'no resume without a loss recorded');
  });

  it('a process that died before the first `welcome` reached the bot: no crash of a session, no fresh session in place of one', () => {
    const ctx = context();
    const t = new HandoffTracker(ctx);
    t.lost(false); // joined, then the socket died before any `welcome`
    t.crashed();
    t.welcome({ sessionId: 's1', resume: 'c1' }); // its rejoin: a plain join, its first session
    const c = ctx.counters.handoff;
    assert.deepEqual([c.crashed, c.resumed, c.freshSessions], [0, 0, 0]);
    assert.deepEqual(
      ctx.outliers.map((o) => o.kind),
      ['lostBeforeWelcome'],
    );
  });

  it('a crash resume counts crashed; a different station or star count is a mismatch, also counted apart for crashes', () => {
    const ctx = context();
    const t = new HandoffTracker(ctx);
    t.welcome({ sessionId: 's1', resume: 'c1', lastStation: { artistId: 'artist_wizkid' } });
    t.totalStars = 3;
    t.lost(false);
    t.crashed();
    t.resumed(resumed({ sessionId: 's2', restoredFrom: 'snapshot', station: { artistId: 'artist_burna_boy' }, totalStars: 2 }));
    const c = ctx.counters.handoff;
    assert.deepEqual(
      [
        c.crashed,
        c.resumed,
        c.sameSessionId,
        c.stationMismatch,
        c.starsMismatch,
        c.stationMismatchAfterCrash,
        c.starsMismatchAfterCrash,
        c.restoredFrom.snapshot,
      ],
      [1, 1, 0, 1, 1, 1, 1, 1],
    );
  });

  it('a change while an input was in flight (a glide settling, a capture answering) is counted apart, not as a mismatch', () => {
    const ctx = context();
    let inFlight = true;
    const t = new HandoffTracker(ctx, () => !inFlight);
    t.welcome({ sessionId: 's1', resume: 'c1', lastStation: { artistId: 'artist_wizkid' } });
    t.totalStars = 2;
    t.moving('c2');
    inFlight = false;
    t.resumed(resumed({ station: { artistId: 'artist_burna_boy' } }));
    const c = ctx.counters.handoff;
    assert.deepEqual([c.changedInFlight, c.stationMismatch, c.starsMismatch], [1, 0, 0]);
  });

  it('a drop the SDK took back is no handoff; a fresh welcome after a refused resume counts freshSessions; a final close counts closed', () => {
    const ctx = context();
    const t = new HandoffTracker(ctx);
    t.welcome({ sessionId: 's1', resume: 'c1' });
    t.lost(false);
    t.restored();
    assert.equal(t.inProgress, false);
    t.lost(false);
    t.crashed();
    t.welcome({ sessionId: 's9', resume: 'c9' });
    t.closed();
    const c = ctx.counters.handoff;
    assert.deepEqual([c.crashed, c.resumed, c.freshSessions, c.closed], [1, 0, 1, 1]);
    assert.equal(isFinalClose(4000) && isFinalClose(4409) && !isFinalClose(4100) && !isFinalClose(1006), true);
  });

  it('rejoin: tries the next server when one cannot be reached, drops a refused credential, and gives the index it joined at', async () => {
    const ctx = context();
    const t = new HandoffTracker(ctx);
    t.resume = 'c1';
    const tried: Array<[string, string | null]> = [];
    const result = await rejoin(
      ctx,
      t,
      ctx.init.urls,
      0,
      0,
      async (url, resume) => {
        tried.push([url, resume]);
        if (tried.length === 1) throw Object.assign(new Error('fetch failed'), { code: 'ECONNREFUSED' });
        if (tried.length === 2) throw Object.assign(new Error('RESUME_STALE: a newer resume exists'), { code: 409 });
      },
      async () => undefined,
    );
    assert.deepEqual(tried, [
      ['ws://a', 'c1'],
      ['ws://b', 'c1'],
      ['ws://b', null],
    ]);
    assert.deepEqual(result, { ok: true, urlIndex: 1 });
    assert.equal(ctx.counters.handoff.rejoinRetries, 2);
  });

  it('rejoin: leaves a draining server (503 SHUTTING_DOWN) for the next one within 250 ms', async () => {
    const ctx = context();
    const t = new HandoffTracker(ctx);
    t.resume = 'c1';
    const tried: string[] = [];
    const started = performance.now();
    const result = await rejoin(
      ctx,
      t,
      ctx.init.urls,
      0,
      0,
      async (url) => {
        tried.push(url);
        if (url === 'ws://a') throw Object.assign(new Error('SHUTTING_DOWN: this server is draining'), { code: 503 });
      },
      async () => undefined,
    );
    assert.deepEqual(tried, ['ws://a', 'ws://b']);
    assert.deepEqual(result, { ok: true, urlIndex: 1 });
    assert.ok(performance.now() - started < 2000, 'not a backoff that grows against the draining server');
  });
});
