import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
const headings = (text: string) =>
  text
    .split('\n')
    .filter((l) => /^#{1,4} /.test(l))
    .map((l) => l.replace(/^#+\s*/, ''));

/** BENCHMARKS.md holds current figures; docs/benchmarks-archive.md the history. Both stay references. */
describe('benchmark documents', () => {
  const current = read('BENCHMARKS.md');
  const archive = read('docs/benchmarks-archive.md');

  it('keep BENCHMARKS.md to current figures: at most 400 lines', () => {
    assert.ok(current.split('\n').length <= 400, `${current.split('\n').length} lines`);
  });

  it('date every archive entry, newest first', () => {
    const entries = archive.split('\n').filter((l) => l.startsWith('## '));
    const dates = entries.map((h) => /\b(20\d\d-\d\d-\d\d)\b/.exec(h)?.[1] ?? `undated: ${h}`);
    assert.deepEqual(
      dates.filter((d) => d.startsWith('undated')),
      [],
    );
    assert.deepEqual(dates, [...dates].sort().reverse());
  });

  it('name what was measured in their headings, never an issue or a stop', () => {
    const numbered = [...headings(current), ...headings(archive)].filter((h) => /\b(stop|issues?)\s*\d+/i.test(h));
    assert.deepEqual(numbered, []);
  });

  it('name only npm scripts that exist', () => {
    const scripts = Object.keys((JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts);
    const named = [...new Set([...current.matchAll(/npm run (bench:[\w-]+|loadtest)/g)].map((m) => m[1]!))];
    assert.ok(named.length > 5, named.join(', '));
    assert.deepEqual(
      named.filter((s) => !scripts.includes(s)),
      [],
    );
  });

  it('every quoted section a tracked file cites exists in the document it names', () => {
    const files = execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' })
      .split('\n')
      .filter((f) => /\.(ts|md|json|yml|yaml)$|Dockerfile$/.test(f));
    const sections = { 'BENCHMARKS.md': headings(current), 'docs/benchmarks-archive.md': headings(archive) };
    const missing: string[] = [];
    for (const file of files) {
      if (!fs.existsSync(path.join(ROOT, file))) continue;
      const text = read(file);
      for (const [doc, names] of Object.entries(sections)) {
        const cite = new RegExp(`${doc.replace(/[./]/g, '\\$&')}[\\s,]*\\\\?"([^"\\\\]+)\\\\?"`, 'g');
        for (const m of text.matchAll(cite)) if (!names.some((h) => h.startsWith(m[1]!.replace(/\s+/g, ' ')))) missing.push(`${file}: ${doc} "${m[1]}"`);
      }
    }
    assert.deepEqual(missing, []);
  });
});
