import assert from 'node:assert/strict';
import { JOB_DEFAULT_SCHEDULES, loadConfig } from '../../../src/config/config.js';
import { ConfigError } from '../../../src/errors.js';

describe('config: background work', () => {
  it('has the seed schedules and bounds by default', () => {
    const c = loadConfig({});
    assert.deepEqual(c.jobs.schedules, JOB_DEFAULT_SCHEDULES);
    assert.equal(c.jobs.schedules.session_aggregation, '*/5 * * * *');
    assert.equal(c.jobs.schedules.influence_graph, '0 3 * * *');
    assert.equal(c.assets.maxUploadBytes, 20 * 1024 * 1024);
    assert.equal(c.assets.minSidePx, 2000);
    assert.deepEqual(c.partitions, { aheadMonths: 3, retentionMonths: 13, archiveMonths: 0, lockTimeoutMs: 5000 });
    assert.equal(c.gravity.gravityWeight, 0.3);
  });

  it('takes a cron per job, "off", and refuses a malformed pattern naming the variable', () => {
    const c = loadConfig({ JOB_CRON_CLEANUP: 'off', JOB_CRON_GLOBAL_METRICS: '*/10 * * * * *' });
    assert.equal(c.jobs.schedules.cleanup, null);
    assert.equal(c.jobs.schedules.global_metrics, '*/10 * * * * *');
    assert.throws(
      () => loadConfig({ JOB_CRON_CLEANUP: 'every hour' }),
      (err: Error) => err instanceof ConfigError && /JOB_CRON_CLEANUP/.test(err.message) && /cron pattern/.test(err.message),
    );
    assert.throws(() => loadConfig({ RADIO_GRAVITY_WEIGHT: '1.5' }), /RADIO_GRAVITY_WEIGHT/);
    assert.throws(() => loadConfig({ ASSET_MAX_UPLOAD_BYTES: '10' }), /ASSET_MAX_UPLOAD_BYTES/);
  });
});
