import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { ADMIN_TOKEN, startBrowserEnv, type BrowserEnv } from './harness.js';

/**
 * The rollup processor in /ops: rows waiting and how long the oldest has waited, and run-now. The test holds
 * the processor's cursor row (as a run on another process would) so the server's own timer cannot catch up
 * while the page is read.
 */
describe('browser: /ops rollup processor lag and run-now', function () {
  this.timeout(120_000);
  let env: BrowserEnv;

  before(async () => {
    env = await startBrowserEnv();
  });
  after(async () => env?.close());

  it('shows the rows waiting and their lag while the cursor is held, and counts them on run-now once it is free', async () => {
    const { page } = env;
    await page.setViewportSize({ width: 1440, height: 900 });
    await env.db.sql.query(`INSERT INTO processor_cursors (name, last_id) VALUES ('coliseum_rollups', 0) ON CONFLICT (name) DO NOTHING`);
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const holding = new Promise<void>((r) => (locked = r));
    const held = env.db.sql.transaction(async (tx) => {
      await tx.query(`SELECT last_id FROM processor_cursors WHERE name = 'coliseum_rollups' FOR UPDATE`);
      locked();
      await released;
    });
    await holding;
    try {
      await env.db.sql.query(
        `INSERT INTO passport_entries (event_id, event_type, event_category, occurred_at, received_at, payload, source)
         SELECT gen_random_uuid(), 'player.track_played', 'player', now() - interval '7 minutes', now() - interval '7 minutes', ?::jsonb, 'room' FROM generate_series(1, 5)`,
        [JSON.stringify({ trackId: `t-${randomUUID().slice(0, 6)}`, artistId: 'artist_wizkid' })],
      );
      await page.goto('/ops#tab=analytics');
      await page.fill('#token', ADMIN_TOKEN);
      await page.click('#login-form button[type=submit]');
      await page.waitForSelector('#processors [data-processor="coliseum_rollups"]');
      await page.waitForFunction(() => /5 rows/.test(document.querySelector('#processors [data-field="behind"]')?.textContent ?? ''));
      assert.match((await row(page).locator('[data-field="lag"]').textContent()) ?? '', /^7m \d+s$/);
      assert.equal(await row(page).locator('[data-field="lag"].bad').count(), 1, 'past the 5-minute goal: marked');
      await row(page).locator('button[data-run]').click();
      await page.waitForSelector('#toasts .toast.error');
      assert.match((await page.textContent('#toasts')) ?? '', /another run holds it right now; 5 rows waiting/);
      await page.locator('#processors').scrollIntoViewIfNeeded();
      await env.screenshot('ops-processors-lagging', page);
    } finally {
      release();
      await held;
    }
    await page.click('#toasts .toast.error button'); // an error toast stays until closed
    await row(page).locator('button[data-run]').click();
    await page.waitForFunction(() => /counted 5 rows|nothing was waiting/.test(document.querySelector('#toasts')?.textContent ?? ''));
    await page.waitForFunction(() => document.querySelector('#processors [data-field="lag"]')?.textContent === 'caught up');
    const [plays] = await env.db.sql.query<{ n: string }>(
      `SELECT coalesce(sum(value), 0)::text AS n FROM coliseum_metrics WHERE entity_type = 'artist' AND entity_id = 'artist_wizkid' AND metric = 'plays' AND period = 'all'`,
    );
    assert.equal(Number(plays.n), 5, 'the five plays were counted once');
    assert.deepEqual(env.problems, []);
  });
});

const row = (page: BrowserEnv['page']) => page.locator('#processors [data-processor="coliseum_rollups"]');
