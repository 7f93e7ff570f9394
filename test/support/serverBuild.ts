import fs from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** The server's floors as plain JavaScript for the server processes tests start (gitignored). */
export const TEST_BUILD_DIR = path.join(ROOT, '.test-build');
/** The floors `src/main.ts` imports (the production build's include list, tsconfig.build.json). */
const FLOORS = ['src', 'rooms', 'features', 'schema', 'systems', 'persistence'];
/** Command-line scripts tests run as processes (they import only the floors above). */
const SCRIPTS = ['scripts/influence-import.ts'];
/** Files the server reads beside its code at run time (as scripts/build-server.ts copies them). */
const ASSETS = ['persistence/influence/dataset.json'];

const typeScriptFiles = (dir: string): string[] =>
  fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => path.join(dir, f));

/**
 * Transpiles the server once per test run (esbuild, the transform tsx applies on every start, ≈ 1 s for
 * the whole tree) so each of the suite's ~150 server processes starts as `node main.js`: ≈ 0.9 s and 1.1 s of
 * CPU instead of ≈ 1.5 s and 2.1 s under the tsx loader, which on two cores was a fifth of the suite. Type
 * errors are `npm run typecheck`'s job, as they are tsx's.
 */
export async function buildServerForTests(): Promise<void> {
  const staging = `${TEST_BUILD_DIR}.${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: [...FLOORS.flatMap((floor) => typeScriptFiles(path.join(ROOT, floor))), ...SCRIPTS.map((s) => path.join(ROOT, s))],
    outdir: staging,
    outbase: ROOT,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    logLevel: 'error',
  });
  for (const asset of ASSETS) fs.cpSync(path.join(ROOT, asset), path.join(staging, asset));
  // The pages the server serves are read from web/dist (built by `npm run build:web`), whenever they are built.
  fs.symlinkSync(path.join(ROOT, 'web'), path.join(staging, 'web'), 'dir');
  fs.rmSync(TEST_BUILD_DIR, { recursive: true, force: true });
  fs.renameSync(staging, TEST_BUILD_DIR);
}

/** How tests start a server process: the transpiled entry when this run built it, else `tsx src/main.ts`. */
export function serverEntryCommand(): string[] {
  const built = path.join(TEST_BUILD_DIR, 'src/main.js');
  if (process.env.DS_TEST_SERVER_BUILT === '1' && fs.existsSync(built)) return [process.execPath, built];
  return [process.execPath, '--import', 'tsx', 'src/main.ts'];
}

/** How tests run one of {@link SCRIPTS} (path from the repository root): transpiled when this run built it, else under tsx. */
export function scriptCommand(script: string): string[] {
  const built = path.join(TEST_BUILD_DIR, script.replace(/\.ts$/, '.js'));
  if (SCRIPTS.includes(script) && process.env.DS_TEST_SERVER_BUILT === '1' && fs.existsSync(built)) return [process.execPath, built];
  return [process.execPath, '--import', 'tsx', path.join(ROOT, script)];
}
