import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** The server bundled for the processes tests start (gitignored). */
export const TEST_BUILD_DIR = path.join(ROOT, '.test-build');
/** The entries tests run as processes: the server and the command-line scripts tests start. */
const ENTRIES = ['src/main.ts'];
const SCRIPTS = ['scripts/influence-import.ts'];

/**
 * Where each source file sits in the checkout, for the few that find files from their own location
 * (`import.meta.dirname`, `createRequire(import.meta.url)`): in one bundle they would all sit at the bundle's.
 */
const sourceLocation: esbuild.Plugin = {
  name: 'source-location',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async (args) => {
      const text = await fs.promises.readFile(args.path, 'utf8');
      if (!text.includes('import.meta.')) return { contents: text, loader: 'ts' };
      const contents = text
        .replaceAll('import.meta.dirname', JSON.stringify(path.dirname(args.path)))
        .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href));
      return { contents, loader: 'ts' };
    });
  },
};

/**
 * Bundles the server once per test run (esbuild: the app's code in one file per entry, packages left to
 * node_modules) so each of the suite's ~150 server processes starts as `node main.js`. A server spends most
 * of its boot loading modules: ≈ 0.9 s of CPU bundled, ≈ 1.1 s as one transpiled file per module, ≈ 2.1 s
 * under the tsx loader; on two cores that was a fifth of the suite. Names are kept (MikroORM and logs read
 * class names). Type errors are `npm run typecheck`'s job, as they are tsx's.
 */
export async function buildServerForTests(): Promise<void> {
  const staging = `${TEST_BUILD_DIR}.${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: [...ENTRIES, ...SCRIPTS].map((e) => path.join(ROOT, e)),
    outdir: staging,
    outbase: ROOT,
    bundle: true,
    packages: 'external',
    keepNames: true,
    plugins: [sourceLocation],
    format: 'esm',
    platform: 'node',
    target: 'node22',
    logLevel: 'error',
  });
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
