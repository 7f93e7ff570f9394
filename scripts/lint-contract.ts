/**
 * CI's lint of the generated contract (`npm run lint:contract`, after `npm run codegen:check`):
 * - clients/contract/openapi.json through Redocly CLI (redocly.yaml: recommended-strict, so any
 *   problem fails; the few accepted ones are listed with their reason in .redocly.lint-ignore.yaml);
 * - clients/contract/asyncapi.json through @asyncapi/parser: an error or a warning fails, an
 *   information or hint is printed.
 * Exits non-zero when either has a problem.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Parser } from '@asyncapi/parser';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OPENAPI = 'clients/contract/openapi.json';
const ASYNCAPI = 'clients/contract/asyncapi.json';

/** Redocly's exit code; its report goes to this process's output. No telemetry, no update check. */
function lintOpenApi(): number {
  const bin = path.join(ROOT, 'node_modules', '.bin', 'redocly');
  const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };
  const result = spawnSync(bin, ['lint', '--config', 'redocly.yaml', OPENAPI], { cwd: ROOT, env, stdio: 'inherit' });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

const SEVERITY = ['error', 'warning', 'information', 'hint'];

/** The number of errors and warnings the AsyncAPI parser reports (each printed). */
async function lintAsyncApi(): Promise<number> {
  const { document, diagnostics } = await new Parser().parse(fs.readFileSync(path.join(ROOT, ASYNCAPI), 'utf8'));
  let failures = document ? 0 : 1;
  for (const d of diagnostics) {
    const severity = SEVERITY[d.severity] ?? String(d.severity);
    if (d.severity <= 1) failures++;
    process.stdout.write(`${ASYNCAPI}: ${severity} ${d.code}: ${d.message} (at ${d.path.join('.') || 'the root'})\n`);
  }
  process.stdout.write(`${ASYNCAPI}: ${failures === 0 ? 'valid' : `${failures} problem(s)`} (@asyncapi/parser)\n`);
  return failures;
}

const openApi = lintOpenApi();
const asyncApi = await lintAsyncApi();
if (openApi !== 0 || asyncApi !== 0) {
  process.stderr.write(`lint:contract failed: fix contract/ (or redocly.yaml with a reason), run npm run codegen, and lint again\n`);
  process.exit(1);
}
