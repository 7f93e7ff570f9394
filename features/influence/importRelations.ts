/**
 * Imports a provider's export: a bad record is reported with its line and skipped; the artists described are marked
 * due so the builder's next run rebuilds them.
 */
import { AppError } from '../../systems/errors.js';
import { READERS, type ImportedArtist, type ImportProvider } from '../../systems/influence/importers.js';
import type { ExportRecord } from '../../persistence/influence/exportFiles.js';
import type { ImportedRelationsRepository } from '../../persistence/influence/ImportedRelations.js';

/** Artists written per transaction. */
export const IMPORT_BATCH = 500;
/** Refused records listed in the report (all are counted). */
const REPORTED_PROBLEMS = 10;

export interface ImportReport {
  provider: ImportProvider;
  records: number;
  artists: number;
  relations: number;
  markedDue: number;
  refused: number;
  problems: Array<{ line: number; message: string }>;
  skipped: Record<string, number>;
  dryRun: boolean;
}

export async function importRelations(
  provider: ImportProvider,
  records: AsyncIterable<ExportRecord>,
  repo: Pick<ImportedRelationsRepository, 'replace'> | null,
  now: () => number,
): Promise<ImportReport> {
  const report: ImportReport = { provider, records: 0, artists: 0, relations: 0, markedDue: 0, refused: 0, problems: [], skipped: {}, dryRun: repo === null };
  const refuse = (line: number, message: string) => {
    report.refused++;
    if (report.problems.length < REPORTED_PROBLEMS) report.problems.push({ line, message });
  };
  let batch: ImportedArtist[] = [];
  const flush = async () => {
    if (repo && batch.length) {
      const written = await repo.replace(provider, batch, new Date(now()));
      report.markedDue += written.markedDue;
    }
    batch = [];
  };
  for await (const record of records) {
    report.records++;
    if ('error' in record) {
      refuse(record.line, record.error);
      continue;
    }
    try {
      const artist = READERS[provider](record.value);
      for (const [reason, n] of Object.entries(artist.skipped)) report.skipped[reason] = (report.skipped[reason] ?? 0) + n;
      report.artists++;
      report.relations += artist.relations.length;
      batch.push(artist);
      if (batch.length >= IMPORT_BATCH) await flush();
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      refuse(record.line, err.message);
    }
  }
  await flush();
  return report;
}
