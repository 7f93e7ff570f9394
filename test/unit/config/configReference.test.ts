import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configReads, declaredDocs, docFor, renderConfigReference } from '../../../contract/configReference.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');

describe('configuration reference', () => {
  it('every variable the config reads has its meaning in the JSDoc above its read, and a group', () => {
    const docs = declaredDocs();
    const undocumented = configReads()
      .map((r) => r.name)
      .filter((name) => !docFor(docs, name)?.doc);
    assert.deepEqual(undocumented, [], 'read without a /** meaning */ above its reader call in src/config/');
    assert.equal(docFor(docs, 'JOB_CRON_CLEANUP')?.group, 'jobs', 'a family of variables (`JOB_CRON_${job}`) shares its one declaration');
    assert.equal(docFor(docs, 'PASSPORT_FLUSH_MS')?.group, 'passport', "a variable's group is the @group of the declaration around it");
    assert.equal(docFor(docs, 'PORT')?.group, 'server', 'ungrouped variables are the server');
  });

  it('a read without its comment is found (the check can fail)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-config-docs-'));
    try {
      fs.writeFileSync(
        path.join(dir, 'x.ts'),
        "/** @group links */\nfunction x(env: Env) {\n  return {\n    /** told */\n    a: int(env, 'A_TOLD', 1, 0, 2),\n    b: int(env, 'B_UNTOLD', 1, 0, 2),\n  };\n}\n",
      );
      const docs = declaredDocs(dir);
      assert.deepEqual(docFor(docs, 'A_TOLD'), { name: 'A_TOLD', doc: 'told', default: undefined, group: 'links' });
      assert.equal(docFor(docs, 'B_UNTOLD'), undefined);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('docs/CONFIG.md is what the declarations generate (run `npm run codegen`)', () => {
    assert.equal(fs.readFileSync(path.join(ROOT, 'docs/CONFIG.md'), 'utf8'), renderConfigReference());
  });

  it('no server code reads process.env outside src/config (everything goes through the typed config)', () => {
    const offenders: string[] = [];
    for (const dir of ['src', 'rooms', 'features', 'persistence', 'systems', 'schema']) {
      for (const file of fs.readdirSync(path.join(ROOT, dir), { recursive: true }) as string[]) {
        if (!file.endsWith('.ts') || path.join(dir, file).startsWith(path.join('src', 'config'))) continue;
        const source = fs.readFileSync(path.join(ROOT, dir, file), 'utf8');
        for (const m of source.matchAll(/process\.env\.([A-Z_][A-Z0-9_]*)|process\.env\[/g)) offenders.push(`${dir}/${file}: ${m[0]}`);
      }
    }
    assert.deepEqual(offenders, []);
  });
});
