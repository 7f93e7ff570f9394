import { ConfigError } from '../errors.js';
import { bool, bounded, cron, float, int, oneOf, optionalString, optionalText, prefix, redact, text, url, valueOf, type Env } from './parse.js';
import { backgroundConfig } from './background.js';
import { limitsConfig } from './limits.js';
import { livenessConfig } from './liveness.js';
import { notificationsConfig } from './notifications.js';
import { databaseUrl } from './databaseUrl.js';

export { JOB_DEFAULT_SCHEDULES, JOB_NAMES, type JobName } from './background.js';

const TRANSPORTS = ['uws', 'ws'] as const;
export type TransportKind = (typeof TRANSPORTS)[number];
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Every setting the server reads, typed: what {@link loadConfig} builds once at boot. */
export type Config = ReturnType<typeof loadConfig>;
export type AuthConfig = Config['auth'];
export type HttpSettings = Config['http'];

/** `*`, or a comma-separated list of exact origins (`https://app.example.com`, `http://localhost:5173`). */
function origins(env: Env, name: string): '*' | string[] {
  const raw = valueOf(env, { name, kind: 'origins', fallback: '' })?.trim();
  if (!raw) return [];
  if (raw === '*') return '*';
  return raw.split(',').map((entry) => {
    const origin = entry.trim();
    if (origin === '*') throw new ConfigError(name, '"*" must stand alone (it allows every origin, without credentials); list exact origins otherwise.');
    const parsed = URL.parse(origin);
    // An origin is scheme://host[:port] with nothing after it: that is all a browser sends in Origin.
    if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.origin !== origin) {
      throw new ConfigError(
        name,
        `"${origin}" is not an origin. Use scheme://host[:port] without a path or trailing slash, e.g. https://app.example.com, separated by commas; or * alone.`,
      );
    }
    return origin;
  });
}

/** @group auth */
function authSecret(env: Env, redisUrl: string | undefined): string | undefined {
  /**
   * the access tokens' HS256 key (≥ 32 chars); **required with `REDIS_URL`**, the same in every process (e.g. `openssl rand -base64 48`)
   * @default unset: generated once into AUTH_SECRET_FILE
   */
  const secret = optionalString(env, 'AUTH_SECRET', 32);
  if (!secret && redisUrl) {
    throw new ConfigError(
      'AUTH_SECRET',
      'is required when REDIS_URL is set: every process must sign and verify access tokens with the same key. Set the same AUTH_SECRET (at least 32 characters, e.g. `openssl rand -base64 48`) in every process.',
    );
  }
  return secret;
}

/** Buckets nobody reads need no 4 Hz writes: with Redis each flush costs a ZINCRBY per key and bucket. @group leaderboard */
function leaderboardUnwatchedFlushMs(env: Env, flushMs: number, redisUrl: string | undefined): number {
  /**
   * least time between flushes of the leaderboard buckets no spectator watches (at least `LEADERBOARD_FLUSH_MS`, up to 60000). Each process announces
   * the bucket groups its coliseum rooms read (the hour bucket; the day and all-time buckets); those are written every `LEADERBOARD_FLUSH_MS`, the rest
   * held (merged per key within the pending bound) until this or until someone watches them. So an HTTP read of a window no coliseum shows, or a reset
   * from /ops, can meet increments held this long (docs/benchmarks-archive.md "Leaderboards nobody watches")
   * @default 1000 with REDIS_URL, else LEADERBOARD_FLUSH_MS
   */
  const ms = int(env, 'LEADERBOARD_UNWATCHED_FLUSH_MS', Math.max(flushMs, redisUrl ? 1000 : flushMs), 5, 60_000);
  bounded('LEADERBOARD_UNWATCHED_FLUSH_MS', ms, '≥', 'LEADERBOARD_FLUSH_MS', flushMs, 'boards nobody watches are written at most as often as watched ones');
  return ms;
}

const divisors = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1).filter((d) => n % d === 0);

