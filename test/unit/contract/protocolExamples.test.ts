/**
 * Every JSON example in docs/PROTOCOL.md marked ```json contract:<Type> validates against that type in the
 * committed, generated JSON Schema (clients/contract/deepstream.schema.json), and every room message and
 * HTTP request body of the registry has at least one example.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { HTTP_OPERATIONS, JOIN_OPTIONS, ROOM_MESSAGES } from '../../../contract/registry.js';
import { ROOT } from '../../../scripts/codegen.js';

interface Example {
  type: string;
  line: number;
  text: string;
}

/** The ```json contract:<Type> blocks of a markdown text. */
export function contractExamples(markdown: string): Example[] {
  const out: Example[] = [];
  const re = /^```json contract:(\w+)\n([\s\S]*?)^```$/gm;
  for (const m of markdown.matchAll(re)) out.push({ type: m[1], line: markdown.slice(0, m.index).split('\n').length, text: m[2] });
  return out;
}

/**
 * zod's fromJSONSchema compiles `pattern` without the `u` flag JSON Schema implies, so `\p{L}` there means
 * "p{L}": a pattern issue is kept only when the value fails the pattern compiled with `u` too.
 */
function failsUnicodePattern(issue: z.core.$ZodIssue, example: unknown): boolean {
  if (issue.code !== 'invalid_format' || issue.format !== 'regex' || !('pattern' in issue) || typeof issue.pattern !== 'string') return true;
  const source = issue.pattern.slice(1, issue.pattern.lastIndexOf('/'));
  const value = issue.path.reduce<unknown>((node, k) => (node as Record<PropertyKey, unknown> | undefined)?.[k as PropertyKey], example);
  return typeof value !== 'string' || !new RegExp(source, 'u').test(value);
}

describe('docs/PROTOCOL.md examples validate against the generated JSON Schema', () => {
  let examples: Example[];
  let defs: Record<string, unknown>;

  before(async () => {
    examples = contractExamples(await fs.readFile(path.join(ROOT, 'docs/PROTOCOL.md'), 'utf8'));
    defs = (JSON.parse(await fs.readFile(path.join(ROOT, 'clients/contract/deepstream.schema.json'), 'utf8')) as { $defs: Record<string, unknown> }).$defs;
  });

  const validatorFor = (type: string) => z.fromJSONSchema(defs[type] as Parameters<typeof z.fromJSONSchema>[0]);

  it('every example parses as JSON and matches its type', () => {
    assert.ok(examples.length >= 20, `found ${examples.length} examples`);
    const failures: string[] = [];
    for (const ex of examples) {
      if (!defs[ex.type]) {
        failures.push(`line ${ex.line}: no type "${ex.type}" in the contract`);
        continue;
      }
      let value: unknown;
      try {
        value = JSON.parse(ex.text);
      } catch (err) {
        failures.push(`line ${ex.line} (${ex.type}): not JSON: ${(err as Error).message}`);
        continue;
      }
      const result = validatorFor(ex.type).safeParse(value);
      const issues = result.success ? [] : result.error.issues.filter((issue) => failsUnicodePattern(issue, value));
      if (issues.length) failures.push(`line ${ex.line} (${ex.type}): ${JSON.stringify(issues.slice(0, 3))}`);
    }
    assert.deepEqual(failures, []);
  });

  it('every room message, join options and HTTP request body has an example', () => {
    const shown = new Set(examples.map((e) => e.type));
    const wanted = [
      ...ROOM_MESSAGES.map((m) => m.title),
      ...JOIN_OPTIONS.map((j) => j.title),
      ...HTTP_OPERATIONS.flatMap((op) => (op.request?.title ? [op.request.title] : [])),
    ];
    assert.deepEqual(
      wanted.filter((t) => !shown.has(t)),
      [],
      'add a ```json contract:<Type> example to docs/PROTOCOL.md',
    );
  });

  it('a wrong example fails (the check can fail)', () => {
    assert.equal(validatorFor('LockedMessage').safeParse({ frequency: 99.9, artistId: 'a', haptic: [{ type: 'buzz', time: 0, intensity: 1 }] }).success, false);
    assert.equal(validatorFor('WelcomeMessage').safeParse({ sessionId: 's' }).success, false);
    const badEntity = { type: 'artist', entityId: 'no<tags>' };
    const refused = validatorFor('ReportRequest').safeParse(badEntity);
    assert.ok(!refused.success && refused.error.issues.some((issue) => failsUnicodePattern(issue, badEntity)), 'a value outside a \\p{L} pattern still fails');
  });
});
