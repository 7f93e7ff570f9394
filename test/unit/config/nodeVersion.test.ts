import assert from 'node:assert/strict';
import fs from 'node:fs';
import { MIN_NODE, nodeTooOld } from '../../../src/nodeVersion.js';

const root = new URL('../../../', import.meta.url);

describe('the Node version the server refuses to start under', () => {
  it('refuses an older major or minor with one line naming both versions, accepts the minimum and newer', () => {
    const line = nodeTooOld('20.20.2');
    assert.ok(line && !line.includes('\n') && line.includes('20.20.2') && line.includes(`${MIN_NODE.major}.${MIN_NODE.minor}`), String(line));
    assert.ok(nodeTooOld(`${MIN_NODE.major}.${MIN_NODE.minor - 1}.0`));
    assert.equal(nodeTooOld(`${MIN_NODE.major}.${MIN_NODE.minor}.0`), null);
    assert.equal(nodeTooOld(`${MIN_NODE.major + 2}.0.0`), null);
  });

  it('says what package.json engines and .nvmrc say', () => {
    const pkg = JSON.parse(fs.readFileSync(new URL('package.json', root), 'utf8')) as { engines: { node: string } };
    assert.equal(pkg.engines.node, `>=${MIN_NODE.major}.${MIN_NODE.minor}`);
    assert.equal(fs.readFileSync(new URL('.nvmrc', root), 'utf8').trim(), String(MIN_NODE.major));
  });
});
