import { Migration } from '@mikro-orm/migrations';

/** Catalog (scenes, artists, orbs), users and sessions, plus pg_trgm for search. */
export class Migration001Foundation extends Migration {
  override name = 'Migration001Foundation';

  override up(): void {
    this.addSql('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    this.addSql(`CREATE TABLE scenes (
      id text PRIMARY KEY,
      name text NOT NULL,
      scene_type text NOT NULL,
      video_url_high text NOT NULL,
      video_url_medium text NOT NULL,
      video_url_low text NOT NULL,
      loop_point double precision NOT NULL DEFAULT 0,
      particles jsonb NOT NULL DEFAULT '{}',
      lighting jsonb NOT NULL DEFAULT '{}',
      ambient_sound text,
      haptic_pattern jsonb NOT NULL DEFAULT '[]'
    )`);
    this.addSql(`CREATE TABLE artists (
      id text PRIMARY KEY,
      name text NOT NULL,
      station_frequency numeric(4,1) UNIQUE CHECK (station_frequency BETWEEN 87.5 AND 108.0),
      genres text[] NOT NULL DEFAULT '{}',
      era text NOT NULL DEFAULT '',
      origin text NOT NULL DEFAULT '',
      bio text NOT NULL DEFAULT '',
      hero_image text NOT NULL DEFAULT '',
      deep_etched_image text NOT NULL DEFAULT '',
      thumbnail text NOT NULL DEFAULT '',
      scene_id text NOT NULL REFERENCES scenes(id)
    )`);
    this.addSql('CREATE INDEX artists_name_trgm ON artists USING gin (name gin_trgm_ops)');
    this.addSql(`CREATE TABLE influence_orbs (
      id text PRIMARY KEY,
      source_artist_id text NOT NULL REFERENCES artists(id) ON DELETE CASCADE,
      target_artist_id text NOT NULL REFERENCES artists(id) ON DELETE CASCADE,
      relationship_type text NOT NULL CHECK (relationship_type IN ('ancestor','influence','peer','contemporary','collaborator','influenced')),
      orbit_radius double precision NOT NULL,
      orbit_speed double precision NOT NULL,
      start_angle double precision NOT NULL,
      inclination double precision NOT NULL,
      size double precision NOT NULL,
      glow_color text NOT NULL,
      influence_score double precision NOT NULL DEFAULT 0,
      description text NOT NULL DEFAULT '',
      UNIQUE (source_artist_id, target_artist_id)
    )`);
    this.addSql('CREATE INDEX influence_orbs_source ON influence_orbs (source_artist_id, orbit_radius)');
    // One row per catalog change; the station cache keys on it so a change invalidates every process.
    this.addSql(`CREATE TABLE catalog_meta (key text PRIMARY KEY, value text NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())`);
    this.addSql(`CREATE TABLE users (
      id uuid PRIMARY KEY,
      device_id text NOT NULL UNIQUE,
      first_launch boolean NOT NULL DEFAULT true,
      city text,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_seen_at timestamptz NOT NULL DEFAULT now()
    )`);
    this.addSql(`CREATE TABLE sessions (
      id uuid PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES users(id),
      device_id text NOT NULL,
      device_model text,
      app_version text,
      started_at timestamptz NOT NULL DEFAULT now(),
      last_active timestamptz NOT NULL DEFAULT now(),
      ended_at timestamptz,
      current_frequency numeric(4,1) NOT NULL DEFAULT 99.9,
      current_artist_id text,
      total_interactions integer NOT NULL DEFAULT 0,
      total_swipes integer NOT NULL DEFAULT 0,
      total_orbs_explored integer NOT NULL DEFAULT 0,
      total_captures integer NOT NULL DEFAULT 0,
      sensor_engagement_count integer NOT NULL DEFAULT 0
    )`);
    this.addSql('CREATE INDEX sessions_user_recent ON sessions (user_id, last_active DESC)');
  }
}
