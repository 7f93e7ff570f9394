import { Migration } from '@mikro-orm/migrations';

/**
 * Share links and opens, and the members behind unique counts. An open is a 16-byte keyed hash of address and browser
 * under the day's random key (never the address); both go after two days, and with the key gone no hash can be
 * recomputed. An index of Treasury money rollups by owner (features/analytics/treasury.ts repeats its type list,
 * which the planner needs).
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
