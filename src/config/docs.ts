/**
 * What each configuration variable means, by feature. The type, default and range of each are declared
 * where it is read (src/config/*.ts); docs/CONFIG.md is generated from both (`npm run codegen`), and a
 * test fails when a variable is read without an entry here or described here without being read.
 */

export interface ConfigDoc {
  group: string;
  doc: string;
  /** The default in words, where it is computed from other variables. */
  default?: string;
}

export const CONFIG_DOCS: Record<string, ConfigDoc> = {
  SIM_HZ: {
    group: 'session',
    doc: 'room simulation and patch rates (`PATCH_HZ` must divide `SIM_HZ`: patches go out every whole number of steps; a step with no change sends nothing)',
  },
  PATCH_HZ: {
    group: 'session',
    doc: 'room simulation and patch rates (`PATCH_HZ` must divide `SIM_HZ`: patches go out every whole number of steps; a step with no change sends nothing)',
    default: 'SIM_HZ',
  },
  TICK_PHASES: {
    group: 'session',
    doc: 'one shared timer steps every session room; rooms are spread over this many slots so the work comes in small slices (`SIM_HZ × TICK_PHASES` ≤ 1000)',
  },
  PASSPORT_FLUSH_MS: {
    group: 'passport',
    doc: 'passport writer bound and batching; when the queue is full new events are refused (`BACKPRESSURE`: HTTP 503 + Retry-After, room input answered with an `error`)',
  },
  CLIENT_MESSAGE_RATE: {
    group: 'session',
    doc: 'messages per second per client (any type, both rooms) before `RATE_LIMITED`; one such reply and one log line per client per `CLIENT_NOTICE_INTERVAL_MS` (1000), the rest dropped silently',
  },
  CLIENT_DISCONNECT_RATE: {
    group: 'session',
    doc: 'messages per second after which the client is disconnected (a flood)',
    default: 'max(200, 4 × CLIENT_MESSAGE_RATE)',
  },
  REDIS_PING_INTERVAL_MS: {
    group: 'server',
    doc: 'with REDIS_URL, each process pings its Redis this often (no second ping while one is out), so a partition that raises no error (packets dropped, commands waiting) is noticed',
  },
  REDIS_PING_TRIP_MS: {
    group: 'server',
    doc: 'a ping unanswered this long marks Redis down: `/health/ready` answers 503, matchmaking and sign-ins answer 503 `REDIS_UNAVAILABLE` at once (the nginx entry passes them to another process), and those already waiting on Redis are answered so too; the next answer clears it',
  },
  REDIS_PING_STUCK_MS: {
    group: 'server',
    doc: 'a ping out this long is given up on and another sent (its connection may have been replaced under it); above `REDIS_PING_TRIP_MS`',
  },
  READY_PROBE_TIMEOUT_MS: {
    group: 'server',
    doc: "`/health` and `/health/ready` wait this long for the database's `SELECT 1` before reporting it down (503); Redis is reported as the pings above last found it",
  },
  SESSION_SNAPSHOT_TTL_SEC: {
    group: 'handoff',
    doc: "how long a session's snapshot (dial, station, camera, tallies, last input applied) is kept after its last change: a session whose process went away can be restored this long (Redis TTL; without Redis, in memory and, for a drain, in Postgres)",
  },
  RESUME_CREDENTIAL_TTL_SEC: {
    group: 'handoff',
    doc: 'life of a resume credential (`welcome.resume`, `resumed.resume`, `moving.resume`); past it the client joins with `lastSessionId` and gets its session back from its row, without the live state',
  },
  RESUME_CONCURRENCY: {
    group: 'handoff',
    doc: 'sessions a process restores at once when clients resume (after a drain or a crash elsewhere); the rest wait in a queue of `RESUME_QUEUE_MAX`',
  },
  RESUME_QUEUE_MAX: {
    group: 'handoff',
    doc: 'resumes waiting per process; past it the join is refused `RESUME_BUSY` (HTTP 503 / close 4503) with `retryAfterMs`, which the clients honour',
  },
  HANDOFF_SPREAD_PER_SESSION_MS: {
    group: 'handoff',
    doc: 'a draining process tells each client to wait a random delay before joining again, spread over this much per session moving at once, up to `HANDOFF_SPREAD_MAX_MS`: the sessions that go together arrive as a ramp, not a burst',
  },
  HANDOFF_MOVES_IN_FLIGHT: {
    group: 'handoff',
    doc: "with Redis, a draining process keeps each session live until it has a place: at most this many are between their `moving` and their `resumed` elsewhere (the receiving process reports each arrival), so a listener waits for one resume, not for the whole deploy's wave. 0 moves every session at once. Past half of `SHUTDOWN_TIMEOUT_MS` every session still waiting goes at once",
  },
  HANDOFF_ARRIVAL_WAIT_MS: {
    group: 'handoff',
    doc: 'a moved session not reported resumed within this frees its place for the next; if no arrival at all was reported by then (a lone process, older processes), the drain stops pacing and moves the rest at once',
  },
  HANDOFF_SPREAD_MAX_MS: { group: 'handoff', doc: 'the longest a drained client is told to wait before joining again (see `HANDOFF_SPREAD_PER_SESSION_MS`)' },
  REDIS_URL: {
    group: 'server',
    doc: 'with it: Redis presence + driver (several processes share rooms), Redis station cache',
    default: 'unset: one process, nothing shared',
  },
  LEADERBOARD_FLUSH_MS: {
    group: 'leaderboard',
    doc: 'least time between two leaderboard feeder flushes (5–10000); pending increments are merged per (event hour, leaderboard, entity) meanwhile, at most 50,000 keys (beyond: increments to new keys are dropped and counted; the rollups still have them). The first increment after a quiet spell is flushed within 50 ms. With Redis a flush costs one ZINCRBY per key and bucket (hour, day, all-time) in one pipelined round trip, so a longer interval means fewer commands per event and more spectator lag: 1000 ms sent 2.4× fewer ZINCRBY than 250 ms at 1,000 sessions, for a spectator lag p95 of 955 ms instead of 251 ms (docs/benchmarks-archive.md, "Redis commands of the leaderboard path")',
    default: '25, or 250 with REDIS_URL',
  },
  PORT: { group: 'server', doc: 'HTTP + WebSocket port' },
  HOST: { group: 'server', doc: 'Interface the HTTP and WebSocket server binds.' },
  TRANSPORT: { group: 'server', doc: '`uws` (uWebSockets.js) or `ws` (pure JS). `uws` falls back to `ws` with a warning when the native binary cannot load' },
  DATABASE_URL: {
    group: 'server',
    doc: 'Postgres URL; unset = embedded PostgreSQL in `EMBEDDED_PG_DIR` (`.data/postgres`) on `EMBEDDED_PG_PORT` (54329)',
    default: 'unset: an embedded PostgreSQL in EMBEDDED_PG_DIR on EMBEDDED_PG_PORT',
  },
  DATABASE_PASSWORD: {
    group: 'server',
    doc: 'The Postgres password, kept out of `DATABASE_URL` (which then names no password): any character works, it is percent-encoded into the URL at boot (docker-compose.yml passes POSTGRES_PASSWORD this way). Requires `DATABASE_URL` with a user and no password',
    default: 'unset: the password, if any, is in DATABASE_URL',
  },
  EMBEDDED_PG_DIR: { group: 'server', doc: 'Where the embedded PostgreSQL keeps its data when DATABASE_URL is unset (kept across restarts).' },
  EMBEDDED_PG_PORT: { group: 'server', doc: 'Port of the embedded PostgreSQL when DATABASE_URL is unset.' },
  REDIS_PREFIX: {
    group: 'server',
    doc: 'Prefix of every Redis key and channel of ours, and the coliseum matchmaking namespace: processes with another prefix never share rooms or boards.',
  },
  PUBLIC_ADDRESS: { group: 'server', doc: "this process's public `host:port`; required per process when several share Redis", default: 'unset' },
  ADMIN_TOKEN: {
    group: 'ops',
    doc: '≥ 16 chars; guards admin and monitor surfaces (they are off without it); also a service token for ingest on behalf of any user',
    default: 'unset: admin surfaces off',
  },
  ADMIN_TOKEN_FILE: {
    group: 'ops',
    doc: "with ADMIN_TOKEN unset: the admin token kept in this file (mode 0600), generated on first boot; the log names the file, never the token. `npm start` sets `.data/admin-token`, so /ops works on a laptop: sign in with the file's content",
    default: 'unset (npm start: .data/admin-token)',
  },
  LOG_LEVEL: { group: 'server', doc: 'pino level' },
  PATCH_ON_INPUT: {
    group: 'session',
    doc: "send a session's patch right after each client input instead of at the next patch step (p99 swipe → patch ≈ network time instead of up to 50 ms)",
  },
  SCHEMA_BUFFER_BYTES: {
    group: 'session',
    doc: "the size of each room's two state-encoding buffers (@colyseus/schema's `Encoder.BUFFER_SIZE`, 16 KB upstream). A session's full state is under 2 KB (8 orbs), so 4 KB holds it with room to spare; a room whose state is larger must size its own (the coliseum room does, from its boards and rows): the serializer does not keep a full-state buffer the encoder grew, so a too-small one is grown again, with a warning, on every join. Memory per idle session: BENCHMARKS.md \"Memory per session\"",
  },
  PATCH_BASELINE: {
    group: 'session',
    doc: '`json`: session rooms also broadcast their whole state as JSON every patch step — the naive baseline the load test compares patch bytes with; never in production',
  },
  ROOM_PLACEMENT: {
    group: 'server',
    doc: "with `REDIS_URL`: which process creates a new room. `local`: the process that took the matchmaking request, unless it holds more than 10 % + 50 rooms over the least-loaded process (then that one); a join then needs no round trip through Redis to another process. `least_rooms`: Colyseus' rule, always the process with the fewest rooms (about half the joins of two processes cross to the other one). Room counts are read at most once a second (`systems/placement.ts`)",
  },
  ROOMS_ENABLED: {
    group: 'server',
    doc: '`false`: this process hosts no rooms; it runs the scheduled jobs (with `JOBS_ENABLED`), the HTTP API, admin, ops and metrics. Room placement never chooses it: only processes that announce themselves as room hosts on Redis are candidates. A matchmaking request it gets is created on a room process (HTTP 503 `NO_ROOM_PROCESS` when none is up). Needs `REDIS_URL` (alone, a process without rooms makes no sense: boot fails). See OPERATIONS.md "A jobs process"',
  },
  RECONNECT_WINDOW_SEC: { group: 'session', doc: 'how long a dropped session client may reconnect' },
  DB_PREPARED_STATEMENTS: {
    group: 'server',
    doc: 'hand-written SQL (the hot paths of `persistence/db.ts`) runs as named prepared statements, parsed and planned once per connection, with its values as parameters: less server and Postgres CPU per statement (docs/benchmarks-archive.md "Micro-benchmarks: prepared statements and promise hooks"). At most this many distinct statements per connection; 0 = every statement inlined into its text, as through the ORM (e.g. behind PgBouncer in transaction mode before 1.21, which cannot keep prepared statements)',
  },
  PASSPORT_MAX_QUEUE: {
    group: 'passport',
    doc: 'passport writer bound and batching; when the queue is full new events are refused (`BACKPRESSURE`: HTTP 503 + Retry-After, room input answered with an `error`)',
  },
  PASSPORT_BATCH_SIZE: {
    group: 'passport',
    doc: 'passport writer bound and batching; when the queue is full new events are refused (`BACKPRESSURE`: HTTP 503 + Retry-After, room input answered with an `error`)',
  },
  PASSPORT_RETRY_BASE_MS: {
    group: 'passport',
    doc: 'First delay before a failed passport flush is retried; it doubles per failure up to PASSPORT_MAX_RETRY_MS.',
  },
  PASSPORT_MAX_RETRY_MS: { group: 'passport', doc: 'Longest delay between two retries of a failed passport flush.' },
  PASSPORT_MAX_LAG_MS: {
    group: 'passport',
    doc: 'once the oldest queued event has waited this long (Postgres slow or down), new events are refused the same way; bounds what a crash can lose (below)',
    default: '10 × PASSPORT_FLUSH_MS',
  },
  PASSPORT_ACK_TIMEOUT_MS: {
    group: 'passport',
    doc: 'an ingest request waits this long for its commit, then answers 503 `NOT_PERSISTED` (retry with the same eventIds)',
  },
  PASSPORT_FLUSH_CONCURRENCY: {
    group: 'passport',
    doc: 'passport batches written at once (binary COPY, one Postgres connection each, 1–16); the queued events stay bounded by `PASSPORT_MAX_QUEUE`, in-flight ones included; ids still follow the queue order within a process and commit in id order across processes',
  },
  PASSPORT_COPY_MIN_EVENTS: {
    group: 'passport',
    doc: 'a batch with fewer events is written as one statement (rows as a JSON parameter: lock, id claims, insert) instead of the binary COPY\'s four round trips: at a live server\'s batch sizes (tens to a few hundred events per `PASSPORT_FLUSH_MS`) that costs the server 1.4–4× less CPU per flush; larger batches (a backlog, bulk ingest) take the COPY, which holds the insert lock shorter (0 = always COPY; BENCHMARKS.md "Passport flush cost")',
  },
  COLISEUM_THROTTLE_MS: {
    group: 'leaderboard',
    doc: 'least time between two coliseum board updates (20–60000). Updates follow writes: a feeder flush here, or with `REDIS_URL` in any process (Redis pub/sub on `<REDIS_PREFIX>lb:changed`, one PUBLISH per flush), schedules one; a busy coliseum gets at most 1000 / this updates a second, each one frame per spectator (the CPU cost: one socket write per spectator per update)',
  },
  COLISEUM_COALESCE_MS: {
    group: 'leaderboard',
    doc: 'a write is shown this long after it is heard, so a burst of flushes (several processes) shares one update (0–10000)',
  },
  COLISEUM_REFRESH_MS: {
    group: 'leaderboard',
    doc: "every board and the live counts (sessions and spectators online: this process's rooms in memory plus the other processes' ops heartbeats) are re-read this often even without writes: window rollover, live KPI tiles, and a cover for a pub/sub notice lost while Redis was away (100–600000)",
  },
  COLISEUM_PREVIOUS_REFRESH_MS: {
    group: 'leaderboard',
    doc: "the trend columns' previous-window standings (last hour, yesterday, the week before, all-time before today) are re-read this often (100–3600000); between those reads ticks reuse them. A previous window is closed, so only a back-dated event moves it (an offline replay, or an event stamped just before the hour that arrives after it), and its trend arrow can take this long to show it",
  },
  LEADERBOARD_UNWATCHED_FLUSH_MS: {
    group: 'leaderboard',
    doc: 'least time between flushes of the leaderboard buckets no spectator watches (at least `LEADERBOARD_FLUSH_MS`, up to 60000). Each coliseum\'s broadcaster announces the (leaderboard, bucket group) pairs its rooms read: the hour bucket for the `hour` window, the day and all-time buckets for the others, a trending board\'s base, and the KPI board for any coliseum; with Redis through `<prefix>lb:watched` pub/sub, re-announced every 5 s and forgotten 15 s after a process goes silent. Watched buckets are written every `LEADERBOARD_FLUSH_MS`, the rest are held (merged per key, up to 50,000 keys per group; beyond that written at once) and written every `LEADERBOARD_UNWATCHED_FLUSH_MS`, or at the next flush once someone watches them. So an HTTP read of a board nobody watches in the coliseum can be this far behind, and for its first 5 s a process takes everything as watched (it has not heard the others yet). A leaderboard reset from /ops can meet increments held from before it, as it can meet a flush already under way. Measured at 1,500 sessions: Redis commands per session-second 0.48 → 0.19 without spectators, 0.59 → 0.44 with 100 (docs/benchmarks-archive.md "Leaderboards nobody watches")',
    default: '1000 with REDIS_URL, else LEADERBOARD_FLUSH_MS',
  },
  COLISEUM_MAX_CLIENTS_PER_ROOM: {
    group: 'leaderboard',
    doc: 'spectators per coliseum room; when full, matchmaking opens another room for the same leaderboards',
  },
  COLISEUM_ARTWORK_TTL_MS: {
    group: 'leaderboard',
    doc: "how long the jumbotron trusts what it looked up about a row's artwork (1000–3600000): the artist's processed thumbnail (a track's artist's, an orb transition's destination's), or none; an image the asset pipeline makes meanwhile shows after at most this. One query per board update that meets new entities; `LEADERBOARD_LOOKUP_CACHE_ENTRIES` entities remembered",
  },
  STATION_CACHE_TTL_SEC: { group: 'catalog', doc: 'station snapshot cache TTL' },
  STATION_CACHE_MAX_ENTRIES: {
    group: 'catalog',
    doc: "station snapshots in the in-process cache (LRU; with `REDIS_URL` it sits in front of the shared Redis cache, so a warm station costs no Redis round trip); when full the least recently used is evicted and read again on its next miss. After a catalog change, `POST /api/admin/catalog/invalidate` (admin token) empties every process's cache (Redis pub/sub). The same bound and TTL hold the orbs pointing at each artist that captures have looked up (a capture's star placement reads them; emptied with the stations on a catalog change)",
  },
  ADMIN_METRICS_CACHE_TTL_MS: { group: 'analytics', doc: 'how long a `GET /api/admin/metrics` answer is reused per range (0–3,600,000; 0 = always recompute)' },
  ADMIN_METRICS_CACHE_MAX_ENTRIES: { group: 'analytics', doc: 'ranges whose answer is cached at once (1–1000); the oldest is evicted' },
  ADMIN_METRICS_DWELL_CAP_SEC: {
    group: 'analytics',
    doc: "`avg_time_spent` of the top artists: a station visit lasts until the session's next visit or its end, at most this many seconds (10–86,400; 1800 = 30 min), so an app left open on one station does not count as hours of listening",
  },
  API_STATS_FLUSH_MS: {
    group: 'analytics',
    doc: 'how often each process adds its API request counts, errors and latency histograms per route pattern to `api_request_stats` (the per-range API table of `/api/admin/metrics` and /ops); the range figures lag by at most this (50–3,600,000)',
  },
  API_STATS_MAX_ROUTES: {
    group: 'analytics',
    doc: 'route patterns a process keeps per flush (1–10,000); more are counted as one `(other routes)` row. Endpoints are route patterns (`GET /api/stations/:frequency`), never raw paths, and unknown paths are not counted, so a client cannot grow the table',
  },
  API_STATS_MINUTE_RETENTION_HOURS: {
    group: 'analytics',
    doc: 'minute buckets of `api_request_stats` are kept this long (1–720 h); a range up to it reads minute buckets, a longer one hour buckets',
  },
  API_STATS_HOUR_RETENTION_DAYS: { group: 'analytics', doc: 'hour buckets of `api_request_stats` are kept this long (1–3650 days; 90 = the longest range)' },
  CLIENT_NOTICE_INTERVAL_MS: {
    group: 'session',
    doc: 'At most one RATE_LIMITED reply and one log line per misbehaving client per this interval; the other refused messages are dropped silently.',
  },
  SHUTDOWN_TIMEOUT_MS: {
    group: 'server',
    doc: 'SIGTERM/SIGINT: stop taking HTTP (503 `SHUTTING_DOWN` + `Connection: close`), end the sessions, drain the passport writer, stop; exit 1 if that does not finish in time',
  },
  SESSION_COUNTERS_SAVE_MS: {
    group: 'session',
    doc: "an open session's counters (interactions, captures, orbs…) are written to its row on a lock at most this often (0 = every lock), so /ops and DIA show live counts, not 0 until it ends",
  },
  SESSION_COUNTERS_BATCH_MS: {
    group: 'session',
    doc: "counter saves of all the process's sessions (open and ending) are gathered this long into one UPDATE (0–10,000; 0 = at once, still one statement for what waits while the previous one runs). One statement at a time; shutdown writes what waits before the database closes",
  },
  SESSION_COUNTERS_BATCH_MAX: {
    group: 'session',
    doc: 'saves per UPDATE (1–10,000); this many waiting start it at once. How many may wait at most is `SESSION_COUNTERS_BATCH_WAITING_MAX`',
  },
  SESSION_COUNTERS_BATCH_WAITING_MAX: {
    group: 'session',
    doc: 'counter saves that may wait for their UPDATE (default 20 × `SESSION_COUNTERS_BATCH_MAX`; at least that maximum). Past it a save fails with an error in the log and counts in `ds_statement_batch_items_total{outcome="refused"}`, never silently: the database is then far slower than the saves arrive',
  },
  SESSION_MAX_CAPTURES_IN_FLIGHT: { group: 'session', doc: 'captures queued per session; more are answered `BUSY` (retry after a `captured`)' },
  SESSION_MAX_VISITED_PATH: { group: 'session', doc: "artists kept in a session's discovery path (star placement reads it); the oldest drop out" },
  JOURNAL_CACHE_MAX_ENTRIES: {
    group: 'journal',
    doc: 'constellation journals kept per process (LRU, one per user); the least recently used is evicted and rebuilt on its next read',
  },
  JOURNAL_CACHE_TTL_SEC: {
    group: 'journal',
    doc: "a cached journal's lifetime. A capture drops the user's journal at once in this process and, with `REDIS_URL`, in every other one (pub/sub); the TTL bounds staleness if that message is lost",
  },
  JOURNAL_PREVIEW_CACHE_ENTRIES: {
    group: 'journal',
    doc: 'share preview pictures (`/api/shared/:id/preview.png`, 1200×630) kept rendered per process; the least recently used is rendered again on demand',
  },
  JOURNAL_MAX_SHARE_STARS: { group: 'journal', doc: 'stars one share snapshot may hold; a bigger constellation gets 409 with a message' },
  JOURNAL_DIRECT_SHARES_PER_HOUR: {
    group: 'journal',
    doc: "`direct_user` shares one user may send per hour (each leaves a notification in the recipient's inbox); beyond it 429 `RATE_LIMITED` with Retry-After",
  },
  JOURNAL_INVALIDATION_BATCH_MS: {
    group: 'journal',
    doc: "with `REDIS_URL`: captures' journal invalidations are gathered this long into one PUBLISH to the other processes (this process drops its own entry at once); 0 = one PUBLISH per capture",
  },
  JOURNAL_INVALIDATION_BATCH_MAX: {
    group: 'journal',
    doc: 'users gathered at most per invalidation PUBLISH; reaching it publishes at once (the bound of that buffer). Shutdown publishes what is gathered before closing',
  },
  AUTH_SECRET: {
    group: 'auth',
    doc: '≥ 32 chars; HS256 key of access tokens. Unset: generated once into `AUTH_SECRET_FILE` (one process). **Required with `REDIS_URL`** (every process must verify every token): the same value in every process, e.g. `openssl rand -base64 48`',
    default: 'unset: generated once into AUTH_SECRET_FILE',
  },
  AUTH_SECRET_FILE: { group: 'auth', doc: 'where the generated key is kept (mode 0600) when `AUTH_SECRET` is unset; delete it to invalidate every token' },
  AUTH_ACCESS_TTL_SEC: { group: 'auth', doc: 'access-token lifetime (30..86400)' },
  AUTH_DEVICE_CACHE_ENTRIES: {
    group: 'auth',
    doc: 'devices remembered as existing after a token naming them was checked against the database (an LRU); a token whose device does not exist is 401 `UNAUTHORIZED` on HTTP and 401 at room matchmaking',
  },
  AUTH_DEVICE_CACHE_TTL_MS: {
    group: 'auth',
    doc: "how long a device is trusted to exist (and keep its token generation) before it is read again: a removed device's access tokens keep working at most this long. A revoked device's entry is dropped on every process at once (backplane channel `auth:device-revoked`); this bounds a revocation message lost while Redis is away",
  },
  AUTH_REFRESH_TTL_DAYS: {
    group: 'auth',
    doc: 'refresh-token lifetime (1..365); each refresh rotates it, a reused one revokes the device: its refresh and access tokens stop working and its live sessions close (4401 `DEVICE_REVOKED`, within 1 s, on every process)',
  },
  HTTP_MAX_BODY_BYTES: {
    group: 'server',
    doc: 'largest HTTP request body (1 KiB–64 MiB), every route including `/matchmake/*`: a larger Content-Length gets 413 before any byte is read; a chunked or streamed body gets 413 the moment it passes the limit (see "HTTP edge")',
  },
  HTTP_MAX_JSON_DEPTH: { group: 'server', doc: 'deepest object/array nesting accepted in a JSON body (8–512); deeper gets 400 before parsing' },
  HTTP_HEADERS_TIMEOUT_MS: {
    group: 'server',
    doc: 'ws transport: a connection whose request headers have not all arrived within this is closed (slowloris); uWS closes slow requests at ~10 s on its own. At most HTTP_REQUEST_TIMEOUT_MS',
  },
  HTTP_REQUEST_TIMEOUT_MS: { group: 'server', doc: 'ws transport: a request whose body has not all arrived within this is closed (slow bodies)' },
  HTTP_TRUST_FORWARDED_FOR: {
    group: 'server',
    doc: "`true` behind a proxy that appends the client's address to `X-Forwarded-For` (the compose nginx entry does): the per-address limits then count that address instead of the proxy's. Never set it where clients reach the server directly: they could name any address",
  },
  DEV_RAISED_LIMITS: {
    group: 'limits',
    doc: "development only: the per-address and per-user limits below that the load-test harness meets (sign-ups, sign-ins, refreshes, matchmakes, live rooms per user, ingest per user) default to values no test reaches, so `npm run loadtest` works against a laptop's server; a limit's own variable still wins. `npm start` sets it (`DEV_RAISED_LIMITS=false npm start` keeps the real limits); with `NODE_ENV=production` (the production image) the server refuses to start with it",
    default: '`false` (npm start: `true`)',
  },
  AUTH_SIGNUPS_PER_ADDRESS_PER_HOUR: {
    group: 'limits',
    doc: 'new users `POST /api/auth/device` may create per client address per hour; more get 429 `RATE_LIMITED` with Retry-After (existing devices still sign in)',
  },
  AUTH_SIGNINS_PER_SECRET_PER_MINUTE: { group: 'limits', doc: 'sign-ins per device secret per minute (429 beyond)' },
  AUTH_DEVICES_PER_USER: {
    group: 'limits',
    doc: "live devices one user may have (a device is live once it signed in or refreshed within `AUTH_REFRESH_TTL_DAYS`: one unused that long stops counting); linking one more (`POST /api/auth/device` with a Bearer token and a new secret) is 409 `DEVICE_LIMIT`. Counted under a lock of the user's row: concurrent links never pass it together",
  },
  AUTH_LINKS_PER_USER_PER_MINUTE: {
    group: 'limits',
    doc: 'new devices linked to one user per minute (429 `RATE_LIMITED` with Retry-After beyond); sign-ins of devices already linked do not count',
  },
  LIVE_SESSIONS_PER_USER: {
    group: 'limits',
    doc: "live sessions one user may hold at once, counted by session id on the backplane (every process with Redis), so a resume or a handoff of the same session counts once. One more is refused at the join (the SDK's join rejects with code 4429, message `LIVE_SESSIONS_LIMIT: …`)",
  },
  LIVE_SESSIONS_PER_DEVICE: { group: 'limits', doc: 'live sessions one device may hold at once (4429 `LIVE_SESSIONS_LIMIT` beyond)' },
  LIVE_ROOMS_PER_USER: {
    group: 'limits',
    doc: "live `session` rooms one user may hold at once, counted before the join reads or writes the session (4429 `LIVE_SESSIONS_LIMIT` beyond). A join of any of the user's devices within the resume window resumes the user's latest session, and the room a resume leaves behind keeps its seat for `RECONNECT_WINDOW_SEC`: the bound leaves room for several devices and a few quick reloads of each",
  },
  LIVE_SESSIONS_TTL_SEC: {
    group: 'limits',
    doc: "a live session's claim lapses this long after its process last refreshed it (each process refreshes its rooms' claims every third of it); so the sessions of a process that crashed stop counting within this time",
  },
  AUTH_REFRESHES_PER_ADDRESS_PER_MINUTE: { group: 'limits', doc: '`POST /api/auth/refresh` calls per client address per minute (429 beyond)' },
  ADMIN_FAILURES_PER_ADDRESS_PER_MINUTE: {
    group: 'limits',
    doc: "wrong admin tokens per client address per minute; past it a wrong token from that address gets 429 `RATE_LIMITED` (Retry-After) instead of 401 until the window ends. The right token always passes, so guessing from an address operators share cannot lock them out; the token's length (≥ 16 characters) is what defeats guessing",
  },
  MATCHMAKES_PER_ADDRESS_PER_MINUTE: {
    group: 'limits',
    doc: '`POST /matchmake/*` requests (create, join, joinOrCreate, joinById, reconnect; refused ones count too) per client address per minute; more get 429 `RATE_LIMITED` with Retry-After and a request id before any token check or room work (the SDK rejects the join with code 429)',
  },
  INGEST_EVENTS_PER_USER_PER_SECOND: {
    group: 'limits',
    doc: 'client-claimed passport events of one type per user per second over HTTP ingest; a batch that would pass it is refused whole with 429 naming the type',
  },
  INGEST_ENTITY_EVENTS_PER_USER_PER_HOUR: {
    group: 'limits',
    doc: "client-claimed events of one type about one board entity (a track's plays, an artist's purchases, an event's likes) per user per hour: what one user can add to one row of a public board",
  },
  INGEST_ATTENDANCES_PER_EVENT_PER_DAY: { group: 'limits', doc: '`concierto.event_attended` one user may claim per concierto event per day' },
  CONCIERTO_VOTE_WEIGHT: { group: 'limits', doc: 'what one vote adds to a concierto board (server policy; clients cannot set a weight)' },
  CONCIERTO_HELD_VOTE_TTL_HOURS: {
    group: 'limits',
    doc: 'a vote held against a device before it signs up (`POST /api/concierto/events/{eventId}/held-votes`) is dropped unless that device signs up within this many hours',
  },
  CONCIERTO_HELD_VOTES_PER_ADDRESS_PER_HOUR: {
    group: 'limits',
    doc: 'votes held per client address per hour before `RATE_LIMITED` (no account stands behind a held vote yet; counted like sign-ups)',
  },
  CORS_ORIGINS: {
    group: 'server',
    doc: 'origins allowed to call the HTTP API from a browser page on another origin: exact `scheme://host[:port]`, comma-separated (they may send credentials, as the Colyseus SDK does), or `*` alone (any origin, never with credentials). Unset: same-origin only, no CORS headers',
    default: 'unset: same-origin only',
  },
  LOG_TAIL_LINES: {
    group: 'ops',
    doc: 'recent log lines each process keeps for `GET /api/ops/logs` (admin; `?level=warn&limit=200`, newest first; 0 = off); secrets are redacted by the logger before any line is written',
  },
  OPS_ACTIVITY_WINDOW_SEC: {
    group: 'ops',
    doc: "how far back the ops user page's live activity feed (`GET /api/ops/users/{userId}/activity`) looks for events that arrived, by their event time; an offline replay dated earlier shows in the passport timeline, not in the feed",
  },
  OPS_HISTORY_HOURS: {
    group: 'ops',
    doc: 'hours of the /ops chart kept in Postgres (`ops_history`, one point a minute per process; each write deletes rows past it), so the chart\'s "24 h" view survives restarts; the last `OPS_MONITOR_HISTORY_MINUTES` also live in memory at one point per sample',
  },
  WS_MAX_MESSAGE_BYTES: {
    group: 'server',
    doc: "largest WebSocket frame a client may send (1 KiB–16 MiB). A larger frame closes that client's connection: `ws` closes with 1009 (message too big), uWS drops the socket (the client sees 1006); the room, other clients and the process carry on. Below it, each room message has its own field bounds and gets an `error` reply with a code",
  },
  WS_MAX_BACKPRESSURE_BYTES: {
    group: 'server',
    doc: 'uWS: bytes queued for one slow client before further frames to it are dropped or the socket is closed (16 KiB–256 MiB)',
  },
  WS_CLOSE_ON_BACKPRESSURE: {
    group: 'server',
    doc: 'uWS: close a client past `WS_MAX_BACKPRESSURE_BYTES` (it sees 1006, its session is held for reconnection and it rejoins with a full state) instead of silently dropping frames, which would leave its decoded state wrong',
  },
  GRAVITY_HALF_LIFE_DAYS: { group: 'gravity', doc: 'half-life of a listening signal in the gravity graph' },
  GRAVITY_BATCH_SIZE: {
    group: 'gravity',
    doc: 'passport rows per edge-builder transaction, and batches per `gravity_edges` run; a bigger backlog waits for the next run (once a minute)',
  },
  GRAVITY_MAX_BATCHES_PER_RUN: {
    group: 'gravity',
    doc: 'passport rows per edge-builder transaction, and batches per `gravity_edges` run; a bigger backlog waits for the next run (once a minute)',
  },
  GRAVITY_MAX_NEIGHBOURS: { group: 'gravity', doc: 'largest `limit` of `gravity_neighbors` (above: 400)' },
  RADIO_RANK_MAX_CANDIDATES: { group: 'gravity', doc: 'largest rank request (above: 400 naming the field)' },
  RADIO_RANK_MAX_HISTORY: { group: 'gravity', doc: 'largest rank request (above: 400 naming the field)' },
  RADIO_GRAVITY_WEIGHT: { group: 'gravity', doc: 'share of gravity in the radio ranking (the rest is embedding similarity)' },
  GRAVITY_TRACK_CACHE_ENTRIES: { group: 'gravity', doc: 'track → artist lookups remembered per process (LRU for `GRAVITY_TRACK_CACHE_TTL_MS`; misses too)' },
  GRAVITY_TRACK_CACHE_TTL_MS: {
    group: 'gravity',
    doc: 'how long a remembered track → artist lookup holds (a miss too): a track added to the catalog is found by `POST /event` at most this late',
  },
  GRAVITY_MIN_EDGE_WEIGHT: { group: 'gravity', doc: 'edges decayed below this are deleted by `cleanup`' },
  JOBS_ENABLED: {
    group: 'jobs',
    doc: 'this process takes part in running schedules; each schedule slot still runs in one process only (see "Background jobs"). `false`: no schedules here, "run now" still works',
  },
  JOB_CRON_GRAVITY_EDGES: { group: 'jobs', doc: "a job's cron pattern (UTC; 5 fields, or 6 with seconds), or `off` (runs only from /ops). Checked at boot" },
  JOB_CRON_SESSION_AGGREGATION: {
    group: 'jobs',
    doc: "a job's cron pattern (UTC; 5 fields, or 6 with seconds), or `off` (runs only from /ops). Checked at boot",
  },
  JOB_CRON_GLOBAL_METRICS: { group: 'jobs', doc: "a job's cron pattern (UTC; 5 fields, or 6 with seconds), or `off` (runs only from /ops). Checked at boot" },
  JOB_CRON_POPULARITY_SCORES: {
    group: 'jobs',
    doc: "a job's cron pattern (UTC; 5 fields, or 6 with seconds), or `off` (runs only from /ops). Checked at boot",
  },
  JOB_CRON_CLEANUP: { group: 'jobs', doc: "a job's cron pattern (UTC; 5 fields, or 6 with seconds), or `off` (runs only from /ops). Checked at boot" },
  JOB_CRON_PASSPORT_PARTITIONS: {
    group: 'jobs',
    doc: "a job's cron pattern (UTC; 5 fields, or 6 with seconds), or `off` (runs only from /ops). Checked at boot",
  },
  JOB_CRON_INFLUENCE_GRAPH: { group: 'jobs', doc: "a job's cron pattern (UTC; 5 fields, or 6 with seconds), or `off` (runs only from /ops). Checked at boot" },
  JOB_LOG_RETENTION_DAYS: { group: 'jobs', doc: '`job_logs` rows older than this are deleted by the `cleanup` job' },
  AGGREGATION_PAGE_SIZE: {
    group: 'analytics',
    doc: 'sessions (and artists, for popularity) per page and transaction in the step 9 jobs; a run goes page by page and stops between pages on shutdown',
  },
  STALE_SESSION_HOURS: { group: 'analytics', doc: 'sessions left open (a room that crashed never ended them) and idle this long are closed by `cleanup`' },
  INFLUENCE_ARTISTS_PER_RUN: { group: 'influence', doc: 'seed step 11.a: artists recomputed per run, and how old a computation must be to be redone' },
  INFLUENCE_REFRESH_DAYS: { group: 'influence', doc: 'seed step 11.a: artists recomputed per run, and how old a computation must be to be redone' },
  INFLUENCE_MAX_ORBS: { group: 'influence', doc: 'orbs kept per artist (the strongest above the 0.5 threshold); more crowd the scene and cost patch bytes' },
  INFLUENCE_DATASET: { group: 'influence', doc: "the local relationship source's file", default: 'the shipped persistence/influence/dataset.json' },
  ASSET_MAX_UPLOAD_BYTES: {
    group: 'assets',
    doc: 'largest image upload; applies only to `POST /api/admin/artists/:id/image` with an image type and the admin token, everyone else keeps `HTTP_MAX_BODY_BYTES` (413 above it, before the body is read when Content-Length says so)',
  },
  ASSET_MIN_SIDE_PX: { group: 'assets', doc: 'smallest width and height accepted (400 below)' },
  ASSET_MAX_CONCURRENT: { group: 'assets', doc: 'uploads processed at once per process; more get 503 `BACKPRESSURE` + `Retry-After`' },
  ASSET_ARTWORK: {
    group: 'assets',
    doc: 'after boot, draw a generated poster (palette per artist) for each artist on the dial that has no image and run it through the asset pipeline, so every station has a picture; `false` keeps the placeholders (tests, load tests)',
  },
  FONTCONFIG_FILE: {
    group: 'assets',
    doc: "fontconfig's own variable, for the text in the pictures the server draws (leaderboard PNG export, share previews, generated artwork); unset, the server writes one listing the bundled DejaVu fonts (dejavu-fonts-ttf) first and the host's fonts after them, since the production image has none",
  },
  ASSET_ARTWORK_PER_RUN: {
    group: 'assets',
    doc: 'artists drawn per artwork run (~1 s of one core each); the job `artist_artwork` in /ops draws the next ones on demand',
  },
  ASSET_BACKGROUND_REMOVAL: {
    group: 'assets',
    doc: 'the background-removal step: `model` runs MediaPipe Selfie Segmentation (shipped in an npm package, run offline in a worker thread), `none` keeps the image whole (see docs/FEATURES.md "Asset pipeline")',
  },
  ASSET_MAX_INPUT_PIXELS: {
    group: 'assets',
    doc: 'largest width × height an upload may declare; more is refused 413 `IMAGE_TOO_LARGE` from the header alone, before any decoding (a small file declaring huge dimensions)',
  },
  ASSET_SEGMENT_TIMEOUT_MS: {
    group: 'assets',
    doc: 'time one image may spend in the segmentation model; past it the worker is ended and the upload answered 503 `PROCESSING_FAILED`',
  },
  ASSET_SEGMENT_MAX_WAITING: {
    group: 'assets',
    doc: 'images waiting for the segmentation model at once per process; more are answered 503 `PROCESSING_FAILED`',
  },
  ASSET_REVIEW_CONFIDENCE: {
    group: 'assets',
    doc: 'seed 10.2: a cut-out whose model confidence (mean |2p − 1| of the mask) is below this waits in the /ops review queue instead of going live',
  },
  ASSET_REVIEW: { group: 'assets', doc: '`low_confidence` (the seed: only unsure cut-outs wait for an operator), `always` or `never`' },
  ASSET_WEBHOOK_URL: { group: 'assets', doc: "seed 10.8: where `artist_assets_ready` is POSTed once an artist's assets are live; unset: no webhook" },
  ASSET_WEBHOOK_SECRET: {
    group: 'assets',
    doc: 'HMAC-SHA256 secret of the completion webhook (at least 16 characters; required with the URL): each delivery carries `Asset-Signature: t=<unix s>,v1=<hex HMAC of "<t>.<raw body>">`',
  },
  ASSET_WEBHOOK_MAX_ATTEMPTS: { group: 'assets', doc: 'deliveries tried per event (a non-2xx answer or no answer is a failure) before it is kept as failed' },
  ASSET_WEBHOOK_BASE_DELAY_MS: { group: 'assets', doc: 'first retry delay; doubled per attempt, at most `ASSET_WEBHOOK_MAX_DELAY_MS`' },
  ASSET_WEBHOOK_MAX_DELAY_MS: { group: 'assets', doc: 'longest retry delay' },
  ASSET_WEBHOOK_TIMEOUT_MS: { group: 'assets', doc: 'time limit of one delivery' },
  ASSET_WEBHOOK_QUEUE_MAX: { group: 'assets', doc: 'deliveries kept waiting in Postgres at most; past it the oldest waiting ones are dropped (logged)' },
  PASSPORT_PARTITIONS_AHEAD: { group: 'passport', doc: 'months of passport partitions created ahead of the current one' },
  PASSPORT_RETENTION_MONTHS: {
    group: 'passport',
    doc: 'months kept in `passport_entries` (the current one included); older months are retired by `passport_partitions`',
  },
  PASSPORT_ARCHIVE_MONTHS: {
    group: 'passport',
    doc: 'months a retired month stays in schema `passport_archive` (out of every query, e.g. for an export) before it is dropped; 0 drops it at once',
  },
  PASSPORT_PARTITIONS_LOCK_TIMEOUT_MS: {
    group: 'passport',
    doc: "longest wait of the `passport_partitions` job's DDL (attach, detach) for its lock on `passport_entries`; past it the run fails and the next one retries (inserts queue behind a waiting DDL, so keep it short)",
  },
  DNA_DIMS: {
    group: 'mediaid',
    doc: 'floats per DNA domain vector (4 domains); a change makes stored profiles start over (recompute them). Why 32: see "MediaID DNA"',
  },
  DNA_HALF_LIFE_DAYS: { group: 'mediaid', doc: 'carbon decay: a mirrored signal weighs half after this many days' },
  DNA_BASE_WEIGHT: { group: 'mediaid', doc: 'weight of the MediaID bases against mirrored behaviour (a fresh play weighs 1)' },
  DNA_BATCH_SIZE: { group: 'mediaid', doc: 'passport rows per mirroring transaction, and batches per `dna_mirroring` run (the rest waits for the next run)' },
  DNA_MAX_BATCHES_PER_RUN: {
    group: 'mediaid',
    doc: 'passport rows per mirroring transaction, and batches per `dna_mirroring` run (the rest waits for the next run)',
  },
  JOB_CRON_DNA_MIRRORING: { group: 'mediaid', doc: "the mirroring job's schedule, or `off`" },
  DNA_INDEX_MAX_USERS: {
    group: 'mediaid',
    doc: 'users in the in-process match index (~512 B each at 32 dims; beyond it users are left out and the API says `truncated`), and its rebuild age',
  },
  DNA_INDEX_TTL_SEC: {
    group: 'mediaid',
    doc: 'users in the in-process match index (~512 B each at 32 dims; beyond it users are left out and the API says `truncated`), and its rebuild age',
  },
  DNA_INDEX_PAGE_SIZE: {
    group: 'mediaid',
    doc: 'profiles read per statement while the match index loads (fewer round trips against a larger result held at once)',
  },
  DNA_RECOMPUTE_MAX_EVENTS: { group: 'mediaid', doc: 'newest passport events a manual recompute replays' },
  DNA_EXPORT_MAX_ROWS: { group: 'mediaid', doc: 'rows of one passport export (JSON lines; a last line says when it was cut)' },
  DNA_HISTORY_MAX_PER_USER: {
    group: 'mediaid',
    doc: "DNA snapshots kept per user for DIA's evolution timeline (`GET /api/ops/dna/users/{userId}/history`); each new one deletes those past it",
  },
  DNA_HISTORY_MIN_INTERVAL_SEC: {
    group: 'mediaid',
    doc: "the mirroring job snapshots a user's DNA at most this often (0 = every batch that evolves it); a manual recompute always does",
  },
  DNA_HISTORY_RETENTION_DAYS: { group: 'mediaid', doc: 'DNA snapshots older than this are deleted by the `cleanup` job' },
  REPORT_MAX_LISTENERS: { group: 'reports', doc: 'listeners whose DNA one report analyses (the rest are counted, not analysed: `audienceCapped`)' },
  REPORT_MAX_RANGE_DAYS: { group: 'reports', doc: 'longest report range (400 above it)' },
  REPORT_SHARE_TTL_HOURS: { group: 'reports', doc: "default and largest lifetime of a report's share link" },
  REPORT_MAX_SHARE_TTL_HOURS: { group: 'reports', doc: "default and largest lifetime of a report's share link" },
  REPORT_CLUSTERS: { group: 'reports', doc: 'audience clusters per report' },
  REPORT_TOURNAMENT_MAX_CITIES: { group: 'reports', doc: 'most cities in one tournament report; "all cities" takes this many of the range\'s most engaged' },
  SEARCH_CACHE_ENTRIES: {
    group: 'discovery',
    doc: "search candidates (the similarity query's rows) cached per process (LRU) per (query, limit), whoever asked; the caller's stars are applied on every search; when full the least recently used is evicted",
  },
  SEARCH_CACHE_TTL_SEC: {
    group: 'discovery',
    doc: "search candidates (the similarity query's rows) cached per process (LRU) per (query, limit), whoever asked; the caller's stars are applied on every search; when full the least recently used is evicted",
  },
  SEARCH_MAX_LIMIT: { group: 'discovery', doc: 'largest `limit` of `GET /api/search` and the `search` message (above: 400 / `BAD_INPUT` naming `limit`)' },
  SEARCH_ERA_BOOST: {
    group: 'discovery',
    doc: "factor on a search result whose decade is one of the caller's stars' decades, applied with step 13.4's ×1.2 genre boost (so a result matching both scores ×1.2 × this). 1 = off, the seed's rule. For a catalog whose genres are broad (most stations share one), the decade is what still tells a listener's taste apart: 1.2 weighs it like a genre",
  },
  RECOMMENDATION_QUEUE_MAX: {
    group: 'discovery',
    doc: "users waiting for a recomputation after a capture (off the rooms' tick; one entry per user); when full the oldest waiting user is dropped and counted, never a room blocked",
  },
  RECOMMENDATION_CONCURRENCY: { group: 'discovery', doc: 'recomputations running at once per process' },
  RECOMMENDATION_MIN_INTERVAL_MS: {
    group: 'discovery',
    doc: 'least time between two recomputations of one user\'s list: a capture sooner than that after the last one waits for the interval to end, and every capture meanwhile folds into that one recomputation (so the list pushed reflects them all). In the load test\'s journey (1,500 sessions) a local build that skipped the recomputation altogether ran the server at 25 % of a core against 32–33 %, and the 30 s interval halved the recomputations for about one point (docs/benchmarks-archive.md "Server CPU per session"); it also keeps a client that captures as fast as it may from holding a worker for itself. 0 = one per capture, as before',
  },
  COLISEUM_MAX_BOARDS: {
    group: 'leaderboard',
    doc: "Most distinct (leaderboard, window) boards the coliseum's broadcaster computes at once across its rooms; a join asking for another one past it is refused.",
  },
  LEADERBOARD_MAX_PENDING_KEYS: {
    group: 'leaderboard',
    doc: 'Distinct (leaderboard, entity) keys the feeder holds between flushes, plus users awaiting a city; increments to new keys beyond it are dropped and counted (the rollups still have them).',
  },
  LEADERBOARD_MAX_BATCH_KEYS: { group: 'leaderboard', doc: 'Keys written per store round trip; reaching it starts a flush at once.' },
  LEADERBOARD_LOOKUP_CACHE_ENTRIES: { group: 'leaderboard', doc: "Entries in each of the feeder's lookup caches (user → city, artist → display name)." },
  LEADERBOARD_CITY_TTL_MS: { group: 'leaderboard', doc: "How long a user's looked-up city is trusted before it is read again." },
  LEADERBOARD_MAX_RETRY_MS: { group: 'leaderboard', doc: 'Longest delay between two retries of a failed feeder flush (the increments are kept meanwhile).' },
  PASSPORT_MAX_BATCH_EVENTS: { group: 'passport', doc: 'Most events one `POST /api/passport/batch` may carry; more get 400 with the count.' },
  PASSPORT_OUTBOX_AGE_MS: {
    group: 'passport',
    doc: "A capture's passport events are written to `passport_outbox` with its star and queued on the writer after the commit; rows still there after this long (their process died before its flush) are queued by any process's outbox drainer, which looks every half of it. Bounds how late the events of a crashed process's captures reach the passport (after its restart, or through another process still running).",
  },
  PASSPORT_OUTBOX_BATCH: {
    group: 'passport',
    doc: 'outbox rows one drainer tick leases and queues on the writer, in one transaction (a crashed process may leave many)',
  },
  PASSPORT_QUERY_TIMEOUT_MS: {
    group: 'passport',
    doc: 'A passport write (COPY or statement) running longer than this is cancelled and the batch retried; a database that hangs cannot hold the writer forever.',
  },
  LEADERBOARD_ROLLUP_BATCH_SIZE: { group: 'leaderboard', doc: "Passport rows the rollup consumer (the boards' durable record) applies per transaction." },
  LEADERBOARD_ROLLUP_POLL_MS: {
    group: 'leaderboard',
    doc: "how often the rollups (the boards' durable record, a passport cursor consumer) look for new passport rows once caught up (a Local store's rebuild at boot first catches them up with every committed event)",
  },
  LEADERBOARD_WATCHED_ANNOUNCE_MS: {
    group: 'leaderboard',
    doc: "with Redis: how often each process announces the boards its spectators watch (one PUBLISH); others write those boards' buckets at once, and forget a silent process's set after 3 × this",
  },
  LEADERBOARD_IMAGE_CACHE_ENTRIES: {
    group: 'leaderboard',
    doc: '`format=png` pictures kept per process (same board, rows and minute → the same picture, not drawn again)',
  },
  LEADERBOARD_IMAGE_MAX_ROWS: { group: 'leaderboard', doc: 'rows a `format=png` picture draws at most (the rest are in the CSV)' },
  LEADERBOARD_IMAGE_MAX_CONCURRENT: {
    group: 'leaderboard',
    doc: '`format=png` pictures drawn at once per process; beyond that the route answers 429 RATE_LIMITED with Retry-After: 1',
  },
  LEADERBOARD_HTTP_MAX_LIMIT: { group: 'leaderboard', doc: 'Most rows one `GET /api/leaderboards/:leaderboard?limit=` may ask for; more get 400.' },
  PAYMENT_WEBHOOK_SECRET: {
    group: 'payments',
    doc: "the payment provider's webhook signing secret (HMAC-SHA256, at least 16 characters). Set: `POST /api/payments/webhook` records signed purchases (the trusted source of revenue) and clients can no longer claim `treasury.purchase_completed` over ingest. Unset: the webhook answers 503 `PAYMENTS_DISABLED`",
  },
  PAYMENT_WEBHOOK_TOLERANCE_SEC: {
    group: 'payments',
    doc: "how far a `Payment-Signature` timestamp may be from the server's clock, either way, before the delivery is refused 400 `SIGNATURE_EXPIRED` (a captured delivery cannot be replayed later)",
  },
  PAYMENT_WEBHOOK_MAX_BODY_BYTES: { group: 'payments', doc: 'largest webhook body; a bigger one is refused 413 `PAYLOAD_TOO_LARGE` before it is read' },
  DB_POOL_MAX: {
    group: 'server',
    doc: "connections of the server's ORM pool: every query but the passport writer's COPY batches (`PASSPORT_FLUSH_CONCURRENCY` connections of their own)",
  },
  TICK_SAMPLE_EVERY: {
    group: 'session',
    doc: 'one room step in this many is timed for `ds_room_tick_duration_seconds` (each timing is a histogram observation on the hot path; 1 times every step)',
  },
  LEADERBOARD_UNION_CACHE_MS: {
    group: 'leaderboard',
    doc: "with Redis: how long a multi-bucket window's union (day, week, 30d over hour and day buckets) is kept before it is recomputed; ≤ 0 recomputes it on every read. The coliseum refreshes each second, so its ticks share one union per window",
  },
  LEADERBOARD_RESTORE_MAX_ENTRIES: {
    group: 'leaderboard',
    doc: "without Redis the boards live in memory: a boot restores each board's buckets from the rollups, at most this many entities per bucket (the highest)",
  },
  OPS_MONITOR_SAMPLE_MS: {
    group: 'ops',
    doc: 'how often each process samples its figures for /ops and publishes its heartbeat (the panel refreshes every 2 s; a process whose heartbeat is 5 samples old is gone)',
  },
  OPS_MONITOR_HISTORY_MINUTES: {
    group: 'ops',
    doc: 'minutes of the per-sample cluster history each process keeps in memory for the /ops charts (longer ranges read the minute points of `OPS_HISTORY_HOURS`)',
  },
  OPS_RATES_WINDOW_MS: {
    group: 'ops',
    doc: 'the window the /ops rates (room messages, errors, connections, HTTP requests per second) are averaged over',
  },
  FRIENDS_MAX: { group: 'social', doc: 'friends plus friend requests sent, per user; one more is refused (`POST /api/friends/{userId}` 409 `CONFLICT`)' },
  FRIEND_REQUESTS_PER_HOUR: {
    group: 'social',
    doc: 'new friend requests one user may send per hour (429 `RATE_LIMITED` beyond); accepting a request does not count',
  },
  RIDE_MAX_RIDERS: { group: 'social', doc: 'riders one ride takes besides its host; one more gets join code 4429 `RIDE_FULL`' },
  RIDE_INVITE_TTL_SEC: { group: 'social', doc: 'a ride invite code works this long; `ride_invite` makes a new one (the old one stops working)' },
  RIDE_REACTIONS_PER_10S: {
    group: 'social',
    doc: 'reactions one ride member may send per 10 s (a burst of that many); beyond, `error` `RATE_LIMITED` and nothing is shown',
  },
  RIDE_LOOKUPS_PER_MINUTE: {
    group: 'social',
    doc: 'invite codes one user may look up without finding a ride, per minute (`GET /api/rides/{code}` 429 beyond): guessing a 50-bit code stops here',
  },
  LINK_TTL_DAYS: { group: 'links', doc: 'a share link (`POST /api/links`) counts opens for this many days; after it, `/l/{linkId}` still redirects' },
  LINKS_PER_USER_PER_HOUR: { group: 'links', doc: 'share links one user may make per hour before `RATE_LIMITED`' },
  LINK_OPENS_PER_LINK_PER_HOUR: {
    group: 'links',
    doc: 'opens counted per share link per hour; past it, `/l/{linkId}` still redirects but counts nothing (one open per visitor per link per day is counted at most anyway)',
  },
  LINK_OPENS_PER_ADDRESS_PER_HOUR: {
    group: 'links',
    doc: "opens counted per client address per hour, across links (the limiter keys on a hash of the address under the day's key, never the address); past it opens redirect uncounted",
  },
  NOTIFY_PER_RECIPIENT_PER_HOUR: {
    group: 'notifications',
    doc: "notifications from other users (direct shares) one user may receive per hour, counted on the backplane (every process with Redis); one more refuses the share 429 `RATE_LIMITED` naming `recipientId`, nothing stored. The sender's own bound is `JOURNAL_DIRECT_SHARES_PER_HOUR`",
  },
  NOTIFY_TOP_RECOMMENDATION_INTERVAL_SEC: {
    group: 'notifications',
    doc: 'least time between two top-recommendation notifications of one user (seed 000 step 12.10); a new top artist within it is not told, and the same artist is never told twice',
  },
  NOTIFY_JOIN_UNREAD_MAX: {
    group: 'notifications',
    doc: 'unread inbox entries a session is sent (`notifications`, newest first) at its join or resume; 0 sends none',
  },
  PUSH_QUEUE_MAX: {
    group: 'notifications',
    doc: 'pending pushes at most in the push outbox (all processes); a notification beyond it is not pushed (it still reaches the inbox and live sessions; logged and counted in `ds_notifications_total{outcome="outbox_full"}`)',
  },
  PUSH_DEVICES_PER_USER: {
    group: 'notifications',
    doc: 'push registrations (APNs tokens and Web Push subscriptions) one user may hold; one more is refused 409 `DEVICE_LIMIT`',
  },
  PUSH_MAX_ATTEMPTS: { group: 'notifications', doc: 'tries of one push that keeps failing for now (429, 5xx, a lost connection) before it is marked failed' },
  PUSH_BACKOFF_BASE_MS: {
    group: 'notifications',
    doc: "the wait after a failed try is random in [0, min(`PUSH_BACKOFF_MAX_MS`, base × 2^(tries−1))) (full jitter); a provider's Retry-After is a floor",
  },
  PUSH_BACKOFF_MAX_MS: { group: 'notifications', doc: 'the longest wait between two tries of one push (see `PUSH_BACKOFF_BASE_MS`)' },
  PUSH_LEASE_MS: { group: 'notifications', doc: 'how long a claimed push is held by its worker; a worker that dies leaves it to be claimed again after this' },
  PUSH_POLL_MS: { group: 'notifications', doc: 'how often each process looks for due pushes (a new notification wakes its own process at once)' },
  PUSH_BATCH: { group: 'notifications', doc: 'pushes claimed per round' },
  PUSH_CONCURRENCY: { group: 'notifications', doc: 'pushes in flight at once per process' },
  PUSH_TIMEOUT_MS: { group: 'notifications', doc: "one provider request's time limit (then retried)" },
  PUSH_FAILED_RETENTION_HOURS: { group: 'notifications', doc: 'failed pushes are kept this long in the outbox (for inspection), then deleted' },
  WEBPUSH_ENDPOINT_HOSTS: {
    group: 'notifications',
    doc: "push service hosts (and their subdomains) a Web Push subscription's endpoint may be on, comma-separated; any other endpoint is refused 400, so a client cannot point the server's requests elsewhere",
  },
  APNS_KEY_FILE: {
    group: 'notifications',
    doc: 'the APNs token-auth signing key (.p8, PKCS#8 PEM). With `APNS_KEY_ID`, `APNS_TEAM_ID` and `APNS_TOPIC` it turns APNs on; all unset: APNs is off (the boot log says so)',
  },
  APNS_KEY_ID: { group: 'notifications', doc: "the 10-character key id of `APNS_KEY_FILE` (the provider token's `kid`)" },
  APNS_TEAM_ID: { group: 'notifications', doc: "the 10-character Apple team id (the provider token's `iss`)" },
  APNS_TOPIC: { group: 'notifications', doc: "the app's bundle id (`apns-topic`)" },
  APNS_ORIGIN: {
    group: 'notifications',
    doc: 'the APNs provider API: `https://api.push.apple.com` (production builds) or `https://api.sandbox.push.apple.com` (development builds)',
    default: 'https://api.push.apple.com',
  },
  APNS_EXPIRATION_SEC: { group: 'notifications', doc: 'APNs drops a push it could not deliver within this many seconds (`apns-expiration`; 0: one try only)' },
  WEBPUSH_VAPID_PUBLIC_KEY: {
    group: 'notifications',
    doc: 'the VAPID public key (RFC 8292, base64url P-256; `npx web-push generate-vapid-keys`). With the private key and subject it turns Web Push on; both keys unset: Web Push is off. Browsers subscribe with it (`GET /api/notifications/push`)',
  },
  WEBPUSH_VAPID_PRIVATE_KEY: { group: 'notifications', doc: 'the VAPID private key (base64url); never logged' },
  WEBPUSH_VAPID_SUBJECT: { group: 'notifications', doc: 'how a push service reaches the operator: `mailto:…` or an https URL (required with the keys)' },
  WEBPUSH_TTL_SEC: { group: 'notifications', doc: 'how long a push service keeps a push for an offline browser (`TTL`)' },
};
