import { Migration } from '@mikro-orm/migrations';

/** The ops panel's history, one row per process per minute, so a restart loses no chart. */
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