/** Room timing and per-client rates: the session room's step, patches and input limits. @group session */
function roomTiming(env: Env) {
  /** room simulation steps per second */
  const simHz = int(env, 'SIM_HZ', 20, 1, 120);
  /** patches per second; must divide `SIM_HZ` (a step with no change sends nothing) @default SIM_HZ */
  const patchHz = int(env, 'PATCH_HZ', simHz, 1, 120);
  bounded('PATCH_HZ', patchHz, '≤', 'SIM_HZ', simHz, 'patches go out on simulation steps');
  if (simHz % patchHz !== 0)
    throw new ConfigError(
      'PATCH_HZ',
      `${patchHz} does not divide SIM_HZ (${simHz}): a patch goes out every whole number of steps. Use one of: ${divisors(simHz).join(', ')}.`,
    );
  /** slots the shared ticker spreads the session rooms over, so the work comes in small slices (`SIM_HZ × TICK_PHASES` ≤ 1000) */
  const tickPhases = int(env, 'TICK_PHASES', 4, 1, 20);
  /** one room step in this many is timed for `ds_room_tick_duration_seconds` (1 times every step) */
  const tickSampleEvery = int(env, 'TICK_SAMPLE_EVERY', 8, 1, 1000);
  if (simHz * tickPhases > 1000)
    throw new ConfigError(
      'TICK_PHASES',
      `SIM_HZ × TICK_PHASES = ${simHz * tickPhases} firings/s; keep it at most 1000 (TICK_PHASES ≤ ${Math.floor(1000 / simHz)} at SIM_HZ ${simHz}).`,
    );
  /** messages per second per client (any type, both rooms) before `RATE_LIMITED` replies; the refused messages are dropped */
  const messageRatePerSec = int(env, 'CLIENT_MESSAGE_RATE', 30, 1, 10_000);
  /** messages per second after which the client is disconnected (a flood) @default max(200, 4 × CLIENT_MESSAGE_RATE) */
  const disconnectRatePerSec = int(env, 'CLIENT_DISCONNECT_RATE', Math.max(200, messageRatePerSec * 4), 2, 100_000);
  bounded('CLIENT_DISCONNECT_RATE', disconnectRatePerSec, '>', 'CLIENT_MESSAGE_RATE', messageRatePerSec, 'only floods past the message rate are disconnected');
  return {
    simHz,
    patchHz,
    tickPhases,
    tickSampleEvery,
    /** send a session's patch right after each client input instead of at the next patch step */
    patchOnInput: bool(env, 'PATCH_ON_INPUT', true),
    /** `json`: session rooms also broadcast their whole state as JSON every patch step, the load test's baseline; never in production */
    patchBaseline: oneOf(env, 'PATCH_BASELINE', ['off', 'json'] as const, 'off'),
    /** how long a dropped session client may reconnect */
    reconnectWindowSec: int(env, 'RECONNECT_WINDOW_SEC', 30, 0, 3600),
    clients: {
      messageRatePerSec,
      disconnectRatePerSec,
      /** at most one `RATE_LIMITED` reply and one log line per misbehaving client per this interval */
      noticeIntervalMs: int(env, 'CLIENT_NOTICE_INTERVAL_MS', 1000, 10, 600_000),
    },
    /** the size of each room's two state-encoding buffers (`Encoder.BUFFER_SIZE`, 16 KB upstream); a room with a larger state sets its own */
    schemaBufferBytes: int(env, 'SCHEMA_BUFFER_BYTES', 4096, 1024, 1_048_576),
    session: {
      /** an open session's counters are written to its row on a lock at most this often (0 = every lock), so /ops and DIA show live counts */
      countersSaveMs: int(env, 'SESSION_COUNTERS_SAVE_MS', 30_000, 0, 3_600_000),
      counterBatch: counterBatchConfig(env),
      /** captures queued per session; more are answered `BUSY` (retry after a `captured`) */
      maxCapturesInFlight: int(env, 'SESSION_MAX_CAPTURES_IN_FLIGHT', 5, 1, 100),
      /** artists kept in a session's discovery path (star placement reads it); the oldest drop out */
      maxVisitedPath: int(env, 'SESSION_MAX_VISITED_PATH', 50, 2, 100),
    },
  };
}

/** @group session */
function counterBatchConfig(env: Env) {
  /** counter saves of all the process's sessions are gathered this long into one UPDATE (0 = at once); shutdown writes what waits; no one waits on one */
  const intervalMs = int(env, 'SESSION_COUNTERS_BATCH_MS', 1000, 0, 10_000);
  /** saves per UPDATE; this many waiting start it at once */
  const maxItems = int(env, 'SESSION_COUNTERS_BATCH_MAX', 500, 1, 10_000);
  /**
   * counter saves that may wait for their UPDATE (at least `SESSION_COUNTERS_BATCH_MAX`); past it a save fails with an error in the log and counts in
   * `ds_statement_batch_items_total{outcome="refused"}`
   * @default 20 × SESSION_COUNTERS_BATCH_MAX
   */
  const maxWaiting = int(env, 'SESSION_COUNTERS_BATCH_WAITING_MAX', maxItems * 20, 1, 1_000_000);
  bounded('SESSION_COUNTERS_BATCH_WAITING_MAX', maxWaiting, '≥', 'SESSION_COUNTERS_BATCH_MAX', maxItems, "a full statement's saves must be able to wait");
  return { intervalMs, maxItems, maxWaiting };
}

/** @group passport */
function passportConfig(env: Env) {
  /** how often the passport writer flushes its queue */
  const flushIntervalMs = int(env, 'PASSPORT_FLUSH_MS', 200, 1, 60_000);
  return {
    /** events the passport writer queues; when full, new events are refused `BACKPRESSURE` (HTTP 503 + Retry-After, an `error` in rooms) */
    maxQueue: int(env, 'PASSPORT_MAX_QUEUE', 100_000, 100, 10_000_000),
    /** events per passport write */
    batchSize: int(env, 'PASSPORT_BATCH_SIZE', 1000, 1, 50_000),
    flushIntervalMs,
    /** First delay before a failed passport flush is retried; it doubles per failure up to PASSPORT_MAX_RETRY_MS. */
    baseRetryDelayMs: int(env, 'PASSPORT_RETRY_BASE_MS', 50, 1, 60_000),
    /** Longest delay between two retries of a failed passport flush. */
    maxRetryDelayMs: int(env, 'PASSPORT_MAX_RETRY_MS', 5000, 10, 600_000),
    /**
     * once the oldest queued event has waited this long (Postgres slow or down), new events are refused the same way; bounds what a crash can lose
     * @default 500, or 2 × PASSPORT_FLUSH_MS if more
     */
    maxLagMs: int(env, 'PASSPORT_MAX_LAG_MS', Math.max(500, 2 * flushIntervalMs), 2 * flushIntervalMs, 600_000),
    /** an ingest request waits this long for its commit, then answers 503 `NOT_PERSISTED` (retry with the same eventIds) */
    ackTimeoutMs: int(env, 'PASSPORT_ACK_TIMEOUT_MS', 10_000, 100, 600_000),
    /** Most events one `POST /api/passport/batch` may carry; more get 400 with the count. */
    maxBatchEvents: int(env, 'PASSPORT_MAX_BATCH_EVENTS', 1000, 1, 10_000),
    /** a passport write (COPY or statement) running longer than this is cancelled and the batch retried */
    queryTimeoutMs: int(env, 'PASSPORT_QUERY_TIMEOUT_MS', 30_000, 100, 600_000),
    /** passport batches written at once, one Postgres connection each; ids still commit in queue order */
    flushConcurrency: int(env, 'PASSPORT_FLUSH_CONCURRENCY', 2, 1, 16),
    /** a batch with fewer events is written as one JSON statement (less CPU per flush) instead of the binary COPY (0 = always COPY) */
    copyMinEvents: int(env, 'PASSPORT_COPY_MIN_EVENTS', 500, 0, 50_000),
    /** capture events left in `passport_outbox` this long (their process died before its flush) are queued by any process's drainer */
    outboxAgeMs: int(env, 'PASSPORT_OUTBOX_AGE_MS', 10_000, 100, 600_000),
    /** outbox rows one drainer tick leases and queues on the writer, in one transaction (a crashed process may leave many) */
    outboxBatch: int(env, 'PASSPORT_OUTBOX_BATCH', 500, 1, 100_000),
  };
}

