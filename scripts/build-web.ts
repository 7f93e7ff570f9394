/**
 * Bundles the web pages (web/src/{play,coliseum,ops,reports,share}) with esbuild into web/dist:
 *   web/dist/{play,coliseum,ops}.html       the shells from web/public, asset URLs rewritten to hashed names
 *   web/dist/assets/<name>-<HASH>.{js,css}  ES modules (shared chunks split out), minified, with source maps
 * The output is built in a temp directory and swapped in, so a running server never serves half a build.
 *
 *   npm run build:web          (tsx scripts/build-web.ts)
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const PAGES = ['play', 'coliseum', 'ops', 'reports', 'share'] as const;

/**
 * The packages our page code may import. systems/ files are shared with the server, where zod, pino or a
 * driver are one import away; one of those reaching a page's graph fails the build here, naming the file,
 * instead of a page budget in the browser suite half an hour later.
 */
const BROWSER_PACKAGES = new Set(['gl-matrix', '@colyseus/sdk', '@colyseus/schema', 'msgpackr', '@fontsource/cinzel', 'uplot', 'qrcode']);

export interface BuildWebOptions {
  /** Output directory; default web/dist. */
  outDir?: string;
  /** Print the size table (default true when run as a script). */
  report?: boolean;
}

export interface BuiltFile {
  file: string;
  bytes: number;
  gzipBytes: number;
}

export interface BuildWebResult {
  outDir: string;
  ms: number;
  files: BuiltFile[];
}

/** Builds every page; resolves with the files written (relative to outDir) and their sizes. */
export async function buildWeb(options: BuildWebOptions = {}): Promise<BuildWebResult> {
  const started = Date.now();
  const outDir = path.resolve(options.outDir ?? path.join(ROOT, 'web/dist'));
  const tmpDir = `${outDir}.tmp-${process.pid}-${Date.now()}`;
  await fs.rm(tmpDir, { recursive: true, force: true });
  try {
    const result = await esbuild.build({
      absWorkingDir: ROOT,
      entryPoints: PAGES.map((page) => ({ in: `web/src/${page}/main.ts`, out: page })),
      outdir: path.join(tmpDir, 'assets'),
      bundle: true,
      format: 'esm',
      splitting: true,
      platform: 'browser',
      target: ['es2022', 'chrome110', 'safari16', 'firefox115'],
      minify: true,
      sourcemap: 'linked',
      entryNames: '[name]-[hash]',
      chunkNames: 'chunk-[hash]',
      assetNames: '[name]-[hash]',
      // Self-hosted web fonts (the jumbotron's Cinzel, from @fontsource): copied beside the CSS, hashed.
      loader: { '.woff2': 'file', '.woff': 'file' },
      metafile: true,
      legalComments: 'none',
      logLevel: 'warning',
      tsconfig: 'web/tsconfig.json',
    });
    assertBrowserPackages(result.metafile);
    await writePages(result.metafile, tmpDir);
    await precompress(path.join(tmpDir, 'assets'));
    await swapIn(tmpDir, outDir);
  } catch (err) {
    await fs.rm(tmpDir, { recursive: true, force: true });
    throw err;
  }
  const files = await sizes(outDir);
  const built = { outDir, ms: Date.now() - started, files };
  if (options.report) printReport(built);
  return built;
}

/** Throws when one of our files bundled into a page imports a package outside BROWSER_PACKAGES. */
export function assertBrowserPackages(metafile: Pick<esbuild.Metafile, 'inputs'>): void {
  const packageOf = (file: string) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1];
  for (const [file, input] of Object.entries(metafile.inputs)) {
    if (packageOf(file)) continue; // a kept package's own dependencies come with it
    for (const { path: imported } of input.imports) {
      const name = packageOf(imported);
      if (name && !BROWSER_PACKAGES.has(name)) throw new Error(`${file} brings ${name} into a web page: keep it in server-only files`);
    }
  }
}

