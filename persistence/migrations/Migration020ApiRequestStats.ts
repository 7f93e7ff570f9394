import { Migration } from '@mikro-orm/migrations';

/**
 * API statistics per route and minute/hour bucket, added to by every process's flush. `counts` is a latency histogram
 * (one slot per bound of systems/analytics/apiStats.ts), so percentiles work over any set of buckets.
 */
export class Migration020ApiRequestStats extends Migration {
  override name = 'Migration020ApiRequestStats';

  override up(): void {
    this.addSql(`CREATE TABLE api_request_stats (
      period text NOT NULL CHECK (period IN ('minute', 'hour')),
      bucket_start timestamptz NOT NULL,
      endpoint text NOT NULL,
      requests bigint NOT NULL,
      client_errors bigint NOT NULL,
      server_errors bigint NOT NULL,
      sum_ms double precision NOT NULL,
      counts bigint[] NOT NULL,
      PRIMARY KEY (period, bucket_start, endpoint)
    )`);
  }

  override down(): void {
    this.addSql('DROP TABLE api_request_stats');
  }
}
