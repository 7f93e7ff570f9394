import { Migration } from '@mikro-orm/migrations';

/**
 * Scheduled jobs and what they write. `job_logs (job_name, scheduled_for)` is unique: of processes firing one slot,
 * only the one whose insert lands runs it. `session_metrics` remembers what a session added to its user's profile,
 * so a re-aggregation corrects, never re-adds.
 */
export class Migration007Jobs extends Migration {
  override name = 'Migration007Jobs';

  override up(): void {
    this.addSql(`CREATE TABLE job_logs (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      job_name text NOT NULL,
      trigger text NOT NULL CHECK (trigger IN ('schedule', 'manual', 'event')),
      scheduled_for timestamptz,
      started_at timestamptz NOT NULL,
      finished_at timestamptz,
      duration_ms integer,
      rows integer,
      outcome text NOT NULL CHECK (outcome IN ('running', 'succeeded', 'failed', 'interrupted', 'abandoned')),
      error text,
      details jsonb NOT NULL DEFAULT '{}',
      process text NOT NULL
    )`);
    this.addSql('CREATE UNIQUE INDEX job_logs_slot ON job_logs (job_name, scheduled_for)');
    this.addSql('CREATE INDEX job_logs_recent ON job_logs (job_name, started_at DESC)');

    this.addSql(`CREATE TABLE session_metrics (
      session_id uuid PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
      user_id uuid NOT NULL,
      duration_seconds double precision NOT NULL,
      interactions_per_minute double precision NOT NULL,
      orbs_per_interaction double precision NOT NULL,
      sensor_engagement_rate double precision NOT NULL,
      session_quality text NOT NULL CHECK (session_quality IN ('high_curiosity', 'medium_curiosity', 'low_curiosity')),
      immersion_level text NOT NULL CHECK (immersion_level IN ('high', 'medium', 'low')),
      processed_at timestamptz NOT NULL
    )`);
    this.addSql(`ALTER TABLE users
      ADD COLUMN total_session_seconds double precision NOT NULL DEFAULT 0,
      ADD COLUMN avg_orb_exploration double precision NOT NULL DEFAULT 0,
      ADD COLUMN session_count integer NOT NULL DEFAULT 0`);
    // The aggregation reads sessions active lately; the cleanup closes those idle for a day.
    this.addSql('CREATE INDEX sessions_last_active ON sessions (last_active)');

    this.addSql(`CREATE TABLE metric_snapshots (key text PRIMARY KEY, value jsonb NOT NULL, computed_at timestamptz NOT NULL)`);
    this.addSql(`CREATE TABLE content_alerts (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      alert_type text NOT NULL,
      artist_id text NOT NULL REFERENCES artists(id) ON DELETE CASCADE,
      metric text NOT NULL,
      value double precision NOT NULL,
      day date NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT content_alerts_once_a_day UNIQUE (alert_type, artist_id, metric, day)
    )`);

    this.addSql(`CREATE TABLE artist_assets (
      artist_id text PRIMARY KEY REFERENCES artists(id) ON DELETE CASCADE,
      status text NOT NULL CHECK (status IN ('processing', 'ready', 'failed')),
      color_palette jsonb NOT NULL DEFAULT '[]',
      orb_glow_color text,
      original_width integer,
      original_height integer,
      background_removal text NOT NULL DEFAULT 'none',
      error text,
      processed_at timestamptz NOT NULL DEFAULT now()
    )`);
    this.addSql(`CREATE TABLE artist_images (
      artist_id text NOT NULL REFERENCES artists(id) ON DELETE CASCADE,
      variant text NOT NULL,
      content_type text NOT NULL,
      width integer NOT NULL,
      height integer NOT NULL,
      bytes bytea NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (artist_id, variant)
    )`);
  }
}
