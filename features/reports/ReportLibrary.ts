/** Coliseum reports: generate and store with a share link, read by id or link (until it expires), list newest first. */
import type { ColiseumReport } from '../../persistence/entities/mediaid.js';
import type { DnaRepository } from '../../persistence/mediaid/DnaRepository.js';
import type { MediaIdStore } from '../../persistence/mediaid/MediaIdStore.js';
import type { ReportRepository } from '../../persistence/reports/ReportRepository.js';
import { AppError } from '../../systems/errors.js';
import { generateReport, type ReportRequest, type ReportSettings } from './generateReport.js';

/** A share link past its expiry (HTTP 410). */
export class ShareExpiredError extends AppError<'GONE'> {
  constructor(expiredAt: Date) {
    super('GONE', `this report link expired at ${expiredAt.toISOString()}; ask the sender for a new link`);
  }
}

export interface ReportLibraryDeps {
  store: MediaIdStore;
  reports: ReportRepository;
  dna: DnaRepository;
  settings: ReportSettings;
  now?: () => number;
}

export class ReportLibrary {
  /** The clock a report's range, generation time and link expiry are read from. */
  readonly now: () => number;

  constructor(private readonly d: ReportLibraryDeps) {
    this.now = d.now ?? Date.now;
  }

  /** Generates the report and stores it with a share link valid `shareTtlMs`; its generation time counts from `startedMs`. */
  async create(req: ReportRequest, shareTtlMs: number, startedMs: number): Promise<ColiseumReport> {
    const data = await generateReport({ reports: this.d.reports, dna: this.d.dna }, req, this.d.settings, startedMs);
    const subject = data.subject as { name: string };
    return this.d.store.saveReport({
      reportType: req.subject.type,
      entityId: req.subject.id,
      entityName: subject.name,
      timeRange: req.label,
      startDate: req.from,
      endDate: req.to,
      reportData: data,
      generatedBy: 'admin',
      shareTtlMs,
      generationMs: Math.round(this.now() - startedMs),
      at: new Date(this.now()),
    });
  }

  /** A stored report, or null. */
  get(id: string): Promise<ColiseumReport | null> {
    return this.d.store.report(id);
  }

  /** The report a share link names, or null; GONE once the link has expired. */
  async shared(token: string): Promise<ColiseumReport | null> {
    const report = await this.d.store.reportByShareToken(token);
    if (report?.shareExpiresAt && report.shareExpiresAt.getTime() <= this.now()) throw new ShareExpiredError(report.shareExpiresAt);
    return report;
  }

  /** The history, newest first, filtered by the query's type and entity when it names them. */
  list(query: { limit: number; type?: string; entityId?: string }): Promise<ColiseumReport[]> {
    return this.d.store.reports(query);
  }
}
