import { Migration } from '@mikro-orm/migrations';

/**
 * The passport, constellations, badges, cursors, rollups and offline-sync keys. No foreign keys on the passport:
 * it logs what clients said, and a user deleted later must not invalidate old rows.
 */
export class Migration002Passport extends Migration {
  override name = 'Migration002Passport';

  override up(): void {
    this.addSql(`CREATE TABLE passport_entries (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      event_id uuid NOT NULL,
      event_type text NOT NULL,
      event_category text NOT NULL,
      user_id uuid,
      session_id text,
      device_id text,
      occurred_at timestamptz NOT NULL,
      received_at timestamptz NOT NULL,
      entity_type text,
      entity_id text,
      payload jsonb NOT NULL DEFAULT '{}',
      source text NOT NULL CHECK (source IN ('room', 'http', 'gravity', 'offline_sync')),
      CONSTRAINT passport_entries_event_id_key UNIQUE (event_id)
    )`);
    this.addSql('CREATE INDEX passport_entries_user_time ON passport_entries (user_id, occurred_at DESC)');
    this.addSql('CREATE INDEX passport_entries_type_time ON passport_entries (event_type, occurred_at)');
    this.addSql('CREATE INDEX passport_entries_received_brin ON passport_entries USING brin (received_at)');
    // Events that Postgres refused even alone (a data error the validators missed): kept, never dropped.
    this.addSql(`CREATE TABLE passport_dead_letters (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      event_id text,
      event_json text NOT NULL,
      error text NOT NULL,
      failed_at timestamptz NOT NULL DEFAULT now()
    )`);

    this.addSql(`CREATE TABLE constellation_stars (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      artist_id text NOT NULL REFERENCES artists(id),
      x double precision NOT NULL,
      y double precision NOT NULL,
      z double precision NOT NULL,
      captured_at timestamptz NOT NULL,
      discovery_path jsonb NOT NULL DEFAULT '[]',
      session_id text,
      op_id text,
      CONSTRAINT constellation_stars_user_artist UNIQUE (user_id, artist_id)
    )`);
    this.addSql('CREATE INDEX constellation_stars_user_time ON constellation_stars (user_id, captured_at, id)');
    this.addSql(`CREATE TABLE constellation_connections (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      from_artist_id text NOT NULL,
      to_artist_id text NOT NULL,
      strength double precision NOT NULL CHECK (strength >= 0 AND strength <= 1),
      connection_type text NOT NULL CHECK (connection_type IN ('discovery_path', 'genre_similarity')),
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT constellation_connections_unique UNIQUE (user_id, from_artist_id, to_artist_id, connection_type)
    )`);
    this.addSql(`CREATE TABLE user_badges (
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      badge text NOT NULL,
      earned_at timestamptz NOT NULL,
      PRIMARY KEY (user_id, badge)
    )`);

    this.addSql(`CREATE TABLE processor_cursors (
      name text PRIMARY KEY,
      last_id bigint NOT NULL DEFAULT 0,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    this.addSql(`CREATE TABLE coliseum_metrics (
      entity_type text NOT NULL,
      entity_id text NOT NULL,
      metric text NOT NULL,
      period text NOT NULL CHECK (period IN ('hour', 'day', 'week', 'month', 'all')),
      bucket_start timestamptz NOT NULL,
      value bigint NOT NULL,
      PRIMARY KEY (entity_type, entity_id, metric, period, bucket_start)
    )`);
    // Leaderboard reads: top entities of one metric in one bucket.
    this.addSql('CREATE INDEX coliseum_metrics_board ON coliseum_metrics (entity_type, metric, period, bucket_start, value DESC)');

    // Keyed by (user, op) rather than op alone: op ids are client-generated, so one user's ids must
    // not be able to shadow another's.
    this.addSql(`CREATE TABLE offline_operations (
      user_id uuid NOT NULL,
      op_id text NOT NULL,
      op_type text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now(),
      result jsonb NOT NULL DEFAULT '{}',
      PRIMARY KEY (user_id, op_id)
    )`);
  }
}
