import assert from 'node:assert/strict';
import path from 'node:path';
import { ESLint } from 'eslint';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const GUARDS = new Set(['@typescript-eslint/no-restricted-imports', 'no-restricted-syntax']);

/** [file the import is written in, the import statement, allowed?] */
type Case = [string, string, boolean];

const CASES: Case[] = [
  // systems/: other systems, gl-matrix and zod only; no clock.
  ['systems/leaderboard/probe.ts', "import { x } from './ranking.js';", true],
  ['systems/leaderboard/probe.ts', "import { x } from '../passport/events.js';", true],
  ['systems/probe.ts', "import { vec3 as x } from 'gl-matrix';", true],
  ['systems/leaderboard/probe.ts', "import { x } from '../../persistence/db.js';", false],
  ['systems/probe.ts', "import { x } from '../src/config.js';", false],
  ['systems/probe.ts', "import x from 'pino';", false],
  ['systems/probe.ts', 'const x = new Date();', false],
  // schema/: nothing of ours.
  ['schema/Probe.ts', "import { schema as x } from '@colyseus/schema';", true],
  ['schema/Probe.ts', "import { x } from '../systems/orbits.js';", false],
  // features/: systems, persistence and other features; no rooms, schema, src, Colyseus or HTTP.
  ['features/leaderboard/probe.ts', "import { x } from '../../persistence/leaderboard/LocalLeaderboardStore.js';", true],
  ['features/leaderboard/probe.ts', "import { x } from '../../systems/leaderboard/ranking.js';", true],
  ['features/leaderboard/probe.ts', "import { x } from '../constellation/Capture.js';", true],
  ['features/leaderboard/probe.ts', "import { x } from '../../rooms/coliseum/ColiseumRoom.js';", false],
  ['features/leaderboard/probe.ts', "import { x } from '../../schema/ColiseumState.js';", false],
  ['features/leaderboard/probe.ts', "import { x } from '../../src/app.js';", false],
  ['features/leaderboard/probe.ts', "import { Room as x } from '@colyseus/core';", false],
  // rooms/: features, systems, schema; persistence only as types.
  ['rooms/coliseum/probe.ts', "import { x } from '../../features/leaderboard/LeaderboardBroadcaster.js';", true],
  ['rooms/coliseum/probe.ts', "import type { x } from '../../persistence/db.js';", true],
  ['rooms/coliseum/probe.ts', "import { x } from '../../persistence/db.js';", false],
  ['rooms/coliseum/probe.ts', "import { x } from '../../src/app.js';", false],
  // persistence/: adapters over systems only.
  ['persistence/leaderboard/probe.ts', "import { x } from '../../systems/leaderboard/windows.js';", true],
  ['persistence/leaderboard/probe.ts', "import { x } from '../../features/leaderboard/LeaderboardFeeder.js';", false],
  ['persistence/leaderboard/probe.ts', "import { x } from '../../rooms/coliseum/ColiseumRoom.js';", false],
  // src/: every server floor; no tools or tests, not even lazily.
  ['src/probe.ts', "import { x } from '../features/leaderboard/startLeaderboards.js';", true],
  ['src/probe.ts', "import { x } from '../scripts/build-web.js';", false],
  ['src/http/probe.ts', "import { x } from '../../scripts/build-web.js';", false],
  ['src/probe.ts', "export const x = () => import('../scripts/build-web.js');", false],
  ['src/probe.ts', "import { x } from '../test/support/db.js';", false],
  // src/http/: parses, calls a feature, answers; persistence/ only as types (the wiring hands adapters to features).
  ['src/http/probe.ts', "import { x } from '../../features/ops/userTimeline.js';", true],
  ['src/http/probe.ts', "import type { x } from '../../persistence/db.js';", true],
  ['src/http/probe.ts', "import { x } from '../../persistence/db.js';", false],
  ['src/http/probe.ts', "import { x, type y } from '../../persistence/ops/OpsRepository.js';", false],
  ['src/wire/probe.ts', "import { x } from '../../persistence/db.js';", true],
  // loadtest/: a client; bench/: server parts and the harness, never tests or wiring; scripts/: no tests or wiring.
  ['loadtest/probe.ts', "import { x } from './stats.js';", true],
  ['loadtest/probe.ts', "import { x } from '../systems/constellation.js';", false],
  ['bench/probe.ts', "import { x } from '../loadtest/spawnServer.js';", true],
  ['bench/probe.ts', "import { x } from '../persistence/db.js';", true],
  ['bench/probe.ts', "import { x } from '../test/support/db.js';", false],
  ['bench/probe.ts', "export const x = () => import('../test/support/db.js');", false],
  ['bench/support/probe.ts', "import { x } from '../../src/database.js';", false],
  ['scripts/probe.ts', "import { x } from '../schema/ColiseumState.js';", true],
  // web/: the generated contract and SDK (clients/) and systems/' pure rules; never the server's other floors.
  ['web/src/ops/probe.ts', "import type { x } from '../../../clients/ts/src/ops.js';", true],
  ['web/src/ops/probe.ts', "import { x } from '../../../systems/money.js';", true],
  ['web/src/ops/probe.ts', "import type { x } from '../../../persistence/ops/OpsRepository.js';", false],
  ['web/src/ops/probe.ts', "import type { x } from '../../../src/http/route.js';", false],
  ['web/src/play/probe.ts', "import { x } from '../../../features/journal/Journal.js';", false],
  ['web/src/probe.ts', "import { x } from '../../rooms/session/protocol.js';", false],
  ['scripts/probe.ts', "import { x } from '../test/support/db.js';", false],
];

describe('lint guards the floors (README "Layout")', function () {
  this.timeout(30_000);
  const eslint = new ESLint({ cwd: ROOT });

  for (const [file, code, allowed] of CASES) {
    it(`${allowed ? 'allows' : 'refuses'} in ${file}: ${code}`, async () => {
      const exported = /^import type/.test(code) ? '\nexport type { x };' : /^import/.test(code) ? '\nexport { x };' : '';
      const [result] = await eslint.lintText(code + exported + '\n', { filePath: path.join(ROOT, file) });
      const guarded = result.messages.filter((m) => m.ruleId !== null && GUARDS.has(m.ruleId));
      assert.equal(result.messages.filter((m) => m.fatal).length, 0, JSON.stringify(result.messages));
      assert.equal(guarded.length > 0, !allowed, guarded.map((m) => m.message).join('; ') || 'no guard fired');
    });
  }
});
