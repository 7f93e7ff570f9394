import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { checkCodegen } from '../../../scripts/check-codegen.js';
import { ROOT, SWIFT_MESSAGES } from '../../../scripts/codegen.js';

/** `npm run codegen:check` (CI) fails on a stale or missing contract file, and passes on the committed clients/. */
describe('codegen:check covers the contract files', function () {
  this.timeout(120_000);
  let copy: string;

  before(async () => {
    copy = await fs.mkdtemp(path.join(os.tmpdir(), 'ds-contract-check-'));
    await fs.cp(path.join(ROOT, 'clients'), copy, { recursive: true });
  });

  after(() => fs.rm(copy, { recursive: true, force: true }));

  it('reports a hand-edited Swift file and a missing OpenAPI document, nothing else', async () => {
    const swift = path.join(copy, SWIFT_MESSAGES);
    await fs.writeFile(swift, (await fs.readFile(swift, 'utf8')).replace('public let haptic: [HapticEvent]', 'public let haptic: [String]'));
    await fs.rm(path.join(copy, 'contract/openapi.json'));
    const { stale, problems } = await checkCodegen(copy);
    assert.deepEqual(problems, []);
    assert.deepEqual(stale.sort(), [`changed: clients/${SWIFT_MESSAGES}`, 'missing: clients/contract/openapi.json']);
  });
});
