import { Migration } from '@mikro-orm/migrations';

/**
 * Each claimed passport event id remembers the writer batch ("flight") that claimed it. A batch retried
 * after an ambiguous failure (the connection died after COMMIT, or some of its sub-batches committed
 * before another failed) is the same flight: the sink reports the ids that flight claimed earlier as
 * stored, so the live boards still hear of them, while an id claimed by any other batch stays a
 * duplicate. Nullable: ids claimed before this column, and by callers that name no flight, match nothing.
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
