import { Migration } from '@mikro-orm/migrations';
import { BASELINE_ACCOUNTS } from './baselineAccounts.js';
import { BASELINE_CORE } from './baselineCore.js';
import { BASELINE_FEATURES } from './baselineFeatures.js';

/** The last of the migrations the baseline replaces: a database that ran it holds this schema already. */
const REPLACED_THROUGH = 'Migration036Friends';

/**
 * The schema of Migration001Foundation through Migration036Friends in one step. A new database gets it here;
 * one migrated through Migration036Friends by an earlier release already has it (pg_dump --schema-only of
 * both matched when they were squashed); one that stopped earlier is refused, to be upgraded first by a release
 * that still carries those migrations (docs/PRODUCTION.md, Migrations and rollback).
 */
export class Migration036Baseline extends Migration {
  override name = 'Migration036Baseline';

  override async up(): Promise<void> {
    const [row] = await this.execute('SELECT max(name) AS last FROM mikro_orm_migrations');
    const last = (row?.last ?? null) as string | null;
    if (last !== null && last >= REPLACED_THROUGH) return;
    if (last !== null) {
      throw new Error(
        `this database stopped at ${last}: upgrade it through ${REPLACED_THROUGH} with an earlier release first (docs/PRODUCTION.md, Migrations and rollback)`,
      );
    }
    for (const sql of [...BASELINE_CORE, ...BASELINE_FEATURES, ...BASELINE_ACCOUNTS]) this.addSql(sql);
  }
}
