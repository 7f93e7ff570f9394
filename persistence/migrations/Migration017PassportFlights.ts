import { Migration } from '@mikro-orm/migrations';

/**
 * Each claimed event id remembers the writer batch ("flight") that claimed it: a batch retried after an ambiguous
 * failure finds its own earlier claims stored (so live boards still hear of them), while another batch's stay duplicates.
 */
export class Migration017PassportFlights extends Migration {
  override name = 'Migration017PassportFlights';

  override up(): void {
    this.addSql('ALTER TABLE passport_event_ids ADD COLUMN flight_id uuid');
  }

  override down(): void {
    this.addSql('ALTER TABLE passport_event_ids DROP COLUMN flight_id');
  }
}