/** The live boards: the feeder that writes them and the coliseum that shows them. @group leaderboard */
function boardsConfig(env: Env, redisUrl: string | undefined) {
  /**
   * least time between two leaderboard feeder flushes (5–10000); pending increments are merged per (event hour, leaderboard, entity) meanwhile, at most
   * 50,000 keys (beyond: increments to new keys are dropped and counted; the rollups still have them). The first increment after a quiet spell is flushed
   * within 50 ms. With Redis a flush costs one ZINCRBY per key and bucket (hour, day, all-time) in one pipelined round trip, so a longer interval means fewer
   * commands per event and more spectator lag (docs/benchmarks-archive.md, "Redis commands of the leaderboard path")
   * @default 25, or 250 with REDIS_URL
   */
  const leaderboardFlushMs = int(env, 'LEADERBOARD_FLUSH_MS', redisUrl ? 250 : 25, 5, 10_000);
  return {
    coliseum: {
      /**
       * least time between two coliseum board updates (20–60000). Updates follow writes: a feeder flush here, or with `REDIS_URL` in any process (Redis
       * pub/sub on `<REDIS_PREFIX>lb:changed`, one PUBLISH per flush), schedules one; a busy coliseum gets at most 1000 / this updates a second, each one
       * frame per spectator (the CPU cost: one socket write per spectator per update)
       */
      throttleMs: int(env, 'COLISEUM_THROTTLE_MS', 200, 20, 60_000),
      /** a write is shown this long after it is heard, so a burst of flushes (several processes) shares one update (0–10000) */
      coalesceMs: int(env, 'COLISEUM_COALESCE_MS', 50, 0, 10_000),
      /**
       * every board and the live counts (sessions and spectators online: this process's rooms in memory plus the other processes' ops heartbeats) are re-read
       * this often even without writes: window rollover, live KPI tiles, and a cover for a pub/sub notice lost while Redis was away (100–600000)
       */
      refreshMs: int(env, 'COLISEUM_REFRESH_MS', 1000, 100, 600_000),
      /**
       * the trend columns' previous-window standings (last hour, yesterday, the week before, all-time before today) are re-read this often (100–3600000);
       * between those reads ticks reuse them. A previous window is closed, so only a back-dated event moves it (an offline replay, or an event stamped just
       * before the hour that arrives after it), and its trend arrow can take this long to show it
       */
      previousRefreshMs: int(env, 'COLISEUM_PREVIOUS_REFRESH_MS', 30_000, 100, 3_600_000),
      /**
       * Most distinct (leaderboard, window) boards the coliseum's broadcaster computes at once across its rooms; a join asking for another one past it is
       * refused.
       */
      maxBoards: int(env, 'COLISEUM_MAX_BOARDS', 1000, 1, 100_000),
      /** spectators per coliseum room; when full, matchmaking opens another room for the same leaderboards */
      maxClientsPerRoom: int(env, 'COLISEUM_MAX_CLIENTS_PER_ROOM', 1000, 1, 100_000),
      /**
       * how long the jumbotron trusts what it looked up about a row's artwork (1000–3600000): the artist's processed thumbnail (a track's artist's, an orb
       * transition's destination's), or none; an image the asset pipeline makes meanwhile shows after at most this. One query per board update that meets new
       * entities; `LEADERBOARD_LOOKUP_CACHE_ENTRIES` entities remembered
       */
      artworkTtlMs: int(env, 'COLISEUM_ARTWORK_TTL_MS', 60_000, 1000, 3_600_000),
    },
    leaderboard: {
      flushIntervalMs: leaderboardFlushMs,
      unwatchedFlushMs: leaderboardUnwatchedFlushMs(env, leaderboardFlushMs, redisUrl),
      /**
       * Distinct (leaderboard, entity) keys the feeder holds between flushes, plus users awaiting a city; increments to new keys beyond it are dropped and
       * counted (the rollups still have them).
       */
      maxPendingKeys: int(env, 'LEADERBOARD_MAX_PENDING_KEYS', 50_000, 100, 10_000_000),
      /** Keys written per store round trip; reaching it starts a flush at once. */
      maxBatchKeys: int(env, 'LEADERBOARD_MAX_BATCH_KEYS', 5_000, 10, 1_000_000),
      /** Entries in each of the feeder's lookup caches (user → city, artist → display name). */
      lookupCacheSize: int(env, 'LEADERBOARD_LOOKUP_CACHE_ENTRIES', 100_000, 100, 10_000_000),
      /** How long a user's looked-up city is trusted before it is read again. */
      cityTtlMs: int(env, 'LEADERBOARD_CITY_TTL_MS', 600_000, 1000, 86_400_000),
      /** Longest delay between two retries of a failed feeder flush (the increments are kept meanwhile). */
      maxRetryDelayMs: int(env, 'LEADERBOARD_MAX_RETRY_MS', 5_000, 10, 600_000),
      /** Passport rows the rollup consumer (the boards' durable record) applies per transaction. */
      rollupBatchSize: int(env, 'LEADERBOARD_ROLLUP_BATCH_SIZE', 5_000, 10, 1_000_000),
      /**
       * how often the rollups (the boards' durable record, a passport cursor consumer) look for new passport rows once caught up, in the processes that
       * run jobs (`JOBS_ENABLED`); a Local store's rebuild at boot first catches them up with every committed event
       */
      rollupPollMs: int(env, 'LEADERBOARD_ROLLUP_POLL_MS', 1000, 10, 600_000),
      /**
       * with Redis: how often each process announces the bucket groups its spectators read (one PUBLISH); others write those groups at once, and forget a
       * silent process's groups after 3 × this
       */
      watchedAnnounceMs: int(env, 'LEADERBOARD_WATCHED_ANNOUNCE_MS', 5000, 100, 600_000),
      /**
       * with Redis: how long a multi-bucket window's union (day, week, 30d over hour and day buckets) is kept before it is recomputed; ≤ 0 recomputes it on
       * every read. The coliseum refreshes each second, so its ticks share one union per window
       */
      unionCacheMs: int(env, 'LEADERBOARD_UNION_CACHE_MS', 1000, 0, 60_000),
      /** without Redis the boards live in memory: a boot restores each board's buckets from the rollups, at most this many entities per bucket (the highest) */
      restoreMaxEntries: int(env, 'LEADERBOARD_RESTORE_MAX_ENTRIES', 5000, 1, 100_000),
      /** Most rows one `GET /api/leaderboards/:leaderboard?limit=` may ask for; more get 400. */
      httpMaxLimit: int(env, 'LEADERBOARD_HTTP_MAX_LIMIT', 100, 1, 1000),
      image: {
        /** `format=png` pictures kept per process (same board, rows and minute → the same picture, not drawn again) */
        cacheEntries: int(env, 'LEADERBOARD_IMAGE_CACHE_ENTRIES', 64, 1, 10_000),
        /** rows a `format=png` picture draws at most (the rest are in the CSV) */
        maxRows: int(env, 'LEADERBOARD_IMAGE_MAX_ROWS', 25, 1, 100),
        /** `format=png` pictures drawn at once per process; beyond that the route answers 429 RATE_LIMITED with Retry-After: 1 */
        maxConcurrent: int(env, 'LEADERBOARD_IMAGE_MAX_CONCURRENT', 2, 1, 64),
      },
    },
  };
}

