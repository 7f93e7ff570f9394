import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { configReads, renderConfigReference } from '../../../src/config/reference.js';
import { CONFIG_DOCS } from '../../../src/config/docs.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');

describe('configuration reference', () => {
  it('describes every variable the config reads, and nothing it does not read', () => {
    const read = new Set(configReads().map((r) => r.name));
    const undocumented = [...read].filter((name) => !CONFIG_DOCS[name]);
    const unread = Object.keys(CONFIG_DOCS).filter((name) => !read.has(name));
    assert.deepEqual(undocumented, [], 'read without an entry in src/config/docs.ts');
    assert.deepEqual(unread, [], 'described in src/config/docs.ts but never read');
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
