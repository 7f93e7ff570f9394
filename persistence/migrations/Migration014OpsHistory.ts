import { Migration } from '@mikro-orm/migrations';

/**
 * The ops panel's history beyond its in-memory 15 minutes: one row per process per minute,
 * kept for OPS_HISTORY_HOURS (pruned by the writer), so a restart loses no chart.
 */
export class Migration014OpsHistory extends Migration {
  override name = 'Migration014OpsHistory';

  override up(): void {
    this.addSql(`CREATE TABLE ops_history (
      at timestamptz NOT NULL,
      process_id text NOT NULL,
      events_per_sec double precision,
      ccu integer NOT NULL,
      PRIMARY KEY (at, process_id)
    )`);
  }
}
