import assert from 'node:assert/strict';
import { useTestDatabase } from '../../support/db.js';
import { OpsHistoryStore } from '../../../persistence/ops/OpsHistoryStore.js';
import { useServer } from '../../support/serverProcess.js';
import { bearer } from '../../support/auth.js';

describe('ops long history in Postgres (a history that survives a restart)', () => {
  const db = useTestDatabase();

  it('keeps one point per minute per process, reads the busiest process per minute, and prunes past the retention', async () => {
    const store = new OpsHistoryStore(db().sql, 2); // 2 hours
    const t0 = Date.parse('2026-11-22T10:00:00Z') / 1000;
    await store.record('a', { t: t0 + 5, eventsPerSec: 1, ccu: 3 });
    await store.record('a', { t: t0 + 30, eventsPerSec: 2, ccu: 4 }); // same minute: replaced
    await store.record('b', { t: t0 + 10, eventsPerSec: 2, ccu: 9 });
    await store.record('a', { t: t0 + 60, eventsPerSec: null, ccu: 1 });
    assert.deepEqual(await store.since(t0 * 1000 - 1), [
      { t: t0, eventsPerSec: 2, ccu: 9 },
      { t: t0 + 60, eventsPerSec: null, ccu: 1 },
    ]);
    await store.record('a', { t: t0 + 3 * 3600, eventsPerSec: 0, ccu: 0 }); // 3 h later: the first two minutes are past 2 h
    const [{ n }] = await db().sql.query<{ n: number }>('SELECT count(*)::int AS n FROM ops_history');
    assert.equal(n, 1);
  });
});

describe('GET /api/ops/history beyond an hour reads the persisted minutes', function () {
  this.timeout(60_000);
  const ADMIN = 'ops-history-admin-token-0123456789';
  // Memory keeps 10 minutes here: a longer range must come from Postgres, never a shorter memory window under its name.
  const running = useServer({ ADMIN_TOKEN: ADMIN, OPS_MONITOR_HISTORY_MINUTES: '10' });

  it('answers 24 h and any range past the memory from Postgres (the current minute is there), 10 min from memory, and validates minutes', async () => {
    const base = running().server.baseUrl;
    await new Promise((r) => setTimeout(r, 1500)); // at least one sample
    const long = await (await fetch(`${base}/api/ops/history?minutes=1440`, { headers: bearer(ADMIN) })).json();
    assert.equal(long.sampleMs, 60_000);
    assert.ok(long.points.length >= 1, JSON.stringify(long));
    const hour = await (await fetch(`${base}/api/ops/history?minutes=60`, { headers: bearer(ADMIN) })).json();
    assert.equal(hour.sampleMs, 60_000, 'an hour is past the 10 minutes in memory');
    const short = await (await fetch(`${base}/api/ops/history?minutes=10`, { headers: bearer(ADMIN) })).json();
    assert.equal(short.sampleMs, 1000);
    assert.equal((await fetch(`${base}/api/ops/history?minutes=99999`, { headers: bearer(ADMIN) })).status, 400);
  });
});