/** The HTTP and WebSocket edge: body and frame bounds, CORS, slow clients. */
function edgeConfig(env: Env) {
  const http = {
    /** largest HTTP request body on every route, `/matchmake/*` included: 413 from the Content-Length, or as a streamed body passes it */
    maxBodyBytes: int(env, 'HTTP_MAX_BODY_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    /** deepest object/array nesting accepted in a JSON body; deeper gets 400 before parsing */
    maxJsonDepth: int(env, 'HTTP_MAX_JSON_DEPTH', 32, 8, 512),
    /**
     * origins whose browser pages may call the HTTP API: exact `scheme://host[:port]`, comma-separated (with credentials), or `*` alone (without)
     * @default unset: same-origin only
     */
    corsOrigins: origins(env, 'CORS_ORIGINS'),
    /** `true` behind a proxy that appends the client's address to `X-Forwarded-For`, which the per-address limits then count; never without one */
    trustForwardedFor: bool(env, 'HTTP_TRUST_FORWARDED_FOR', false),
    // Slow-client bounds of the ws transport's HTTP server (uWS closes slow requests at ~10 s on its own).
    /** ws transport: a connection whose request headers have not all arrived within this is closed (slowloris); at most HTTP_REQUEST_TIMEOUT_MS */
    headersTimeoutMs: int(env, 'HTTP_HEADERS_TIMEOUT_MS', 10_000, 500, 600_000),
    /** ws transport: a request whose body has not all arrived within this is closed (slow bodies) */
    requestTimeoutMs: int(env, 'HTTP_REQUEST_TIMEOUT_MS', 30_000, 500, 3_600_000),
  };
  bounded('HTTP_HEADERS_TIMEOUT_MS', http.headersTimeoutMs, '≤', 'HTTP_REQUEST_TIMEOUT_MS', http.requestTimeoutMs, 'the headers arrive within the request');
  return {
    http,
    /** largest WebSocket frame a client may send; a larger one closes that client's connection (`ws`: 1009, uWS: 1006) */
    wsMaxMessageBytes: int(env, 'WS_MAX_MESSAGE_BYTES', 64 * 1024, 1024, 16 * 1024 * 1024),
    /** uWS: bytes queued for one slow client before further frames to it are dropped or the socket is closed */
    wsMaxBackpressureBytes: int(env, 'WS_MAX_BACKPRESSURE_BYTES', 1024 * 1024, 16 * 1024, 256 * 1024 * 1024),
    /** uWS: close a client past `WS_MAX_BACKPRESSURE_BYTES` (it rejoins with a full state) instead of dropping frames, which would leave its state wrong */
    wsCloseOnBackpressure: bool(env, 'WS_CLOSE_ON_BACKPRESSURE', true),
  };
}

/** Without Redis this process is the only one: with its rooms off, nothing could host a room. */
function roomsEnabled(env: Env, redisUrl: string | undefined): boolean {
  /**
   * `false`: this process hosts no rooms (jobs, HTTP API, admin, ops and metrics only); its matchmaking requests create rooms on room processes (503
   * `NO_ROOM_PROCESS` when none is up). Needs `REDIS_URL`; see OPERATIONS.md "A jobs process"
   */
  const enabled = bool(env, 'ROOMS_ENABLED', true);
  if (!enabled && !redisUrl) {
    throw new ConfigError(
      'ROOMS_ENABLED',
      'is false but REDIS_URL is not set: a process without Redis is the only one, so no process would host rooms. Run a process without rooms (jobs and the HTTP edge only) next to room processes on their Redis: set the same REDIS_URL, REDIS_PREFIX and AUTH_SECRET as theirs; or unset ROOMS_ENABLED.',
    );
  }
  return enabled;
}

/** Defaults, then environment, validated. Throws {@link ConfigError} naming the variable and the fix. */
export function loadConfig(env: Env = process.env) {
  /** Redis URL: processes on the same one share rooms, limits and caches @default unset: one process, nothing shared */
  const redisUrl = url(env, 'REDIS_URL', ['redis:', 'rediss:']);
  return {
    /** HTTP + WebSocket port */
    port: int(env, 'PORT', 2567, 0, 65535),
    /** Interface the HTTP and WebSocket server binds. */
    host: text(env, 'HOST', '0.0.0.0'),
    /** `uws` (uWebSockets.js) or `ws` (pure JS). `uws` falls back to `ws` with a warning when the native binary cannot load */
    transport: oneOf(env, 'TRANSPORT', TRANSPORTS, 'uws'),
    databaseUrl: databaseUrl(env),
    /** Where the embedded PostgreSQL keeps its data when DATABASE_URL is unset (kept across restarts). */
    embeddedDataDir: text(env, 'EMBEDDED_PG_DIR', '.data/postgres'),
    /** Port of the embedded PostgreSQL when DATABASE_URL is unset. */
    embeddedPort: int(env, 'EMBEDDED_PG_PORT', 54329, 1024, 65535),
    redisUrl,
    /** prefix of every Redis key and channel of ours: processes with another prefix never share rooms or boards */
    redisPrefix: prefix(env, 'REDIS_PREFIX', 'ds:'),
    /** this process's public `host:port`; required per process when several share Redis @default unset */
    publicAddress: optionalText(env, 'PUBLIC_ADDRESS'),
    /**
     * the admin and monitor surfaces' token (≥ 16 chars; off without it), also a service token for ingest on behalf of any user
     * @default unset: admin surfaces off
     * @group ops
     */
    adminToken: optionalString(env, 'ADMIN_TOKEN', 16),
    /**
     * with ADMIN_TOKEN unset: the admin token kept in this file (mode 0600), generated on first boot, so /ops works on a laptop
     * @default unset (npm start: .data/admin-token)
     * @group ops
     */
    adminTokenFile: optionalText(env, 'ADMIN_TOKEN_FILE'),
    /** pino level */
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    /**
     * with `REDIS_URL`, which process creates a new room: `local`, the one that took the request unless it holds 10 % + 50 rooms over the least loaded;
     * `least_rooms`, Colyseus' rule, the one with the fewest rooms
     */
    roomPlacement: oneOf(env, 'ROOM_PLACEMENT', ['local', 'least_rooms'] as const, 'local'),
    roomsEnabled: roomsEnabled(env, redisUrl),
    /** named prepared statements kept per connection for the hand-written SQL; 0 = inlined (e.g. behind PgBouncer in transaction mode before 1.21) */
    dbPreparedStatements: int(env, 'DB_PREPARED_STATEMENTS', 500, 0, 10_000),
    /** connections of the server's ORM pool: every query but the passport writer's COPY batches (`PASSPORT_FLUSH_CONCURRENCY` connections of their own) */
    dbPoolMax: int(env, 'DB_POOL_MAX', 10, 1, 1000),
    /** how long SIGTERM/SIGINT may take to refuse HTTP, end the sessions and drain the passport writer before exiting 1 (under Docker's 10 s grace) */
    shutdownTimeoutMs: int(env, 'SHUTDOWN_TIMEOUT_MS', 8000, 1000, 120_000),
    ...roomTiming(env),
    passport: passportConfig(env),
    ...boardsConfig(env, redisUrl),
    /** station snapshot cache TTL @group catalog */
    stationCacheTtlSec: int(env, 'STATION_CACHE_TTL_SEC', 600, 1, 86_400),
    /**
     * station snapshots (and orbs per artist captures look up) in the in-process LRU in front of the shared Redis cache
     * @group catalog
     */
    stationCacheMaxEntries: int(env, 'STATION_CACHE_MAX_ENTRIES', 1000, 10, 1_000_000),
    /** @group analytics */
    adminMetrics: {
      /** how long a `GET /api/admin/metrics` answer is reused per range (0 = always recompute) */
      cacheTtlMs: int(env, 'ADMIN_METRICS_CACHE_TTL_MS', 30_000, 0, 3_600_000),
      /** ranges whose answer is cached at once; the oldest is evicted */
      cacheMaxEntries: int(env, 'ADMIN_METRICS_CACHE_MAX_ENTRIES', 32, 1, 1000),
      /** longest a station visit counts in the top artists' `avg_time_spent`, so an app left open on one station is not hours of listening */
      dwellCapSeconds: int(env, 'ADMIN_METRICS_DWELL_CAP_SEC', 1800, 10, 86_400),
    },
    /** @group analytics */
    apiStats: {
      /** how often each process adds its API request counts and latencies per route pattern to `api_request_stats` (the API tables' lag) */
      flushMs: int(env, 'API_STATS_FLUSH_MS', 60_000, 50, 3_600_000),
      /** route patterns a process keeps per flush; more are counted as one `(other routes)` row */
      maxRoutes: int(env, 'API_STATS_MAX_ROUTES', 200, 1, 10_000),
      /** minute buckets of `api_request_stats` are kept this long; a longer range reads hour buckets */
      minuteRetentionHours: int(env, 'API_STATS_MINUTE_RETENTION_HOURS', 72, 1, 720),
      /** hour buckets of `api_request_stats` are kept this long */
      hourRetentionDays: int(env, 'API_STATS_HOUR_RETENTION_DAYS', 90, 1, 3650),
    },
    /** @group journal */
    journal: {
      /** constellation journals kept per process (LRU, one per user); the least recently used is evicted and rebuilt on its next read */
      cacheMaxEntries: int(env, 'JOURNAL_CACHE_MAX_ENTRIES', 10_000, 10, 1_000_000),
      /** a cached journal's lifetime (a capture drops it in every process; this bounds a lost message) */
      cacheTtlSec: int(env, 'JOURNAL_CACHE_TTL_SEC', 300, 1, 86_400),
      /** stars one share snapshot may hold; a bigger constellation gets 409 with a message */
      maxShareStars: int(env, 'JOURNAL_MAX_SHARE_STARS', 5000, 10, 100_000),
      /** `direct_user` shares one user may send per hour (429 `RATE_LIMITED` beyond) */
      directSharesPerHour: int(env, 'JOURNAL_DIRECT_SHARES_PER_HOUR', 20, 1, 10_000),
      /** share preview pictures (`/api/shared/:id/preview.png`) kept rendered per process (LRU) */
      previewCacheEntries: int(env, 'JOURNAL_PREVIEW_CACHE_ENTRIES', 200, 1, 100_000),
      /** with `REDIS_URL`: captures' journal invalidations are gathered this long into one PUBLISH to the other processes (0 = one per capture) */
      invalidationBatchMs: int(env, 'JOURNAL_INVALIDATION_BATCH_MS', 50, 0, 5000),
      /** users gathered at most per invalidation PUBLISH; reaching it publishes at once */
      invalidationBatchMax: int(env, 'JOURNAL_INVALIDATION_BATCH_MAX', 500, 1, 10_000),
    },
    /** @group auth */
    auth: {
      secret: authSecret(env, redisUrl),
      /** where the generated key is kept (mode 0600) when `AUTH_SECRET` is unset; delete it to invalidate every token */
      secretFile: text(env, 'AUTH_SECRET_FILE', '.data/auth-secret'),
      /** access-token lifetime: short, as refresh tokens carry the long session */
      accessTtlSec: int(env, 'AUTH_ACCESS_TTL_SEC', 900, 30, 86_400),
      /** refresh-token lifetime; each refresh rotates it, and a reused one revokes the device (its live sessions close 4401 `DEVICE_REVOKED`) */
      refreshTtlDays: int(env, 'AUTH_REFRESH_TTL_DAYS', 30, 1, 365),
      /** devices remembered as existing (LRU) once a token naming them was checked against the database */
      deviceCacheEntries: int(env, 'AUTH_DEVICE_CACHE_ENTRIES', 100_000, 1, 10_000_000),
      /** how long a device is trusted to exist before it is read again; bounds a revocation message lost while Redis is away */
      deviceCacheTtlMs: int(env, 'AUTH_DEVICE_CACHE_TTL_MS', 60_000, 0, 86_400_000),
    },
    ...edgeConfig(env),
    /** @group ops */
    ops: {
      /** recent log lines (secrets redacted) each process keeps for `GET /api/ops/logs`; 0 = off */
      logTailLines: int(env, 'LOG_TAIL_LINES', 1000, 0, 100_000),
      /** hours of the /ops chart kept in Postgres (`ops_history`, one point a minute per process), so it survives restarts */
      historyHours: int(env, 'OPS_HISTORY_HOURS', 48, 1, 24 * 31),
      /** how often each process samples its figures for /ops and publishes its heartbeat (5 samples old: gone) */
      sampleMs: int(env, 'OPS_MONITOR_SAMPLE_MS', 1000, 100, 60_000),
      /** minutes of the per-sample cluster history each process keeps in memory for the /ops charts */
      historyMinutes: int(env, 'OPS_MONITOR_HISTORY_MINUTES', 60, 1, 60),
      /** the window the /ops rates (room messages, errors, connections, HTTP requests per second) are averaged over */
      ratesWindowMs: int(env, 'OPS_RATES_WINDOW_MS', 60_000, 1000, 3_600_000),
      /** how far back, by event time, the ops user page's live activity feed looks */
      activityWindowSec: int(env, 'OPS_ACTIVITY_WINDOW_SEC', 600, 10, 86_400),
    },
    ...backgroundConfig(env),
    /** @group mediaid */
    dna: {
      /** floats per DNA domain vector (4 domains); a change makes stored profiles start over */
      dims: int(env, 'DNA_DIMS', 32, 4, 512),
      /** carbon decay: a mirrored signal weighs half after this many days */
      halfLifeDays: float(env, 'DNA_HALF_LIFE_DAYS', 30, 0.5, 3650),
      /** weight of the MediaID bases against mirrored behaviour (a fresh play weighs 1) */
      baseWeight: float(env, 'DNA_BASE_WEIGHT', 5, 0, 1000),
      /** passport rows per mirroring transaction */
      batchSize: int(env, 'DNA_BATCH_SIZE', 5000, 100, 100_000),
      /** batches per `dna_mirroring` run (the rest waits for the next run) */
      maxBatchesPerRun: int(env, 'DNA_MAX_BATCHES_PER_RUN', 50, 1, 10_000),
      /** the mirroring job's schedule, or `off` */
      schedule: cron(env, 'JOB_CRON_DNA_MIRRORING', '* * * * *'),
      /** users in the in-process match index (~512 B each at 32 dims; beyond it users are left out and the API says `truncated`) */
      indexMaxUsers: int(env, 'DNA_INDEX_MAX_USERS', 200_000, 1, 5_000_000),
      /** the match index's rebuild age */
      indexTtlSec: int(env, 'DNA_INDEX_TTL_SEC', 60, 1, 86_400),
      /** profiles read per statement while the match index loads (fewer round trips against a larger result held at once) */
      indexPageSize: int(env, 'DNA_INDEX_PAGE_SIZE', 5000, 100, 100_000),
      /** newest passport events a manual recompute replays */
      recomputeMaxEvents: int(env, 'DNA_RECOMPUTE_MAX_EVENTS', 50_000, 1, 1_000_000),
      /** rows of one passport export (JSON lines; a last line says when it was cut) */
      exportMaxRows: int(env, 'DNA_EXPORT_MAX_ROWS', 50_000, 1, 1_000_000),
      /** DNA snapshots kept per user for DIA's evolution timeline; each new one deletes those past it */
      historyMaxPerUser: int(env, 'DNA_HISTORY_MAX_PER_USER', 100, 2, 10_000),
      /** the mirroring job snapshots a user's DNA at most this often (0 = every batch that evolves it); a manual recompute always does */
      historyMinIntervalSec: int(env, 'DNA_HISTORY_MIN_INTERVAL_SEC', 3600, 0, 30 * 86_400),
      /** DNA snapshots older than this are deleted by the `cleanup` job */
      historyRetentionDays: int(env, 'DNA_HISTORY_RETENTION_DAYS', 365, 1, 3650),
    },
    /** @group reports */
    reports: {
      /** listeners whose DNA one report analyses (the rest are counted, not analysed: `audienceCapped`) */
      maxListeners: int(env, 'REPORT_MAX_LISTENERS', 20_000, 1, 1_000_000),
      /** longest report range (400 above it) */
      maxRangeDays: int(env, 'REPORT_MAX_RANGE_DAYS', 366, 1, 3660),
      /** default lifetime of a report's share link */
      shareTtlHours: int(env, 'REPORT_SHARE_TTL_HOURS', 168, 1, 8760),
      /** largest lifetime a report's share link may ask for */
      maxShareTtlHours: int(env, 'REPORT_MAX_SHARE_TTL_HOURS', 720, 1, 8760),
      /** audience clusters per report */
      clusters: int(env, 'REPORT_CLUSTERS', 3, 1, 10),
      /** most cities in one tournament report; "all cities" takes this many of the range's most engaged */
      tournamentMaxCities: int(env, 'REPORT_TOURNAMENT_MAX_CITIES', 16, 2, 64),
    },
    /** @group discovery */
    discovery: {
      search: {
        /** search candidates cached per process (LRU) per (query, limit), whoever asked; the caller's stars are applied on every search */
        cacheEntries: int(env, 'SEARCH_CACHE_ENTRIES', 1000, 10, 1_000_000),
        /** how long cached search candidates are used */
        cacheTtlSec: int(env, 'SEARCH_CACHE_TTL_SEC', 60, 1, 3600),
        /** largest `limit` of `GET /api/search` and the `search` message (above: 400 / `BAD_INPUT` naming `limit`) */
        maxLimit: int(env, 'SEARCH_MAX_LIMIT', 50, 1, 200),
        /** factor on a result whose decade is one of the caller's stars' decades, on top of the ×1.2 genre boost (1 = off) */
        eraBoost: float(env, 'SEARCH_ERA_BOOST', 1, 1, 2),
      },
      recommendations: {
        /** users waiting for a recomputation after a capture (off the rooms' tick); when full the oldest is dropped and counted */
        maxPending: int(env, 'RECOMMENDATION_QUEUE_MAX', 1000, 1, 1_000_000),
        /** users recomputed at once per process (those of a 1 s window share their three statements) */
        concurrency: int(env, 'RECOMMENDATION_CONCURRENCY', 64, 1, 64),
        /** least time between two recomputations of one user's list; captures meanwhile fold into one (0 = one per capture) */
        minIntervalMs: int(env, 'RECOMMENDATION_MIN_INTERVAL_MS', 30_000, 0, 86_400_000),
      },
    },
    ...limitsConfig(env),
    /** @group handoff */
    handoff: {
      /** how long a session's snapshot is kept after its last change: a session whose process went away can be restored this long */
      snapshotTtlSec: int(env, 'SESSION_SNAPSHOT_TTL_SEC', 7200, 60, 7 * 86_400),
      /** life of a resume credential; past it the client gets its session back from its row, without the live state */
      credentialTtlSec: int(env, 'RESUME_CREDENTIAL_TTL_SEC', 86_400, 60, 30 * 86_400),
      /** sessions a process restores at once when clients resume; the rest wait in a queue of `RESUME_QUEUE_MAX` */
      resumeConcurrency: int(env, 'RESUME_CONCURRENCY', 16, 1, 10_000),
      /** resumes waiting per process; past it the join is refused `RESUME_BUSY` with `retryAfterMs` */
      resumeQueueMax: int(env, 'RESUME_QUEUE_MAX', 2000, 0, 1_000_000),
      /** a drained client's random delay before joining again spreads over this much per session moving at once (a ramp, not a burst) */
      moveSpreadPerSessionMs: int(env, 'HANDOFF_SPREAD_PER_SESSION_MS', 1, 0, 1000),
      /** the longest a drained client is told to wait before joining again (see `HANDOFF_SPREAD_PER_SESSION_MS`) */
      moveSpreadMaxMs: int(env, 'HANDOFF_SPREAD_MAX_MS', 500, 0, 60_000),
      /** with Redis, sessions between their `moving` and their `resumed` elsewhere at most (0 = all at once; past half of `SHUTDOWN_TIMEOUT_MS` all go) */
      movesInFlight: int(env, 'HANDOFF_MOVES_IN_FLIGHT', 32, 0, 100_000),
      /** a moved session not reported resumed within this frees its place */
      arrivalWaitMs: int(env, 'HANDOFF_ARRIVAL_WAIT_MS', 2000, 100, 60_000),
    },
    ...livenessConfig(env),
    /** @group payments */
    payments: {
      /** the payment webhook's HMAC-SHA256 secret; set, clients can no longer claim `treasury.purchase_completed`; unset, the webhook answers 503 */
      webhookSecret: optionalString(env, 'PAYMENT_WEBHOOK_SECRET', 16),
      /** how far a `Payment-Signature` timestamp may be from our clock before 400 `SIGNATURE_EXPIRED` (no replays) */
      toleranceSec: int(env, 'PAYMENT_WEBHOOK_TOLERANCE_SEC', 300, 1, 3600),
      /** largest webhook body; a bigger one is refused 413 `PAYLOAD_TOO_LARGE` before it is read */
      maxBodyBytes: int(env, 'PAYMENT_WEBHOOK_MAX_BODY_BYTES', 65_536, 1024, 1_048_576),
    },
    /** @group links */
    links: {
      /** a share link counts opens for this many days; after it, `/l/{linkId}` still redirects */
      ttlDays: int(env, 'LINK_TTL_DAYS', 90, 1, 3650),
      /** share links one user may make per hour before `RATE_LIMITED` */
      perUserPerHour: int(env, 'LINKS_PER_USER_PER_HOUR', 60, 1, 100_000),
      /** opens counted per link per hour; past it `/l/{linkId}` redirects uncounted */
      opensPerLinkPerHour: int(env, 'LINK_OPENS_PER_LINK_PER_HOUR', 1000, 1, 10_000_000),
      /** opens counted per client address per hour, across links (keyed on a daily hash of the address); past it uncounted */
      opensPerAddressPerHour: int(env, 'LINK_OPENS_PER_ADDRESS_PER_HOUR', 120, 1, 10_000_000),
    },
    ...notificationsConfig(env),
    /** @group social */
    friends: {
      /** friends plus friend requests sent, per user; one more is refused (`POST /api/friends/{userId}` 409 `CONFLICT`) */
      max: int(env, 'FRIENDS_MAX', 500, 1, 100_000),
      /** new friend requests one user may send per hour (429 `RATE_LIMITED` beyond); accepting a request does not count */
      requestsPerHour: int(env, 'FRIEND_REQUESTS_PER_HOUR', 30, 1, 100_000),
    },
    /** @group social */
    ride: {
      /** riders one ride takes besides its host; one more gets join code 4429 `RIDE_FULL` */
      maxRiders: int(env, 'RIDE_MAX_RIDERS', 32, 1, 1000),
      /** a ride invite code works this long; `ride_invite` makes a new one (the old one stops working) */
      inviteTtlSec: int(env, 'RIDE_INVITE_TTL_SEC', 6 * 3600, 60, 7 * 86_400),
      /** reactions one ride member may send per 10 s (a burst of that many); beyond, `error` `RATE_LIMITED` and nothing is shown */
      reactionsPer10s: int(env, 'RIDE_REACTIONS_PER_10S', 10, 1, 1000),
      /** invite codes one user may look up without finding a ride per minute (429 beyond), against guessing */
      lookupsPerMinute: int(env, 'RIDE_LOOKUPS_PER_MINUTE', 20, 1, 100_000),
    },
  };
}

/** The config with secrets masked, for the boot log line: which are set, or where the boot will find them (src/auth/secretFile.ts). */
export function describeConfig(config: Config): Record<string, unknown> {
  const { apns, webPush } = config.notifications.push;
  return {
    ...config,
    databaseUrl: config.databaseUrl ? redact(config.databaseUrl) : `embedded (${config.embeddedDataDir})`,
    redisUrl: config.redisUrl ? redact(config.redisUrl) : 'none (local presence)',
    adminToken: config.adminToken
      ? 'set'
      : config.adminTokenFile
        ? `from ADMIN_TOKEN_FILE ${config.adminTokenFile} (generated there if absent)`
        : 'unset (admin surfaces disabled)',
    auth: { ...config.auth, secret: config.auth.secret ? 'set' : `from AUTH_SECRET_FILE ${config.auth.secretFile} (generated there if absent)` },
    payments: { ...config.payments, webhookSecret: config.payments.webhookSecret ? 'set' : 'unset (payment webhook off)' },
    assets: { ...config.assets, webhook: { ...config.assets.webhook, secret: config.assets.webhook.secret ? 'set' : 'unset (webhook off)' } },
    notifications: {
      ...config.notifications,
      push: {
        ...config.notifications.push,
        apns: apns ? { ...apns, keyFile: 'set' } : 'unset (APNs off)',
        webPush: webPush ? { ...webPush, privateKey: 'set' } : 'unset (Web Push off)',
      },
    },
  };
}
