/**
 * Monthly passport partitions: created ahead, detached when they leave retention (then dropped, or archived for a
 * period), their event ids released. Every DDL step sets a lock timeout, so a long read fails the step (retried next
 * run) rather than queue every passport insert behind it.
 */
import { affectedRows, type Sql } from '../db.js';
import {
  addMonths,
  isPastRetention,
  monthOf,
  monthStart,
  monthsToEnsure,
  parsePartitionName,
  partitionName,
  type Month,
} from '../../systems/passport/partitions.js';

export const ARCHIVE_SCHEMA = 'passport_archive';
const DEFAULT_PARTITION = 'passport_entries_default';
/** The passport is append-only (migration 016); this transaction-local setting lets retention empty the default partition, nothing else. */
const RETENTION_MAY_DELETE = "SELECT set_config('passport.retention', 'on', true)";
/** Event ids released per statement when a month is retired. */
const RELEASE_BATCH = 50_000;

export interface PartitionSettings {
  /** Months created ahead of the current one. */
  aheadMonths: number;
  /** Months kept in `passport_entries`, the current one included. */
  retentionMonths: number;
  /** Months a retired partition stays in `passport_archive` before it is dropped (0: dropped at once). */
  archiveMonths: number;
  /** Longest wait for a lock on the parent table (PASSPORT_PARTITIONS_LOCK_TIMEOUT_MS); past it the run is retried later. */
  lockTimeoutMs: number;
}

export interface PartitionInfo {
  name: string;
  schema: string;
  month: Month | null;
  attached: boolean;
}

export interface MaintenanceReport {
  created: string[];
  /** Rows moved out of the default partition into a newly created month. */
  movedFromDefault: number;
  archived: string[];
  dropped: string[];
  /** Event ids released from `passport_event_ids` (their months left the table). */
  releasedIds: number;
  /** Rows deleted from the default partition because their month is past retention. */
  expiredDefaultRows: number;
}

const range = (m: Month): [Date, Date] => [new Date(monthStart(m)), new Date(monthStart(addMonths(m, 1)))];

export class PassportPartitions {
  constructor(
    private readonly sql: Sql,
    private readonly settings: PartitionSettings,
  ) {}

  /** Monthly partitions, attached and archived, oldest first (the default partition is not listed). */
  async list(): Promise<PartitionInfo[]> {
    const rows = await this.sql.query<{ name: string; schema: string; attached: boolean }>(
      `SELECT c.relname AS name, n.nspname AS schema, (i.inhparent IS NOT NULL) AS attached
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN pg_inherits i ON i.inhrelid = c.oid AND i.inhparent = 'passport_entries'::regclass
        WHERE c.relkind = 'r' AND c.relname LIKE 'passport\\_entries\\_y%' AND n.nspname IN (current_schema(), ?)
        ORDER BY c.relname`,
      [ARCHIVE_SCHEMA],
    );
    return rows.map((r) => ({ ...r, month: parsePartitionName(r.name) })).filter((r) => r.month !== null);
  }

  /** Creates the months ahead, then retires the months past retention. Safe to run in several processes. */
  async maintain(nowMs: number): Promise<MaintenanceReport> {
    const report: MaintenanceReport = { created: [], movedFromDefault: 0, archived: [], dropped: [], releasedIds: 0, expiredDefaultRows: 0 };
    const existing = new Set((await this.list()).filter((p) => p.attached).map((p) => p.name));
    for (const month of monthsToEnsure(nowMs, this.settings.aheadMonths)) {
      if (existing.has(partitionName(month))) continue;
      report.movedFromDefault += await this.create(month);
      report.created.push(partitionName(month));
    }
    await this.retire(nowMs, report);
    return report;
  }

  /** Rows of that month in the default partition move into it in the same transaction, keeping their ids. */
  private async create(month: Month): Promise<number> {
    const [from, to] = range(month);
    const name = partitionName(month);
    return this.sql.transaction(async (tx) => {
      await this.lockTimeout(tx);
      // Another process may have created it since list(): nothing to do then.
      const [exists] = await tx.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_class WHERE relname = ? AND relnamespace = current_schema()::regnamespace`,
        [name],
      );
      if (exists.n > 0) return 0;
      await tx.query(RETENTION_MAY_DELETE);
      await tx.query(
        `CREATE TEMP TABLE passport_moved ON COMMIT DROP AS WITH d AS (DELETE FROM ${DEFAULT_PARTITION} WHERE received_at >= ? AND received_at < ? RETURNING *) SELECT * FROM d`,
        [from, to],
      );
      await tx.query(`CREATE TABLE ${name} PARTITION OF passport_entries FOR VALUES FROM ('${from.toISOString()}') TO ('${to.toISOString()}')`);
      return affectedRows(tx, `INSERT INTO passport_entries OVERRIDING SYSTEM VALUE SELECT * FROM passport_moved`);
    });
  }

  /** Detaches months past retention (archived or dropped), drops archives past their period, expires default rows. */
  private async retire(nowMs: number, report: MaintenanceReport): Promise<void> {
    const { retentionMonths, archiveMonths } = this.settings;
    for (const p of await this.list()) {
      const month = p.month!;
      if (p.attached && isPastRetention(month, nowMs, retentionMonths)) {
        const archive = archiveMonths > 0 && !isPastRetention(month, nowMs, retentionMonths + archiveMonths);
        await this.sql.transaction(async (tx) => {
          await this.lockTimeout(tx);
          await tx.query(`ALTER TABLE passport_entries DETACH PARTITION ${p.name}`);
          if (archive) await tx.query(`CREATE SCHEMA IF NOT EXISTS ${ARCHIVE_SCHEMA}`);
          await tx.query(archive ? `ALTER TABLE ${p.name} SET SCHEMA ${ARCHIVE_SCHEMA}` : `DROP TABLE ${p.name}`);
        });
        (archive ? report.archived : report.dropped).push(p.name);
        report.releasedIds += await this.releaseIds(...range(month));
      } else if (!p.attached && p.schema === ARCHIVE_SCHEMA && isPastRetention(month, nowMs, retentionMonths + archiveMonths)) {
        await this.sql.query(`DROP TABLE ${ARCHIVE_SCHEMA}.${p.name}`);
        report.dropped.push(`${ARCHIVE_SCHEMA}.${p.name}`);
      }
    }
    const cutoff = new Date(monthStart(addMonths(monthOf(nowMs), -(retentionMonths - 1))));
    const expired = await this.sql.transaction(async (tx) => {
      await tx.query(RETENTION_MAY_DELETE);
      return affectedRows(tx, `DELETE FROM ${DEFAULT_PARTITION} WHERE received_at < ?`, [cutoff]);
    });
    report.expiredDefaultRows = expired;
    if (expired > 0) report.releasedIds += await this.releaseIds(new Date(0), cutoff);
  }

  /** Releases event ids first received in [from, to), in batches (the month's rows are gone). */
  private async releaseIds(from: Date, to: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await affectedRows(
        this.sql,
        `DELETE FROM passport_event_ids WHERE ctid IN (SELECT ctid FROM passport_event_ids WHERE received_at >= ? AND received_at < ? LIMIT ${RELEASE_BATCH})`,
        [from, to],
      );
      total += n;
      if (n < RELEASE_BATCH) return total;
    }
  }

  private async lockTimeout(tx: Sql): Promise<void> {
    await tx.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.floor(this.settings.lockTimeoutMs))}`);
  }
}
