import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { fieldSummary, PROTOCOL_FILE, protocolTables, spliceProtocol } from '../../../contract/protocolTables.js';
import { jsonSchemaOf } from '../../../contract/documents.js';
import { ROOM_MESSAGES } from '../../../contract/registry.js';
import { ROOT } from '../../../scripts/codegen.js';

describe('docs/PROTOCOL.md message tables are generated from the registry', () => {
  it('the committed page holds the current tables (npm run codegen writes them; codegen:check fails when stale)', () => {
    const page = fs.readFileSync(path.join(ROOT, PROTOCOL_FILE), 'utf8');
    assert.equal(spliceProtocol(page), page);
  });

  it('every registry message has one row, in its room and direction, with its generated type name', () => {
    const tables = protocolTables();
    for (const m of ROOM_MESSAGES) {
      const rows = tables[`${m.room}-${m.direction}`]!.split('\n').filter((l) => l.startsWith(`| \`${m.type}\` |`));
      assert.equal(rows.length, 1, `${m.room} ${m.direction} ${m.type}`);
      assert.ok(rows[0]!.includes(`\`${m.title}\``), rows[0]);
    }
  });

  it('fields: optional ones marked, nullable and unions spelt out; a page without markers is refused', () => {
    const schema = jsonSchemaOf(
      z.object({ a: z.number().int(), b: z.string().nullable(), c: z.enum(['x', 'y']).optional(), d: z.array(z.union([z.string(), z.number()])) }),
      'output',
    );
    assert.equal(fieldSummary(schema), '`{ a: int, b: string \\| null, c?: "x" \\| "y", d: (string \\| number)[] }`');
    assert.throws(() => spliceProtocol('# no markers'), /markers for "session-receive" are missing/);
  });
});
