import assert from 'node:assert/strict';
import path from 'node:path';
import { ESLint } from 'eslint';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const RULE = 'house/no-numeric-fallback';

/** [file the code is written in, the code, flagged?] */
const CASES: Array<[string, string, boolean]> = [
  ['features/probe/probe.ts', 'export const f = (o: { ms?: number }) => o.ms ?? 60_000;', true],
  ['rooms/probe/probe.ts', 'export const f = (o: { n?: number }) => o.n || 5;', true],
  ['persistence/probe/probe.ts', 'export const f = (o: { n?: number }) => o.n ?? -1;', true],
  ['systems/probe/probe.ts', 'export const f = (o: { ms?: number }) => o.ms ?? 72 * 3_600_000;', true],
  ['src/ops/probe.ts', 'export const f = (o: { n?: number }) => { o.n ??= 8; return o.n; };', true],
  // An absent count is zero; a named constant or a config read is what the rule asks for.
  ['features/probe/probe.ts', 'export const f = (m: Map<string, number>) => m.get("k") ?? 0;', false],
  ['features/probe/probe.ts', 'const DEFAULT_MS = 60_000;\nexport const f = (o: { ms?: number }) => o.ms ?? DEFAULT_MS;', false],
  // Defaults belong in src/config; tools and tests are not server code.
  ['src/config/probe.ts', 'export const f = (o: { ms?: number }) => o.ms ?? 60_000;', false],
  ['loadtest/probe.ts', 'export const f = (o: { ms?: number }) => o.ms ?? 60_000;', false],
];

describe('lint: house rules', () => {
  const eslint = new ESLint({ cwd: ROOT });
  for (const [file, code, flagged] of CASES) {
    it(`${flagged ? 'flags' : 'allows'} in ${file}: ${code.split('\n').pop()}`, async () => {
      const [result] = await eslint.lintText(`${code}\n`, { filePath: path.join(ROOT, file) });
      const hits = result.messages.filter((m) => m.ruleId === RULE);
      assert.equal(hits.length > 0, flagged, JSON.stringify(result.messages));
    });
  }
});
