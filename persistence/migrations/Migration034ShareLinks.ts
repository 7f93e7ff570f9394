import { Migration } from '@mikro-orm/migrations';

/**
 * Link shares and opens (seed 004 "Link shares and opens") and the members behind unique counts:
 * - `share_links`: a link a user made to an artist, event or track (an unguessable 22-character id), with its
 *   counted opens and this hour's (the per-link bound, LINK_OPENS_PER_LINK_PER_HOUR).
 * - `share_link_opens`: who opened a link on a day, as a 16-byte keyed hash of their address and browser under
 *   that day's random key (`share_link_keys`; never the address itself): one open per visitor per link per day.
 *   Both are deleted after two days, and with the key gone no hash can be recomputed from an address.
 * - `coliseum_members`: who a distinct-user counting rule counted in a rollup bucket (unique listeners), so a
 *   user is counted once per bucket across batches; rows of buckets no event can still be dated into are pruned.
 * - An index of the Treasury totals' rollups (`<currency>><id>`) by whose they are, so one user's, artist's or
 *   event's money is read without scanning everyone's (features/analytics/treasury.ts repeats the
 *   predicate's type list, which the planner needs to use it).
 */
export class Migration034ShareLinks extends Migration {
  override name = 'Migration034ShareLinks';

  override up(): void {
    this.addSql(`CREATE TABLE share_links (
      id text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_-]{22}$'),
      user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      target_type text NOT NULL CHECK (target_type IN ('artist', 'event', 'track')),
      target_id text NOT NULL CHECK (char_length(target_id) BETWEEN 1 AND 200),
      channel text CHECK (char_length(channel) BETWEEN 1 AND 32),
      created_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      opens integer NOT NULL DEFAULT 0 CHECK (opens >= 0),
      hour_start timestamptz,
      hour_opens integer NOT NULL DEFAULT 0,
      last_opened_at timestamptz
    )`);
    this.addSql('CREATE INDEX share_links_user ON share_links (user_id, created_at DESC)');
    this.addSql(`CREATE TABLE share_link_opens (
      link_id text NOT NULL REFERENCES share_links (id) ON DELETE CASCADE,
      day date NOT NULL,
      visitor bytea NOT NULL CHECK (length(visitor) = 16),
      PRIMARY KEY (link_id, day, visitor)
    )`);
    this.addSql('CREATE INDEX share_link_opens_day ON share_link_opens (day)');
    this.addSql(`CREATE TABLE share_link_keys (
      day date PRIMARY KEY,
      key bytea NOT NULL CHECK (length(key) = 32)
    )`);
    this.addSql(`CREATE TABLE coliseum_members (
      entity_type text NOT NULL,
      entity_id text NOT NULL,
      metric text NOT NULL,
      period text NOT NULL CHECK (period IN ('day', 'week', 'month', 'all')),
      bucket_start timestamptz NOT NULL,
      user_id uuid NOT NULL,
      PRIMARY KEY (entity_type, entity_id, metric, period, bucket_start, user_id)
    )`);
    this.addSql(`CREATE INDEX coliseum_members_closed ON coliseum_members (bucket_start) WHERE period <> 'all'`);
    this.addSql(`CREATE INDEX coliseum_metrics_money ON coliseum_metrics ((split_part(entity_id, '>', 2)), entity_type, period, bucket_start)
      WHERE entity_type IN ('artist_revenue', 'event_revenue', 'user_spent', 'user_earned', 'artist_earned', 'event_earned')`);
  }

  override down(): void {
    this.addSql('DROP INDEX IF EXISTS coliseum_metrics_money');
    this.addSql('DROP TABLE IF EXISTS coliseum_members, share_link_keys, share_link_opens, share_links');
  }
}
