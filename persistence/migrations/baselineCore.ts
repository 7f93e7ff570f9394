/**
 * The schema Migration036Baseline creates, in dependency order: catalog, users, devices and the passport. Comments
 * keep the reasons the squashed migrations gave; later changes are migrations of their own.
 */
export const BASELINE_CORE = [
  'CREATE EXTENSION IF NOT EXISTS pg_trgm',
  // An IMMUTABLE wrapper of array_to_string (itself only STABLE), so `genres` can be indexed and the search's
  // call of it matches the index.
  `CREATE FUNCTION artist_genre_text(text[]) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT array_to_string($1, ', ') $$`,
  `CREATE TABLE scenes (
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
  )`,
  // `bio_trigrams`: a bio with more than trigrams(q) / 0.3 distinct trigrams can never pass the search threshold, so
  // the search skips it without extracting its trigrams (a trigram index on the bio handed short queries thousands
  // of such candidates). `created_at` is null for artists that predate it (never "new").
  `CREATE TABLE artists (
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
    scene_id text NOT NULL REFERENCES scenes(id),
    popularity_score double precision NOT NULL DEFAULT 0,
    popularity_updated_at timestamptz,
    influence_graph_updated_at timestamptz,
    total_influences integer NOT NULL DEFAULT 0,
    bio_trigrams integer NOT NULL GENERATED ALWAYS AS (coalesce(array_length(show_trgm(bio), 1), 0)) STORED,
    created_at timestamptz DEFAULT now()
  )`,
  // No pending lists: catalog writes are rare, and a bulk load left in one is scanned linearly by every search.
  'CREATE INDEX artists_name_trgm ON artists USING gin (name gin_trgm_ops) WITH (fastupdate = off)',
  'CREATE INDEX artists_genre_text_trgm ON artists USING gin (artist_genre_text(genres) gin_trgm_ops) WITH (fastupdate = off)',
  'CREATE INDEX artists_genres_gin ON artists USING gin (genres)',
  'CREATE INDEX artists_bio_trigrams ON artists (bio_trigrams)',
  'CREATE INDEX artists_popularity ON artists (popularity_score DESC, id)',
  'CREATE INDEX artists_created_at ON artists (created_at) WHERE created_at IS NOT NULL',
  // Which artists the influence builder visits next.
  'CREATE INDEX artists_influence_due ON artists (influence_graph_updated_at NULLS FIRST, popularity_score DESC)',
  `CREATE TABLE influence_orbs (
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
    source_count integer NOT NULL DEFAULT 1,
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (source_artist_id, target_artist_id)
  )`,
  'CREATE INDEX influence_orbs_source ON influence_orbs (source_artist_id, orbit_radius)',
  'CREATE INDEX influence_orbs_target ON influence_orbs (target_artist_id)',
  // One row per catalog change; the station cache keys on it so a change invalidates every process.
  `CREATE TABLE catalog_meta (key text PRIMARY KEY, value text NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())`,
  `CREATE TABLE users (
    id uuid PRIMARY KEY,
    device_id text NOT NULL UNIQUE,
    first_launch boolean NOT NULL DEFAULT true,
    city text,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    total_session_seconds double precision NOT NULL DEFAULT 0,
    avg_orb_exploration double precision NOT NULL DEFAULT 0,
    session_count integer NOT NULL DEFAULT 0,
    seen_parallax_tip boolean NOT NULL DEFAULT false
  )`,
  'CREATE INDEX users_created_at ON users (created_at)',
  'CREATE INDEX users_last_seen ON users (last_seen_at DESC, id DESC)',
  `CREATE TABLE sessions (
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
    sensor_engagement_count integer NOT NULL DEFAULT 0,
    sensor_seconds double precision NOT NULL DEFAULT 0,
    resume_count integer NOT NULL DEFAULT 0,
    offline_seconds integer NOT NULL DEFAULT 0,
    last_synced_at timestamptz
  )`,
  'CREATE INDEX sessions_user_recent ON sessions (user_id, last_active DESC)',
  // The aggregation reads sessions active lately; the cleanup closes those idle for a day.
  'CREATE INDEX sessions_last_active ON sessions (last_active)',
  'CREATE INDEX sessions_started_at ON sessions (started_at)',
  // Only SHA-256 hashes of device secrets and refresh tokens are stored (32+ random bytes: a fast hash is enough).
  // A device's token generation: tokens of an older one are refused, so a reused refresh token (a theft signal)
  // stops the device's tokens and live sessions at once.
  `CREATE TABLE devices (
    id uuid PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    secret_hash text NOT NULL CONSTRAINT devices_secret_hash_key UNIQUE,
    device_model text,
    created_at timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    token_generation integer NOT NULL DEFAULT 0
  )`,
  'CREATE INDEX devices_user ON devices (user_id)',
  'CREATE INDEX devices_model_lower ON devices (lower(device_model) text_pattern_ops)',
  `CREATE TABLE refresh_tokens (
    token_hash text PRIMARY KEY,
    device_id uuid NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
    user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    -- set when the token is used (rotated) or its device's tokens are revoked; a used token presented again is a theft signal
    revoked_at timestamptz
  )`,
  'CREATE INDEX refresh_tokens_device ON refresh_tokens (device_id)',
  // The passport logs what clients said: no foreign keys (a user deleted later must not invalidate old rows).
  // Partitioned by month of `received_at`, so retention drops whole months; rows left uncovered land in the
  // default partition. Idempotency lives in `passport_event_ids` (a partitioned unique index must include the key,
  // and a retry received in another month would be stored twice).
  // The suffixed sequence and check names are those of databases whose passport was repartitioned in place.
  `CREATE TABLE passport_entries (
    id bigint GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME passport_entries_id_seq1),
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
    source text NOT NULL CONSTRAINT passport_entries_source_check1 CHECK (source IN ('room', 'http', 'gravity', 'offline_sync')),
    CONSTRAINT passport_entries_pkey PRIMARY KEY (id, received_at)
  ) PARTITION BY RANGE (received_at)`,
  'CREATE TABLE passport_entries_default PARTITION OF passport_entries DEFAULT',
  // This month to three months ahead; the partitions job keeps extending it.
  `DO $$
    DECLARE m date := date_trunc('month', now() AT TIME ZONE 'UTC')::date;
    DECLARE last date := (m + interval '3 months')::date;
    BEGIN
      WHILE m <= last LOOP
        EXECUTE format('CREATE TABLE %I PARTITION OF passport_entries FOR VALUES FROM (%L) TO (%L)',
          'passport_entries_y' || to_char(m, 'YYYY') || 'm' || to_char(m, 'MM'), m::timestamp AT TIME ZONE 'UTC', (m + interval '1 month')::timestamp AT TIME ZONE 'UTC');
        m := (m + interval '1 month')::date;
      END LOOP;
    END $$`,
  'CREATE INDEX passport_entries_user_time ON passport_entries (user_id, occurred_at DESC)',
  'CREATE INDEX passport_entries_type_time ON passport_entries (event_type, occurred_at)',
  'CREATE INDEX passport_entries_received_brin ON passport_entries USING brin (received_at)',
  // Coliseum reports read only their artist's or event's rows.
  `CREATE INDEX passport_entries_artist_time ON passport_entries ((payload->>'artistId'), occurred_at) WHERE (payload->>'artistId') IS NOT NULL`,
  `CREATE INDEX passport_entries_event_time ON passport_entries ((payload->>'eventId'), occurred_at) WHERE (payload->>'eventId') IS NOT NULL`,
  // Each claimed event id remembers the writer batch ("flight") that claimed it: a batch retried after an ambiguous
  // failure finds its own earlier claims stored (so live boards still hear of them), while another batch's stay duplicates.
  `CREATE TABLE passport_event_ids (
    event_id uuid PRIMARY KEY,
    received_at timestamptz NOT NULL,
    flight_id uuid
  )`,
  'CREATE INDEX passport_event_ids_received_brin ON passport_event_ids USING brin (received_at)',
  // Rows deleted (or truncated) release their event ids, so a replay of a deleted event is stored again.
  `CREATE FUNCTION passport_release_event_ids() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN DELETE FROM passport_event_ids d USING released r WHERE d.event_id = r.event_id; RETURN NULL; END $$`,
  `CREATE TRIGGER passport_entries_release_ids AFTER DELETE ON passport_entries
    REFERENCING OLD TABLE AS released FOR EACH STATEMENT EXECUTE FUNCTION passport_release_event_ids()`,
  `CREATE FUNCTION passport_release_all_event_ids() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN TRUNCATE passport_event_ids; RETURN NULL; END $$`,
  'CREATE TRIGGER passport_entries_release_all AFTER TRUNCATE ON passport_entries FOR EACH STATEMENT EXECUTE FUNCTION passport_release_all_event_ids()',
  // Append-only: events are corrected by appending; retention drops whole monthly partitions.
  `CREATE FUNCTION passport_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- Retention's one exception: it moves rows the default partition caught into their month's new partition
        -- and expires old ones there, inside a transaction that says so (PassportPartitions, SET LOCAL).
        IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'passport_entries_default' AND current_setting('passport.retention', true) = 'on' THEN
          RETURN OLD;
        END IF;
        RAISE EXCEPTION 'passport_entries is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege',
          HINT = 'events are corrected by appending new events; retention drops whole monthly partitions';
      END $$`,
  `CREATE TRIGGER passport_entries_append_only BEFORE UPDATE OR DELETE ON passport_entries
    FOR EACH ROW EXECUTE FUNCTION passport_refuse_change()`,
  // Events that Postgres refused even alone (a data error the validators missed): kept, never dropped.
  `CREATE TABLE passport_dead_letters (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id text,
    event_json text NOT NULL,
    error text NOT NULL,
    failed_at timestamptz NOT NULL DEFAULT now()
  )`,
  // A capture's passport events, written in the star's statement and handed to the passport writer after the
  // commit. A row leaves once its id is claimed or dead-lettered; one older than PASSPORT_OUTBOX_AGE_MS (its process
  // died) is leased again by an outbox drainer (`leased_at` restarts its age).
  `CREATE TABLE passport_outbox (
    event_id uuid PRIMARY KEY,
    event jsonb NOT NULL,
    leased_at timestamptz NOT NULL DEFAULT now()
  )`,
  'CREATE INDEX passport_outbox_leased ON passport_outbox (leased_at)',
];