/** Copies each HTML shell, pointing `/assets/<page>.js|css` at the hashed outputs of its entry. */
async function writePages(metafile: esbuild.Metafile, tmpDir: string): Promise<void> {
  for (const page of PAGES) {
    const entry = `web/src/${page}/main.ts`;
    const [jsOut, meta] = Object.entries(metafile.outputs).find(([, o]) => o.entryPoint === entry) ?? [];
    if (!jsOut || !meta) throw new Error(`esbuild produced no output for ${entry}`);
    const url = (out: string) => `/assets/${path.basename(out)}`;
    let html = await fs.readFile(path.join(ROOT, `web/public/${page}.html`), 'utf8');
    html = html.replaceAll(`/assets/${page}.js`, url(jsOut));
    if (meta.cssBundle) html = html.replaceAll(`/assets/${page}.css`, url(meta.cssBundle));
    else html = html.replace(new RegExp(`\\s*<link[^>]+/assets/${page}\\.css"[^>]*>`), '');
    if (/\/assets\/[a-z]+\.(js|css)"/.test(html)) throw new Error(`web/public/${page}.html references an asset the build did not produce`);
    await fs.writeFile(path.join(tmpDir, `${page}.html`), html);
  }
}

/**
 * A Brotli copy (`<file>.br`, quality 11) beside each script and stylesheet: the server sends it to
 * browsers that accept `br` (src/http/webRoutes.ts), once per build instead of compressing per request.
 */
async function precompress(assetsDir: string): Promise<void> {
  for (const name of await fs.readdir(assetsDir)) {
    if (!/\.(js|css)$/.test(name)) continue;
    const data = await fs.readFile(path.join(assetsDir, name));
    await fs.writeFile(
      path.join(assetsDir, `${name}.br`),
      brotliCompressSync(data, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: data.length } }),
    );
  }
}

/**
 * Puts the new build in place without a moment where `outDir` is missing: a server (or a test running next to
 * this one) reading it meanwhile would answer WEB_BUNDLE_MISSING. The first build renames the directory in; later
 * ones rename each new file over its old one (atomic per file: hashed assets of the same source keep their
 * names), then delete what the new build no longer has.
 */
async function swapIn(tmpDir: string, outDir: string): Promise<void> {
  const exists = await fs.stat(outDir).then(
    () => true,
    () => false,
  );
  if (!exists) return fs.rename(tmpDir, outDir);
  const fresh = new Set<string>();
  for (const rel of await filesUnder(tmpDir)) {
    fresh.add(rel);
    await fs.mkdir(path.dirname(path.join(outDir, rel)), { recursive: true });
    await fs.rename(path.join(tmpDir, rel), path.join(outDir, rel));
  }
  for (const rel of await filesUnder(outDir)) if (!fresh.has(rel)) await fs.rm(path.join(outDir, rel), { force: true });
  await fs.rm(tmpDir, { recursive: true, force: true });
}

/** Every file under `dir`, as paths relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

async function sizes(outDir: string): Promise<BuiltFile[]> {
  const out: BuiltFile[] = [];
  for (const rel of [...PAGES.map((p) => `${p}.html`), ...(await fs.readdir(path.join(outDir, 'assets'))).map((f) => `assets/${f}`)]) {
    if (rel.endsWith('.map') || rel.endsWith('.br')) continue;
    const data = await fs.readFile(path.join(outDir, rel));
    out.push({ file: rel, bytes: data.length, gzipBytes: gzipSync(data).length });
  }
  return out;
}

function printReport({ outDir, ms, files }: BuildWebResult): void {
  const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`.padStart(10);
  const lines = files.map((f) => `  ${f.file.padEnd(40)}${kb(f.bytes)}${kb(f.gzipBytes)} gz`);
  const total = files.reduce((s, f) => s + f.bytes, 0);
  const totalGz = files.reduce((s, f) => s + f.gzipBytes, 0);
  process.stdout.write(
    `web build → ${path.relative(ROOT, outDir) || outDir} in ${ms} ms\n${lines.join('\n')}\n  ${'total'.padEnd(40)}${kb(total)}${kb(totalGz)} gz\n`,
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildWeb({ report: true }).catch((err: Error) => {
    process.stderr.write(`web build failed: ${err.message}\n`);
    process.exit(1);
  });
}
