/** Coliseum reports: generate and store with a share link, read by id or link (until it expires), list newest first. */
import type { ColiseumReport } from '../../persistence/entities/mediaid.js';
import type { DnaRepository } from '../../persistence/mediaid/DnaRepository.js';
import type { MediaIdStore } from '../../persistence/mediaid/MediaIdStore.js';
import type { ReportRepository } from '../../persistence/reports/ReportRepository.js';
import { AppError } from '../../systems/errors.js';
import { REPORT_TYPES, type ReportType } from '../../systems/reports/reportTypes.js';
import { generateReport, type ReportRequest, type ReportSettings } from './generateReport.js';

export class ReportLibrary {
  /** The clock a report's range, generation time and link expiry are read from. */
  readonly now = Date.now;

  constructor(private readonly d: { store: MediaIdStore; reports: ReportRepository; dna: DnaRepository; settings: ReportSettings }) {}

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

  async get(id: string): Promise<ColiseumReport | null> {
    return this.named(await this.d.store.report(id));
  }

  /** The report a share link names, or null; GONE once the link has expired. */
  async shared(token: string): Promise<ColiseumReport | null> {
    const report = await this.d.store.reportByShareToken(token);
    if (report?.shareExpiresAt && report.shareExpiresAt.getTime() <= this.now())
      throw new AppError('GONE', `this report link expired at ${report.shareExpiresAt.toISOString()}; ask the sender for a new link`);
    return this.named(report);
  }

  /** The history, newest first, filtered by the query's type and entity when it names them. */
  async list(query: { limit: number; type?: string; entityId?: string }): Promise<ColiseumReport[]> {
    const reports = await this.d.store.reports(query);
    await Promise.all(REPORT_TYPES.map((type) => this.rename(reports.filter((r) => r.reportType === type && r.entityName === r.entityId))));
    return reports;
  }

  private async named(report: ColiseumReport | null): Promise<ColiseumReport | null> {
    if (report && report.entityName === report.entityId) await this.rename([report]);
    return report;
  }

  /**
   * Reports of one type stored under their subject's id (made before the subject had a name, e.g. an event's report
   * before the event was created) take the name it has now; read-time only, the stored row keeps what was known.
   */
  private async rename(reports: ColiseumReport[]): Promise<void> {
    if (!reports.length) return;
    const names = await this.d.reports.namesOf(reports[0].reportType as ReportType, [...new Set(reports.map((r) => r.entityId))]);
    for (const r of reports) {
      const name = names.get(r.entityId);
      if (!name) continue;
      r.entityName = name;
      const subject = r.reportData?.subject as { name?: string } | undefined;
      if (subject) subject.name = name;
    }
  }
}
