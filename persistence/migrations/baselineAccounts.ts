/** The baseline's profile, social, Coliseum and operations tables (after baselineFeatures.ts). */
export const BASELINE_ACCOUNTS = [
  // `dna_profiles` holds `real[]`: pgvector is not installed here, so cosine runs in the process.
  `CREATE TABLE media_ids (
    user_id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    display_name text,
    email text,
    interests text[] NOT NULL DEFAULT '{}',
    genre_preferences text[] NOT NULL DEFAULT '{}',
    content_flags jsonb NOT NULL DEFAULT '{}',
    location_code text,
    privacy_settings jsonb NOT NULL DEFAULT '{"shareLocation": false, "allowMatching": true}',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,
  'CREATE UNIQUE INDEX media_ids_email ON media_ids (lower(email)) WHERE email IS NOT NULL',
  'CREATE INDEX media_ids_display_name ON media_ids (lower(display_name) text_pattern_ops) WHERE display_name IS NOT NULL',
  'CREATE INDEX media_ids_email_prefix ON media_ids (lower(email) text_pattern_ops) WHERE email IS NOT NULL',
  `CREATE TABLE dna_profiles (
    user_id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    dims smallint NOT NULL,
    cultural real[] NOT NULL,
    behavioral real[] NOT NULL,
    economic real[] NOT NULL,
    spatial real[] NOT NULL,
    ref_at timestamptz NOT NULL,
    signals bigint NOT NULL DEFAULT 0,
    through_id bigint NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,
  // DNA history: a copy of `dna_profiles` at each recompute and at most once per DNA_HISTORY_MIN_INTERVAL_SEC of
  // mirroring, bounded by DNA_HISTORY_MAX_PER_USER and DNA_HISTORY_RETENTION_DAYS.
  `CREATE TABLE dna_snapshots (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    taken_at timestamptz NOT NULL,
    trigger text NOT NULL CHECK (trigger IN ('recompute', 'mirroring')),
    dims smallint NOT NULL,
    cultural real[] NOT NULL,
    behavioral real[] NOT NULL,
    economic real[] NOT NULL,
    spatial real[] NOT NULL,
    ref_at timestamptz NOT NULL,
    signals bigint NOT NULL,
    through_id bigint NOT NULL
  )`,
  'CREATE INDEX dna_snapshots_user_time ON dna_snapshots (user_id, taken_at DESC, id DESC)',
  'CREATE INDEX dna_snapshots_time ON dna_snapshots (taken_at)',
  `CREATE TABLE coliseum_reports (
    id uuid PRIMARY KEY,
    report_type text NOT NULL CHECK (report_type IN ('artist', 'event', 'city', 'brand_campaign', 'tournament')),
    entity_id text NOT NULL,
    entity_name text NOT NULL,
    time_range text NOT NULL,
    start_date timestamptz NOT NULL,
    end_date timestamptz NOT NULL,
    report_data jsonb NOT NULL,
    format text NOT NULL DEFAULT 'json' CHECK (format = 'json'),
    generated_by text NOT NULL,
    share_token text UNIQUE,
    share_expires_at timestamptz,
    generation_ms integer NOT NULL,
    generated_at timestamptz NOT NULL DEFAULT now()
  )`,
  'CREATE INDEX coliseum_reports_entity ON coliseum_reports (report_type, entity_id, generated_at DESC)',
  // The ops panel's history, one row per process per minute, so a restart loses no chart.
  `CREATE TABLE ops_history (
    at timestamptz NOT NULL,
    process_id text NOT NULL,
    events_per_sec double precision,
    ccu integer NOT NULL,
    PRIMARY KEY (at, process_id)
  )`,
  // Durable leaderboard resets, so a Local store rebuilt from the rollups minus these stays reset.
  `CREATE TABLE leaderboard_resets (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    leaderboard text NOT NULL,
    reset_at timestamptz NOT NULL,
    entries integer NOT NULL,
    removed jsonb NOT NULL
  )`,
  'CREATE INDEX leaderboard_resets_reset_at_idx ON leaderboard_resets (reset_at DESC)',
  // Operator-defined leaderboards: definitions only; the scores stay on the counter board they name.
  `CREATE TABLE custom_leaderboards (
    id text PRIMARY KEY,
    title text NOT NULL,
    base text NOT NULL,
    time_window text NOT NULL,
    entity_ids text[] NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,
  // API statistics per route and minute/hour bucket, added to by every process's flush. `counts` is a latency
  // histogram (one slot per bound of systems/analytics/apiStats.ts), so percentiles work over any set of buckets.
  `CREATE TABLE api_request_stats (
    period text NOT NULL CHECK (period IN ('minute', 'hour')),
    bucket_start timestamptz NOT NULL,
    endpoint text NOT NULL,
    requests bigint NOT NULL,
    client_errors bigint NOT NULL,
    server_errors bigint NOT NULL,
    sum_ms double precision NOT NULL,
    counts bigint[] NOT NULL,
    PRIMARY KEY (period, bucket_start, endpoint)
  )`,
  // Session snapshots a lone process (no Redis) writes while draining, so it restores them when started again.
  `CREATE TABLE session_snapshots (
    session_id uuid PRIMARY KEY,
    body bytea NOT NULL,
    expires_at timestamptz NOT NULL
  )`,
  // Concierto events and one vote per user per event; the vote's passport event takes the vote's id, so a retried
  // vote is one event.
  `CREATE TABLE concierto_events (
    id text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_.:-]{1,64}$'),
    title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    starts_at timestamptz NOT NULL,
    ends_at timestamptz NOT NULL,
    status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_at > starts_at)
  )`,
  `CREATE TABLE concierto_event_options (
    event_id text NOT NULL REFERENCES concierto_events (id) ON DELETE CASCADE,
    option_id text NOT NULL CHECK (option_id ~ '^[A-Za-z0-9_.:-]{1,64}$'),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    PRIMARY KEY (event_id, option_id)
  )`,
  `CREATE TABLE event_votes (
    event_id text NOT NULL REFERENCES concierto_events (id) ON DELETE CASCADE,
    user_id uuid NOT NULL REFERENCES users (id),
    option_id text NOT NULL,
    weight integer NOT NULL CHECK (weight > 0),
    vote_id uuid NOT NULL UNIQUE,
    cast_at timestamptz NOT NULL,
    PRIMARY KEY (event_id, user_id),
    FOREIGN KEY (event_id, option_id) REFERENCES concierto_event_options (event_id, option_id)
  )`,
  // Votes held by a device before it signs up, keyed by the SHA-256 of its secret; linked to the user at sign-in
  // (`counted`, or `superseded` when the user had voted). `recorded_at` says the passport event committed, so a
  // crash in between is finished at the next sign-in.
  `CREATE TABLE held_votes (
    vote_id uuid PRIMARY KEY,
    secret_hash text NOT NULL CHECK (secret_hash ~ '^[0-9a-f]{64}$'),
    event_id text NOT NULL REFERENCES concierto_events (id) ON DELETE CASCADE,
    option_id text NOT NULL,
    weight integer NOT NULL CHECK (weight > 0),
    held_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    user_id uuid REFERENCES users (id) ON DELETE CASCADE,
    linked_at timestamptz,
    outcome text CHECK (outcome IN ('counted', 'superseded')),
    recorded_at timestamptz,
    UNIQUE (secret_hash, event_id),
    FOREIGN KEY (event_id, option_id) REFERENCES concierto_event_options (event_id, option_id),
    CHECK ((user_id IS NULL) = (outcome IS NULL))
  )`,
  `CREATE INDEX held_votes_unrecorded ON held_votes (user_id) WHERE outcome = 'counted' AND recorded_at IS NULL`,
  'CREATE INDEX held_votes_expiry ON held_votes (expires_at)',
  // Payment provider events from the signed webhook, one row per provider event id, so a redelivery records nothing
  // new. The revenue is the purchase's passport event, which the revenue rules count.
  `CREATE TABLE payment_events (
    event_id text PRIMARY KEY CHECK (char_length(event_id) BETWEEN 1 AND 255),
    event_type text NOT NULL,
    user_id uuid NOT NULL,
    amount_cents bigint NOT NULL CHECK (amount_cents > 0),
    currency text NOT NULL CHECK (currency ~ '^[a-z]{3}$'),
    passport_event_id uuid NOT NULL,
    payload jsonb NOT NULL,
    created_at timestamptz NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
  )`,
  'CREATE INDEX payment_events_user ON payment_events (user_id, received_at DESC)',
  // Shared constellations: a frozen snapshot per share, readable by its unguessable id until `expires_at`.
  `CREATE TABLE constellation_shares (
    id text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_-]{22,64}$'),
    user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    share_type text NOT NULL CHECK (share_type IN ('public_link', 'social_media', 'direct_user')),
    message text CHECK (char_length(message) <= 280),
    snapshot jsonb NOT NULL,
    star_count integer NOT NULL CHECK (star_count >= 0),
    views integer NOT NULL DEFAULT 0 CHECK (views >= 0),
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    last_viewed_at timestamptz
  )`,
  'CREATE INDEX constellation_shares_user ON constellation_shares (user_id, created_at DESC)',
  'CREATE INDEX constellation_shares_expiry ON constellation_shares (expires_at)',
  // The direct-share rate bound counts a sender's recent direct shares.
  `CREATE INDEX constellation_shares_direct ON constellation_shares (user_id, created_at) WHERE share_type = 'direct_user'`,
  // The per-user inbox, with the told text; settings hold opt-outs and the top recommendation last told (never told
  // twice); the push outbox is claimed by workers (SKIP LOCKED) with backoff.
  `CREATE TABLE notifications (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    type text NOT NULL CHECK (type IN ('constellation_share', 'top_recommendation', 'friend_request', 'ride_invite')),
    from_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
    share_id text REFERENCES constellation_shares(id) ON DELETE CASCADE,
    message text CHECK (char_length(message) <= 280),
    created_at timestamptz NOT NULL,
    read_at timestamptz,
    title text CHECK (char_length(title) <= 200),
    body text CHECK (char_length(body) <= 400),
    deep_link text CHECK (char_length(deep_link) <= 300),
    artist_id text CHECK (char_length(artist_id) <= 200)
  )`,
  'CREATE INDEX notifications_user ON notifications (user_id, id DESC)',
  'CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL',
  // The per-recipient bound counts a user's recent entries.
  'CREATE INDEX notifications_recent ON notifications (user_id, created_at)',
  `CREATE TABLE notification_settings (
    user_id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    shares_in_app boolean NOT NULL DEFAULT true,
    shares_push boolean NOT NULL DEFAULT true,
    recommendations_in_app boolean NOT NULL DEFAULT true,
    recommendations_push boolean NOT NULL DEFAULT true,
    last_top_artist_id text,
    last_top_at timestamptz,
    updated_at timestamptz NOT NULL
  )`,
  `CREATE TABLE push_devices (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN ('apns', 'webpush')),
    address text NOT NULL CHECK (char_length(address) BETWEEN 1 AND 2048),
    p256dh text CHECK (char_length(p256dh) <= 200),
    auth text CHECK (char_length(auth) <= 100),
    created_at timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    CHECK ((kind = 'webpush') = (p256dh IS NOT NULL AND auth IS NOT NULL))
  )`,
  // A device token or subscription belongs to one user: registering it again (another sign-in) moves it.
  'CREATE UNIQUE INDEX push_devices_address ON push_devices (kind, address)',
  'CREATE INDEX push_devices_user ON push_devices (user_id)',
  `CREATE TABLE push_outbox (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    device_id bigint NOT NULL REFERENCES push_devices(id) ON DELETE CASCADE,
    notification_id bigint REFERENCES notifications(id) ON DELETE SET NULL,
    type text NOT NULL,
    title text NOT NULL,
    body text,
    deep_link text,
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'failed')),
    attempts integer NOT NULL DEFAULT 0,
    due_at timestamptz NOT NULL,
    leased_until timestamptz,
    last_error text,
    created_at timestamptz NOT NULL
  )`,
  `CREATE INDEX push_outbox_due ON push_outbox (due_at) WHERE status = 'pending'`,
  `CREATE INDEX push_outbox_failed ON push_outbox (created_at) WHERE status = 'failed'`,
  // Share links and opens, and the members behind unique counts. An open is a 16-byte keyed hash of address and
  // browser under the day's random key (never the address); both go after two days, and with the key gone no hash
  // can be recomputed.
  `CREATE TABLE share_links (
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
  )`,
  'CREATE INDEX share_links_user ON share_links (user_id, created_at DESC)',
  `CREATE TABLE share_link_opens (
    link_id text NOT NULL REFERENCES share_links (id) ON DELETE CASCADE,
    day date NOT NULL,
    visitor bytea NOT NULL CHECK (length(visitor) = 16),
    PRIMARY KEY (link_id, day, visitor)
  )`,
  'CREATE INDEX share_link_opens_day ON share_link_opens (day)',
  `CREATE TABLE share_link_keys (
    day date PRIMARY KEY,
    key bytea NOT NULL CHECK (length(key) = 32)
  )`,
  `CREATE TABLE coliseum_members (
    entity_type text NOT NULL,
    entity_id text NOT NULL,
    metric text NOT NULL,
    period text NOT NULL CHECK (period IN ('day', 'week', 'month', 'all')),
    bucket_start timestamptz NOT NULL,
    user_id uuid NOT NULL,
    PRIMARY KEY (entity_type, entity_id, metric, period, bucket_start, user_id)
  )`,
  `CREATE INDEX coliseum_members_closed ON coliseum_members (bucket_start) WHERE period <> 'all'`,
  // Treasury money rollups by owner (features/analytics/treasury.ts repeats its type list, which the planner needs).
  `CREATE INDEX coliseum_metrics_money ON coliseum_metrics ((split_part(entity_id, '>', 2)), entity_type, period, bucket_start)
    WHERE entity_type IN ('artist_revenue', 'event_revenue', 'user_spent', 'user_earned', 'artist_earned', 'event_earned')`,
  // The friend graph, one row per direction: accepted is `friends` both ways (one key read answers "are they
  // friends"); a block is A→B `blocked` and removes B's rows towards A.
  `CREATE TABLE friends (
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    other_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    state text NOT NULL CHECK (state IN ('requested', 'friends', 'blocked')),
    at timestamptz NOT NULL,
    PRIMARY KEY (user_id, other_id),
    CHECK (user_id <> other_id)
  )`,
  "CREATE INDEX friends_incoming ON friends (other_id) WHERE state = 'requested'",
];
