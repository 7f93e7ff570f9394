import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// The README's "Layout" table promises that `git ls-files | grep <token>` finds a feature in every layer the
// table ticks and in none it leaves blank, by whole path segment. This keeps the promise true as files move.
const root = join(import.meta.dirname, '..', '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const files = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);

interface LayoutTable {
  layers: string[];
  rows: Map<string, boolean[]>;
}

function layoutTable(): LayoutTable {
  const section = readme.split(/^## /m).find((s) => s.startsWith('Layout'));
  assert.ok(section, 'README has a "## Layout" section');
  const lines = section.split('\n').filter((l) => l.startsWith('| '));
  const cells = (line: string) =>
    line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim().replace(/`/g, ''));
  const [header, , ...body] = lines;
  // Layer columns are the headers that name a folder ("src/wire/"); the last column describes the token.
  const headers = cells(header!);
  const layerColumns = headers.map((h, i) => (h.endsWith('/') ? i : -1)).filter((i) => i > 0);
  const layers = layerColumns.map((i) => headers[i]!);
  const rows = new Map(
    body.map((line) => {
      const row = cells(line);
      return [row[0]!, layerColumns.map((i) => row[i] === '✓')] as const;
    }),
  );
  return { layers, rows };
}

/**
 * A path has the token by whole segment: a folder or file named it (`features/leaderboard/`, `src/wire/leaderboard.ts`),
 * or a file name whose first camelCase word it is (`leaderboardRoutes.ts`). `coliseumLeaderboards.ts` or
 * `leaderboards.ts` do not count: a substring is not a name.
 */
export function hasSegment(filePath: string, token: string): boolean {
  return filePath.split('/').some((segment) => {
    const name = segment.replace(/\..*$/, '');
    return name === token || (name.startsWith(token) && /^[A-Z]/.test(name.slice(token.length)));
  });
}

function hasToken(layer: string, token: string): boolean {
  return files.some((f) => f.startsWith(layer) && hasSegment(f.slice(layer.length), token));
}

const TOP_FOLDERS = 'src|rooms|features|persistence|systems|schema|contract|clients|loadtest|bench|scripts|web|test|docs|deploy|patches|vendor';
/** A repository path in prose: a top-level folder, then a path (not a relative import, not inside a longer word or path). */
const PATH_IN_TEXT = new RegExp(`(?<![\\w./@-])(?:${TOP_FOLDERS})/[A-Za-z0-9_./-]*[A-Za-z0-9_/]`, 'g');
/** Phrases that look like paths and are not: a rate (patches per second), the SDK's platforms (web/Node). */
const NOT_PATHS = new Set(['patches/s', 'web/Node']);
/** Comments not checked (none now: the session room's were fixed once its reshaping landed). */
const COMMENTS_NOT_CHECKED_YET: string[] = [];

const tracked = new Set(files);
const trackedDirs = new Set(
  files.flatMap((f) =>
    f
      .split('/')
      .slice(0, -1)
      .map((_, i, parts) => parts.slice(0, i + 1).join('/')),
  ),
);

/** Generated paths (web/dist, deploy/tls/*.pem) exist once built; git says which paths it ignores. */
function ignoredByGit(paths: string[]): Set<string> {
  if (paths.length === 0) return new Set();
  try {
    return new Set(
      execFileSync('git', ['check-ignore', '--no-index', '--stdin'], { cwd: root, input: paths.join('\n'), encoding: 'utf8' })
        .split('\n')
        .filter(Boolean),
    );
  } catch {
    return new Set(); // exit code 1: none is ignored
  }
}

function namesTrackedPath(p: string): boolean {
  const bare = p.replace(/\/$/, '');
  return tracked.has(bare) || trackedDirs.has(bare) || tracked.has(`${bare}.ts`) || tracked.has(bare.replace(/\.js$/, '.ts'));
}

/** Every path a text names that is not in the tree, with where it is named. */
function missingPaths(sources: Array<[file: string, text: string]>): string[] {
  const named: Array<[string, string]> = [];
  for (const [file, text] of sources) {
    for (const m of text.matchAll(PATH_IN_TEXT)) {
      const next = text[m.index! + m[0].length] ?? '';
      if ('*<{'.includes(next) && next !== '') continue; // a pattern or a template, not a path
      if (!NOT_PATHS.has(m[0]) && !namesTrackedPath(m[0])) named.push([m[0], file]);
    }
  }
  const ignored = ignoredByGit([...new Set(named.map(([p]) => p))]);
  return named.filter(([p]) => !ignored.has(p)).map(([p, file]) => `${p} (named in ${file})`);
}

const readText = (f: string) => readFileSync(join(root, f), 'utf8');
const commentsOf = (source: string) => (source.match(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g) ?? []).join('\n');

describe('paths named in docs and comments', () => {
  it('every path README.md and docs/*.md name exists', () => {
    const docs = files.filter((f) => f === 'README.md' || /^docs\/[^/]+\.md$/.test(f));
    assert.deepEqual(missingPaths(docs.map((f) => [f, readText(f)])), []);
  });

  it('every path a code comment names exists', () => {
    const code = files.filter((f) => /\.(ts|js|mjs)$/.test(f) && !/^(clients|vendor)\//.test(f) && !COMMENTS_NOT_CHECKED_YET.some((d) => f.startsWith(d)));
    assert.deepEqual(missingPaths(code.map((f) => [f, commentsOf(readText(f))])), []);
  });

  it('matches whole segments, not substrings', () => {
    assert.ok(hasSegment('src/wire/leaderboard.ts', 'leaderboard'));
    assert.ok(hasSegment('src/http/leaderboardRoutes.ts', 'leaderboard'));
    assert.ok(hasSegment('features/leaderboard/LeaderboardFeeder.ts', 'leaderboard'));
    assert.ok(!hasSegment('features/handoff/SessionHandoff.ts', 'session'));
    assert.ok(!hasSegment('systems/leaderboard/leaderboards.ts'.replace('leaderboard/', ''), 'leaderboard'));
    assert.ok(!hasSegment('src/http/authorRoutes.ts', 'auth'));
  });
});

describe('README layout table', () => {
  const { layers, rows } = layoutTable();

  it('names the layers as folders that exist', () => {
    assert.ok(layers.length >= 8, `expected at least 8 layer columns, got ${layers.join(', ')}`);
    for (const layer of layers)
      assert.ok(
        files.some((f) => f.startsWith(layer)),
        `no tracked file under ${layer}`,
      );
  });

  it('ticks exactly the layers where git ls-files finds the token', () => {
    const wrong: string[] = [];
    for (const [token, marks] of rows) {
      layers.forEach((layer, i) => {
        const found = hasToken(layer, token);
        if (found !== marks[i]) wrong.push(`${token} in ${layer}: table says ${marks[i] ? '✓' : '—'}, tree says ${found ? 'present' : 'absent'}`);
      });
    }
    assert.deepEqual(wrong, []);
  });

  it('has a row for every feature folder', () => {
    // Shared infrastructure of one layer, not features: the ORM's entities and the migrations.
    const infrastructure = new Set(['entities', 'migrations']);
    const folders = new Set<string>();
    for (const f of files) {
      const m = /^(features|persistence|systems|rooms)\/([a-z]+)\//.exec(f);
      if (m && !infrastructure.has(m[2]!)) folders.add(m[2]!);
    }
    const missing = [...folders].filter((t) => !rows.has(t));
    assert.deepEqual(missing, [], "feature folders without a row in the README's Layout table");
  });

  it('keeps the README a reference of at most 300 lines', () => {
    const count = readme.split('\n').length;
    assert.ok(count <= 300, `README.md has ${count} lines; move detail into docs/`);
  });
});
