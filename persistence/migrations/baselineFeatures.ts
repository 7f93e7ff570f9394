/** The baseline's feature tables (after the catalog, users and the passport of baselineSchema.ts). */
export const BASELINE_FEATURES = [
  `CREATE TABLE constellation_stars (
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
  )`,
  'CREATE INDEX constellation_stars_user_time ON constellation_stars (user_id, captured_at, id)',
  // Users sharing a star with a user are found by artist.
  'CREATE INDEX constellation_stars_artist_user ON constellation_stars (artist_id, user_id)',
  'CREATE INDEX constellation_stars_artist ON constellation_stars (artist_id, user_id)',
  // The admin dashboard counts stars captured in a range (live or offline-synced).
  'CREATE INDEX constellation_stars_captured_at ON constellation_stars (captured_at, user_id)',
  `CREATE TABLE constellation_connections (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    from_artist_id text NOT NULL,
    to_artist_id text NOT NULL,
    strength double precision NOT NULL CHECK (strength >= 0 AND strength <= 1),
    connection_type text NOT NULL CHECK (connection_type IN ('discovery_path', 'genre_similarity')),
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT constellation_connections_unique UNIQUE (user_id, from_artist_id, to_artist_id, connection_type)
  )`,
  // One connection line per pair of stars, whichever direction came first.
  `CREATE UNIQUE INDEX constellation_connections_pair
    ON constellation_connections (user_id, least(from_artist_id, to_artist_id), greatest(from_artist_id, to_artist_id))`,
  `CREATE TABLE user_badges (
    user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    badge text NOT NULL,
    earned_at timestamptz NOT NULL,
    PRIMARY KEY (user_id, badge)
  )`,
  `CREATE TABLE processor_cursors (
    name text PRIMARY KEY,
    last_id bigint NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE TABLE coliseum_metrics (
    entity_type text NOT NULL,
    entity_id text NOT NULL,
    metric text NOT NULL,
    period text NOT NULL CHECK (period IN ('hour', 'day', 'week', 'month', 'all')),
    bucket_start timestamptz NOT NULL,
    value bigint NOT NULL,
    PRIMARY KEY (entity_type, entity_id, metric, period, bucket_start)
  )`,
  // Leaderboard reads: top entities of one metric in one bucket.
  'CREATE INDEX coliseum_metrics_board ON coliseum_metrics (entity_type, metric, period, bucket_start, value DESC)',
  // Keyed by (user, op) rather than op alone: op ids are client-generated, so one user's ids must not be able to
  // shadow another's.
  `CREATE TABLE offline_operations (
    user_id uuid NOT NULL,
    op_id text NOT NULL,
    op_type text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(),
    result jsonb NOT NULL DEFAULT '{}',
    PRIMARY KEY (user_id, op_id)
  )`,
  // Gravity: track ids are text (passport events may carry any id). `gravity_edges` has no index on the weight and
  // fillfactor 80, so the builder's constant rewrites are HOT (42k → 73k events/s).
  `CREATE TABLE tracks (
    id text PRIMARY KEY,
    artist_id text REFERENCES artists(id) ON DELETE SET NULL,
    title text NOT NULL DEFAULT '',
    duration_ms integer,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  'CREATE INDEX tracks_artist ON tracks (artist_id)',
  `CREATE TABLE gravity_edges (
    from_track text NOT NULL,
    to_track text NOT NULL,
    weight double precision NOT NULL,
    transitions integer NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (from_track, to_track)
  ) WITH (fillfactor = 80)`,
  `CREATE TABLE gravity_sessions (
    session_id text PRIMARY KEY,
    current_track text NOT NULL,
    from_track text,
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,
  'CREATE INDEX gravity_sessions_updated ON gravity_sessions (updated_at)',
  // `job_logs (job_name, scheduled_for)` is unique: of processes firing one slot, only the one whose insert lands
  // runs it. `session_metrics` remembers what a session added to its user's profile, so a re-aggregation corrects,
  // never re-adds.
  `CREATE TABLE job_logs (
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
  )`,
  'CREATE UNIQUE INDEX job_logs_slot ON job_logs (job_name, scheduled_for)',
  'CREATE INDEX job_logs_recent ON job_logs (job_name, started_at DESC)',
  `CREATE TABLE session_metrics (
    session_id uuid PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
    user_id uuid NOT NULL,
    duration_seconds double precision NOT NULL,
    interactions_per_minute double precision NOT NULL,
    orbs_per_interaction double precision NOT NULL,
    sensor_engagement_rate double precision NOT NULL,
    session_quality text NOT NULL CHECK (session_quality IN ('high_curiosity', 'medium_curiosity', 'low_curiosity')),
    immersion_level text NOT NULL CHECK (immersion_level IN ('high', 'medium', 'low')),
    processed_at timestamptz NOT NULL
  )`,
  `CREATE TABLE metric_snapshots (key text PRIMARY KEY, value jsonb NOT NULL, computed_at timestamptz NOT NULL)`,
  `CREATE TABLE content_alerts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    alert_type text NOT NULL,
    artist_id text NOT NULL REFERENCES artists(id) ON DELETE CASCADE,
    metric text NOT NULL,
    value double precision NOT NULL,
    day date NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT content_alerts_once_a_day UNIQUE (alert_type, artist_id, metric, day)
  )`,
  `CREATE TABLE artist_assets (
    artist_id text PRIMARY KEY REFERENCES artists(id) ON DELETE CASCADE,
    status text NOT NULL CHECK (status IN ('processing', 'ready', 'failed')),
    color_palette jsonb NOT NULL DEFAULT '[]',
    orb_glow_color text,
    original_width integer,
    original_height integer,
    background_removal text NOT NULL DEFAULT 'none',
    error text,
    processed_at timestamptz NOT NULL DEFAULT now(),
    confidence real,
    rim_light boolean NOT NULL DEFAULT false
  )`,
  `CREATE TABLE artist_images (
    artist_id text NOT NULL REFERENCES artists(id) ON DELETE CASCADE,
    variant text NOT NULL,
    content_type text NOT NULL,
    width integer NOT NULL,
    height integer NOT NULL,
    bytes bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (artist_id, variant)
  )`,
  // The manual review queue: an unsure cut-out waits with its variants until approved (it goes live) or rejected
  // (variants dropped; previews stay as the record).
  `CREATE TABLE asset_reviews (
    id bigserial PRIMARY KEY,
    artist_id text NOT NULL REFERENCES artists(id) ON DELETE CASCADE,
    status text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    confidence real NOT NULL CHECK (confidence BETWEEN 0 AND 1),
    reason text NOT NULL,
    record jsonb NOT NULL,
    before_png bytea NOT NULL,
    after_png bytea NOT NULL,
    created_at timestamptz NOT NULL,
    decided_at timestamptz,
    note text CHECK (char_length(note) <= 500)
  )`,
  `CREATE INDEX asset_reviews_pending ON asset_reviews (created_at) WHERE status = 'pending'`,
  `CREATE INDEX asset_reviews_recent ON asset_reviews (created_at DESC)`,
  `CREATE TABLE asset_review_images (
    review_id bigint NOT NULL REFERENCES asset_reviews(id) ON DELETE CASCADE,
    variant text NOT NULL,
    content_type text NOT NULL,
    width integer NOT NULL,
    height integer NOT NULL,
    bytes bytea NOT NULL,
    PRIMARY KEY (review_id, variant)
  )`,
  // The completion webhook as a durable outbox with exponential backoff; any process may deliver (SKIP LOCKED).
  `CREATE TABLE asset_webhooks (
    id bigserial PRIMARY KEY,
    event text NOT NULL,
    artist_id text NOT NULL,
    body text NOT NULL,
    status text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed', 'dropped')),
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    last_error text,
    created_at timestamptz NOT NULL,
    delivered_at timestamptz
  )`,
  `CREATE INDEX asset_webhooks_due ON asset_webhooks (next_attempt_at) WHERE status = 'pending'`,
  `CREATE TABLE user_recommendations (
    user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    artist_id text NOT NULL REFERENCES artists(id) ON DELETE CASCADE,
    score double precision NOT NULL,
    reason text NOT NULL,
    first_recommended_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (user_id, artist_id)
  )`,
  'CREATE INDEX user_recommendations_new ON user_recommendations (user_id, first_recommended_at)',
  // Relations imported from provider exports, one row per (provider, artist, related name).
  `CREATE TABLE influence_imports (
    provider text NOT NULL CHECK (provider IN ('musicbrainz', 'lastfm')),
    artist_key text NOT NULL,
    artist_name text NOT NULL,
    external_id text,
    target_name text NOT NULL,
    confidence double precision NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
    imported_at timestamptz NOT NULL,
    PRIMARY KEY (provider, artist_key, target_name)
  )`,
];
