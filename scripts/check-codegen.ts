/**
 * CI check: regenerates the client schema classes into a temp directory and compares them with the
 * committed clients/ (the swift/<room> and ts/<room> directories and the contract files codegen owns). Exits 1 naming every
 * missing, extra or changed file, and the command that fixes it.
 *
 *   npm run codegen:check      (tsx scripts/check-codegen.ts)
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONTRACT_FILES, LANGUAGES, REFERENCE_FILES, ROOT, SCHEMAS, generate } from './codegen.js';

async function listManaged(root: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const lang of LANGUAGES) {
    for (const schema of SCHEMAS) {
      const dir = path.join(root, lang.dir, schema.room);
      const names = await fs.readdir(dir).catch(() => [] as string[]);
      for (const name of names) files.set(path.join(lang.dir, schema.room, name), await fs.readFile(path.join(dir, name)));
    }
  }
  for (const { file } of CONTRACT_FILES) {
    const data = await fs.readFile(path.join(root, file)).catch(() => null);
    if (data) files.set(file, data);
  }
  return files;
}

/** Differences between the committed and freshly generated files, as human-readable lines. */
export async function checkCodegen(committedRoot = path.join(ROOT, 'clients')): Promise<{ stale: string[]; problems: string[] }> {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'ds-codegen-'));
  try {
    const { problems } = await generate(tmp);
    const fresh = await listManaged(tmp);
    const committed = await listManaged(committedRoot);
    const stale: string[] = [];
    for (const [file, data] of fresh) {
      const old = committed.get(file);
      if (!old) stale.push(`missing: clients/${file}`);
      else if (!old.equals(data)) stale.push(`changed: clients/${file}`);
    }
    for (const file of committed.keys()) if (!fresh.has(file)) stale.push(`extra:   clients/${file} (its schema no longer generates it)`);
    for (const { file, make } of REFERENCE_FILES) {
      const old = await fs.readFile(path.join(ROOT, file), 'utf8').catch(() => null);
      if (old === null) stale.push(`missing: ${file}`);
      else if (old !== make()) stale.push(`changed: ${file}`);
    }
    return { stale, problems };
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  checkCodegen()
    .then(({ stale, problems }) => {
      if (problems.length) process.stderr.write(`codegen check: fields generated without a type:\n${problems.map((p) => `  ${p}`).join('\n')}\n`);
      if (stale.length) {
        process.stderr.write(
          `codegen check: generated files are stale (${stale.length} file(s)):\n${stale.map((s) => `  ${s}`).join('\n')}\nRun \`npm run codegen\` and commit the result.\n`,
        );
      }
      if (stale.length || problems.length) process.exit(1);
      process.stdout.write('codegen check: clients/, the contract documents and docs/CONFIG.md match their sources\n');
    })
    .catch((err: Error & { stderr?: string }) => {
      process.stderr.write(`codegen check failed: ${err.message}\n${err.stderr ?? ''}`);
      process.exit(1);
    });
}
