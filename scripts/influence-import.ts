/**
 * `npm run influence:import -- --source musicbrainz|lastfm [--dry-run] [--database-url URL] FILE…`
 * Imports relationship exports (seed 000 step 11.a) for the influence builder: MusicBrainz artists
 * with their artist relationships (`/ws/2/artist/{mbid}?inc=artist-rels&fmt=json`, or the JSON dump's
 * artist lines), Last.fm `artist.getSimilar` JSON answers (one per file or one per line). The catalog
 * artists they describe are rebuilt at the builder's next run. Uses DATABASE_URL when --database-url is
 * not given; migrates first. Prints a JSON report per file. Exit 0 all records imported, 3 some refused
 * (the rest imported), 2 bad arguments, 1 error.
 */
import { parseArgs } from 'node:util';
import { createOrm, migrate } from '../persistence/orm.js';
import { sqlFor } from '../persistence/db.js';
import { ImportedRelationsRepository } from '../persistence/influence/ImportedRelations.js';
import { readExportRecords } from '../persistence/influence/exportFiles.js';
import { importRelations, type ImportReport } from '../features/influence/importRelations.js';
import { IMPORT_PROVIDERS, type ImportProvider } from '../systems/influence/importers.js';

const USAGE = `usage: npm run influence:import -- --source ${IMPORT_PROVIDERS.join('|')} [--dry-run] [--database-url URL] FILE…
  --source S           the export's format: musicbrainz (artist with artist-rels, web service JSON or dump lines)
                       or lastfm (artist.getSimilar JSON)
  --dry-run            read and check the files, write nothing (no database needed)
  --database-url URL   Postgres to import into (default env DATABASE_URL)`;

class UsageError extends Error {}

interface Options {
  provider: ImportProvider;
  files: string[];
  dryRun: boolean;
  url: string;
}

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): Options {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        source: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        'database-url': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) throw new UsageError(USAGE);
  const provider = values.source as ImportProvider | undefined;
  if (!provider || !IMPORT_PROVIDERS.includes(provider)) throw new UsageError(`--source must be one of ${IMPORT_PROVIDERS.join(', ')}\n${USAGE}`);
  if (positionals.length === 0) throw new UsageError(`name at least one export file\n${USAGE}`);
  const url = values['database-url'] ?? env.DATABASE_URL ?? '';
  if (!values['dry-run'] && !url) throw new UsageError(`no database: pass --database-url postgres://… or set DATABASE_URL (or --dry-run)\n${USAGE}`);
  return { provider, files: positionals, dryRun: values['dry-run'] ?? false, url };
}

async function run(o: Options): Promise<ImportReport[]> {
  if (o.dryRun) return Promise.all(o.files.map((f) => importRelations(o.provider, readExportRecords(f), null, Date.now)));
  const orm = await createOrm({ url: o.url });
  try {
    await migrate(orm);
    const repo = new ImportedRelationsRepository(sqlFor(orm));
    const reports: ImportReport[] = [];
    for (const file of o.files) reports.push(await importRelations(o.provider, readExportRecords(file), repo, Date.now));
    return reports;
  } finally {
    await orm.close(true);
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2), process.env);
  const reports = await run(options);
  for (const [i, report] of reports.entries()) process.stdout.write(`${JSON.stringify({ file: options.files[i], ...report })}\n`);
  if (reports.some((r) => r.refused > 0)) process.exitCode = 3;
}

main().catch((err: Error) => {
  process.stderr.write(`influence:import: ${err.message}\n`);
  process.exit(err instanceof UsageError ? 2 : 1);
});
