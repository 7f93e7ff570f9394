import assert from 'node:assert/strict';
import { formatJoinFailures } from '../../../loadtest/report.js';
import type { RunResult } from '../../../loadtest/runner.js';
import { emptyCounters } from '../../../loadtest/stats.js';

describe('load-test report: why joins failed', () => {
  it('lists each failure with its count, most first, and names the fix when the abuse limits refused the bots', () => {
    const counters = emptyCounters();
    counters.joinFailures = { '429 sign-in refused: RATE_LIMITED': 160, '4429 live sessions': 2 };
    const text = formatJoinFailures([{ label: 'run', counters } as unknown as RunResult]);
    const lines = text.split('\n');
    assert.match(lines[1], /160 × 429 sign-in refused: RATE_LIMITED/);
    assert.match(lines[2], /2 × 4429/);
    assert.match(text, /DEV_RAISED_LIMITS/);
  });

  it('says nothing when every session joined', () => {
    assert.equal(formatJoinFailures([{ label: 'run', counters: emptyCounters() } as unknown as RunResult]), '');
  });
});
