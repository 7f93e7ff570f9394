import { ConfigError } from '../errors.js';
import { bool, cron, float, int, note, oneOf, optionalString, optionalText, prefix, redact, text, url, type Env } from './parse.js';
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
  note({ name, kind: 'origins', fallback: '' });
  const raw = (env[name] ?? '').trim();
  if (raw === '') return [];
  if (raw === '*') return '*';
  return raw.split(',').map((entry) => {
    const origin = entry.trim();
    if (origin === '*') throw new ConfigError(name, '"*" must stand alone (it allows every origin, without credentials); list exact origins otherwise.');
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
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

/** AUTH_SECRET: required with REDIS_URL, since every process must verify the tokens any other one signed. @group auth */
function authSecret(env: Env, redisUrl: string | undefined): string | undefined {
  /**
   * ≥ 32 chars; HS256 key of access tokens. Unset: generated once into `AUTH_SECRET_FILE` (one process). **Required with `REDIS_URL`** (every process must
   * verify every token): the same value in every process, e.g. `openssl rand -base64 48`
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

/**
 * Flush interval of leaderboard buckets no spectator watches: 1 s with Redis, where each flush costs a ZINCRBY
 * per key and bucket (2.5× fewer Redis commands per session than every bucket every 250 ms: docs/benchmarks-archive.md
 * "Redis commands of the leaderboard path"); locally the same as LEADERBOARD_FLUSH_MS (an in-memory write costs little).
 * @group leaderboard
 */
function leaderboardUnwatchedFlushMs(env: Env, flushMs: number, redisUrl: string | undefined): number {
  /**
   * least time between flushes of the leaderboard buckets no spectator watches (at least `LEADERBOARD_FLUSH_MS`, up to 60000). Each coliseum's broadcaster
   * announces the bucket groups its rooms read: the hour bucket for the `hour` window, the day and all-time buckets for the others; with Redis through
   * `<prefix>lb:watched` pub/sub, re-announced every 5 s and forgotten 15 s after a process goes silent. A watched group is written every
   * `LEADERBOARD_FLUSH_MS` for every board, the other is held (merged per key within the pending bound) and written every `LEADERBOARD_UNWATCHED_FLUSH_MS`,
   * or at the next flush once someone watches it. So an HTTP read in a window no coliseum shows can be this far behind, and for its first 5 s a process
   * takes everything as watched (it has not heard the others yet). A leaderboard reset from /ops can meet increments held from before it, as it can meet a
   * flush already under way. Measured at 1,500 sessions: Redis commands per session-second 0.48 → 0.19 without spectators, 0.59 → 0.44 with 100
   * (docs/benchmarks-archive.md "Leaderboards nobody watches", held per board and group). Held per group only, a feeder-only replay (140 visits/s and 65
   * captures/s over 300 artists, one process on Redis) sent 369 commands/s nobody watching and 552 with the default boards watched, against 373 / 568 per
   * board and group and 609 / 638 with nothing held
   * @default 1000 with REDIS_URL, else LEADERBOARD_FLUSH_MS
   */
  const ms = int(env, 'LEADERBOARD_UNWATCHED_FLUSH_MS', Math.max(flushMs, redisUrl ? 1000 : flushMs), 5, 60_000);
  if (ms < flushMs)
    throw new ConfigError(
      'LEADERBOARD_UNWATCHED_FLUSH_MS',
      `${ms} is below LEADERBOARD_FLUSH_MS (${flushMs}): boards nobody watches are written at most as often as watched ones. Set it to at least ${flushMs}, or lower LEADERBOARD_FLUSH_MS.`,
    );
  return ms;
}

const divisors = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1).filter((d) => n % d === 0);

/** Room timing and per-client rates: the session room's step, patches and input limits. @group session */
function roomTiming(env: Env) {
  /** room simulation steps per second */
  const simHz = int(env, 'SIM_HZ', 20, 1, 120);
  /** patches per second; must divide `SIM_HZ` (patches go out every whole number of steps; a step with no change sends nothing) @default SIM_HZ */
  const patchHz = int(env, 'PATCH_HZ', simHz, 1, 120);
  if (patchHz > simHz) throw new ConfigError('PATCH_HZ', `${patchHz} is above SIM_HZ (${simHz}). Set PATCH_HZ to at most ${simHz}, or raise SIM_HZ.`);
  if (simHz % patchHz !== 0)
    throw new ConfigError(
      'PATCH_HZ',
      `${patchHz} does not divide SIM_HZ (${simHz}): a patch goes out every whole number of steps. Use one of: ${divisors(simHz).join(', ')}.`,
    );
  /** one shared timer steps every session room; rooms are spread over this many slots so the work comes in small slices (`SIM_HZ × TICK_PHASES` ≤ 1000) */
  const tickPhases = int(env, 'TICK_PHASES', 4, 1, 20);
  /** one room step in this many is timed for `ds_room_tick_duration_seconds` (each timing is a histogram observation on the hot path; 1 times every step) */
  const tickSampleEvery = int(env, 'TICK_SAMPLE_EVERY', 8, 1, 1000);
  if (simHz * tickPhases > 1000)
    throw new ConfigError(
      'TICK_PHASES',
      `SIM_HZ × TICK_PHASES = ${simHz * tickPhases} firings/s; keep it at most 1000 (TICK_PHASES ≤ ${Math.floor(1000 / simHz)} at SIM_HZ ${simHz}).`,
    );
  /**
   * messages per second per client (any type, both rooms) before `RATE_LIMITED`; one such reply and one log line per client per `CLIENT_NOTICE_INTERVAL_MS`
   * (1000), the rest dropped silently
   */
  const clientMessageRatePerSec = int(env, 'CLIENT_MESSAGE_RATE', 30, 1, 10_000);
  /** messages per second after which the client is disconnected (a flood) @default max(200, 4 × CLIENT_MESSAGE_RATE) */
  const clientDisconnectRatePerSec = int(env, 'CLIENT_DISCONNECT_RATE', Math.max(200, clientMessageRatePerSec * 4), 2, 100_000);
  if (clientDisconnectRatePerSec <= clientMessageRatePerSec) {
    throw new ConfigError(
      'CLIENT_DISCONNECT_RATE',
      `${clientDisconnectRatePerSec} must be above CLIENT_MESSAGE_RATE (${clientMessageRatePerSec}): clients over the message rate get RATE_LIMITED replies, only floods past this rate are disconnected.`,
    );
  }
  return {
    simHz,
    patchHz,
    tickPhases,
    tickSampleEvery,
    /** send a session's patch right after each client input instead of at the next patch step (p99 swipe → patch ≈ network time instead of up to 50 ms) */
    patchOnInput: bool(env, 'PATCH_ON_INPUT', true),
    /**
     * `json`: session rooms also broadcast their whole state as JSON every patch step — the naive baseline the load test compares patch bytes with; never in
     * production
     */
    patchBaseline: oneOf(env, 'PATCH_BASELINE', ['off', 'json'] as const, 'off'),
    /** how long a dropped session client may reconnect */
    reconnectWindowSec: int(env, 'RECONNECT_WINDOW_SEC', 30, 0, 3600),
    clientMessageRatePerSec,
    clientDisconnectRatePerSec,
    /** At most one RATE_LIMITED reply and one log line per misbehaving client per this interval; the other refused messages are dropped silently. */
    clientNoticeIntervalMs: int(env, 'CLIENT_NOTICE_INTERVAL_MS', 1000, 10, 600_000),
    /**
     * the size of each room's two state-encoding buffers (@colyseus/schema's `Encoder.BUFFER_SIZE`, 16 KB upstream). A session's full state is under 2 KB (8
     * orbs), so 4 KB holds it with room to spare; a room whose state is larger must size its own (the coliseum room does, from its boards and rows): the
     * serializer does not keep a full-state buffer the encoder grew, so a too-small one is grown again, with a warning, on every join. Memory per idle
     * session: BENCHMARKS.md "Memory per session"
     */
    // Each room holds two encode buffers of this size; Colyseus's 16 KB were 32 KB of a session's ~75 KB heap.
    schemaBufferBytes: int(env, 'SCHEMA_BUFFER_BYTES', 4096, 1024, 1_048_576),
    session: {
      /**
       * an open session's counters (interactions, captures, orbs…) are written to its row on a lock at most this often (0 = every lock), so /ops and DIA show
       * live counts, not 0 until it ends
       */
      // One save per active session every 30 s (1,000 sessions ≈ 33 saves/s), gathered into one UPDATE per batch below.
      countersSaveMs: int(env, 'SESSION_COUNTERS_SAVE_MS', 30_000, 0, 3_600_000),
      ...counterBatchConfig(env),
      /** captures queued per session; more are answered `BUSY` (retry after a `captured`) */
      maxCapturesInFlight: int(env, 'SESSION_MAX_CAPTURES_IN_FLIGHT', 5, 1, 100),
      /** artists kept in a session's discovery path (star placement reads it); the oldest drop out */
      maxVisitedPath: int(env, 'SESSION_MAX_VISITED_PATH', 50, 2, 100),
    },
  };
}

/** @group session */
function counterBatchConfig(env: Env) {
  /**
   * counter saves of all the process's sessions (open and ending) are gathered this long into one UPDATE (0–10,000; 0 = at once, still one statement for what
   * waits while the previous one runs). One statement at a time; shutdown writes what waits before the database closes
   */
  // One statement for all the sessions' saves of 200 ms: an ending session's row is at most that late.
  const countersBatchMs = int(env, 'SESSION_COUNTERS_BATCH_MS', 200, 0, 10_000);
  /** saves per UPDATE (1–10,000); this many waiting start it at once. How many may wait at most is `SESSION_COUNTERS_BATCH_WAITING_MAX` */
  const countersBatchMax = int(env, 'SESSION_COUNTERS_BATCH_MAX', 500, 1, 10_000);
  /**
   * counter saves that may wait for their UPDATE (default 20 × `SESSION_COUNTERS_BATCH_MAX`; at least that maximum). Past it a save fails with an error in
   * the log and counts in `ds_statement_batch_items_total{outcome="refused"}`, never silently: the database is then far slower than the saves arrive
   */
  // Twenty statements' worth: with one save per session per 30 s, 10,000 waiting saves mean the database is minutes behind.
  const countersBatchWaitingMax = int(env, 'SESSION_COUNTERS_BATCH_WAITING_MAX', countersBatchMax * 20, 1, 1_000_000);
  if (countersBatchWaitingMax < countersBatchMax) {
    throw new ConfigError(
      'SESSION_COUNTERS_BATCH_WAITING_MAX',
      `${countersBatchWaitingMax} is below SESSION_COUNTERS_BATCH_MAX (${countersBatchMax}): a full statement's saves must be able to wait. Set it to at least ${countersBatchMax}, or lower SESSION_COUNTERS_BATCH_MAX.`,
    );
  }
  return { countersBatchMs, countersBatchMax, countersBatchWaitingMax };
}

/** @group passport */
function passportConfig(env: Env) {
  /** how often the passport writer flushes its queue */
  const flushIntervalMs = int(env, 'PASSPORT_FLUSH_MS', 200, 1, 60_000);
  return {
    /** events the passport writer queues; when full new events are refused (`BACKPRESSURE`: HTTP 503 + Retry-After, room input answered with an `error`) */
    maxQueue: int(env, 'PASSPORT_MAX_QUEUE', 100_000, 100, 10_000_000),
    /** events per passport write */
    batchSize: int(env, 'PASSPORT_BATCH_SIZE', 1000, 1, 50_000),
    flushIntervalMs,
    /** First delay before a failed passport flush is retried; it doubles per failure up to PASSPORT_MAX_RETRY_MS. */
    baseRetryDelayMs: int(env, 'PASSPORT_RETRY_BASE_MS', 50, 1, 60_000),
    /** Longest delay between two retries of a failed passport flush. */
    maxRetryDelayMs: int(env, 'PASSPORT_MAX_RETRY_MS', 5000, 10, 600_000),
    /**
     * once the oldest queued event has waited this long (Postgres slow or down), new events are refused the same way; bounds what a crash can lose (below)
     * @default 500, or 2 × PASSPORT_FLUSH_MS if more
     */
    // Room telemetry waits for no acknowledgement, so 200 ms windows (fewer statements) cost nothing but lag; 500 ms keeps
    // what a crash can lose at half a second, and a short hiccup above the window (a first flush took 105 ms) refuses nothing.
    maxLagMs: int(env, 'PASSPORT_MAX_LAG_MS', Math.max(500, 2 * flushIntervalMs), 2 * flushIntervalMs, 600_000),
    /** an ingest request waits this long for its commit, then answers 503 `NOT_PERSISTED` (retry with the same eventIds) */
    ackTimeoutMs: int(env, 'PASSPORT_ACK_TIMEOUT_MS', 10_000, 100, 600_000),
    /** Most events one `POST /api/passport/batch` may carry; more get 400 with the count. */
    maxBatchEvents: int(env, 'PASSPORT_MAX_BATCH_EVENTS', 1000, 1, 10_000),
    /**
     * A passport write (COPY or statement) running longer than this is cancelled and the batch retried; a database that hangs cannot hold the writer forever.
     */
    queryTimeoutMs: int(env, 'PASSPORT_QUERY_TIMEOUT_MS', 30_000, 100, 600_000),
    /**
     * passport batches written at once (binary COPY, one Postgres connection each, 1–16); the queued events stay bounded by `PASSPORT_MAX_QUEUE`, in-flight
     * ones included; ids still follow the queue order within a process and commit in id order across processes
     */
    flushConcurrency: int(env, 'PASSPORT_FLUSH_CONCURRENCY', 2, 1, 16),
    /**
     * a batch with fewer events is written as one statement (rows as a JSON parameter: lock, id claims, insert) instead of the binary COPY's four round
     * trips: at a live server's batch sizes (tens to a few hundred events per `PASSPORT_FLUSH_MS`) that costs the server 1.4–4× less CPU per flush; larger
     * batches (a backlog, bulk ingest) take the COPY, which holds the insert lock shorter (0 = always COPY; BENCHMARKS.md "Passport flush cost")
     */
    copyMinEvents: int(env, 'PASSPORT_COPY_MIN_EVENTS', 500, 0, 50_000),
    /**
     * A capture's passport events are written to `passport_outbox` with its star and queued on the writer after the commit; rows still there after this long
     * (their process died before its flush) are queued by any process's outbox drainer, which looks every half of it. Bounds how late the events of a crashed
     * process's captures reach the passport (after its restart, or through another process still running).
     */
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
   * commands per event and more spectator lag: 1000 ms sent 2.4× fewer ZINCRBY than 250 ms at 1,000 sessions, for a spectator lag p95 of 955 ms instead of
   * 251 ms (docs/benchmarks-archive.md, "Redis commands of the leaderboard path")
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
       * how often the rollups (the boards' durable record, a passport cursor consumer) look for new passport rows once caught up (a Local store's rebuild at
       * boot first catches them up with every committed event)
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
/** Slow-client bounds of the ws transport's HTTP server (uWS has its own ~10 s). */
function requestTimeouts(env: Env) {
  /**
   * ws transport: a connection whose request headers have not all arrived within this is closed (slowloris); uWS closes slow requests at ~10 s on its own. At
   * most HTTP_REQUEST_TIMEOUT_MS
   */
  const headersTimeoutMs = int(env, 'HTTP_HEADERS_TIMEOUT_MS', 10_000, 500, 600_000);
  /** ws transport: a request whose body has not all arrived within this is closed (slow bodies) */
  const requestTimeoutMs = int(env, 'HTTP_REQUEST_TIMEOUT_MS', 30_000, 500, 3_600_000);
  // Node refuses a headers timeout above the request timeout: the headers are part of the request.
  if (headersTimeoutMs > requestTimeoutMs)
    throw new ConfigError(
      'HTTP_HEADERS_TIMEOUT_MS',
      `${headersTimeoutMs} is above HTTP_REQUEST_TIMEOUT_MS (${requestTimeoutMs}); the headers arrive within the request. Lower it or raise HTTP_REQUEST_TIMEOUT_MS.`,
    );
  return { headersTimeoutMs, requestTimeoutMs };
}

function edgeConfig(env: Env) {
  return {
    http: {
      /**
       * largest HTTP request body (1 KiB–64 MiB), every route including `/matchmake/*`: a larger Content-Length gets 413 before any byte is read; a chunked
       * or streamed body gets 413 the moment it passes the limit (see "HTTP edge")
       */
      // 1 MiB holds a full passport batch (1,000 events of a few hundred bytes) with room to spare.
      maxBodyBytes: int(env, 'HTTP_MAX_BODY_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
      /** deepest object/array nesting accepted in a JSON body (8–512); deeper gets 400 before parsing */
      maxJsonDepth: int(env, 'HTTP_MAX_JSON_DEPTH', 32, 8, 512),
      /**
       * origins allowed to call the HTTP API from a browser page on another origin: exact `scheme://host[:port]`, comma-separated (they may send credentials,
       * as the Colyseus SDK does), or `*` alone (any origin, never with credentials). Unset: same-origin only, no CORS headers
       * @default unset: same-origin only
       */
      corsOrigins: origins(env, 'CORS_ORIGINS'),
      /**
       * `true` behind a proxy that appends the client's address to `X-Forwarded-For` (the compose nginx entry does): the per-address limits then count that
       * address instead of the proxy's. Never set it where clients reach the server directly: they could name any address
       */
      trustForwardedFor: bool(env, 'HTTP_TRUST_FORWARDED_FOR', false),
      ...requestTimeouts(env),
    },
    /**
     * largest WebSocket frame a client may send (1 KiB–16 MiB). A larger frame closes that client's connection: `ws` closes with 1009 (message too big), uWS
     * drops the socket (the client sees 1006); the room, other clients and the process carry on. Below it, each room message has its own field bounds and
     * gets an `error` reply with a code
     */
    // Room messages are a few hundred bytes; an offline sync batch is the largest (tens of KiB).
    wsMaxMessageBytes: int(env, 'WS_MAX_MESSAGE_BYTES', 64 * 1024, 1024, 16 * 1024 * 1024),
    /** uWS: bytes queued for one slow client before further frames to it are dropped or the socket is closed (16 KiB–256 MiB) */
    // 1 MiB is what @colyseus/uwebsockets-transport sets; a client that far behind is closed and rejoins with a full state.
    wsMaxBackpressureBytes: int(env, 'WS_MAX_BACKPRESSURE_BYTES', 1024 * 1024, 16 * 1024, 256 * 1024 * 1024),
    /**
     * uWS: close a client past `WS_MAX_BACKPRESSURE_BYTES` (it sees 1006, its session is held for reconnection and it rejoins with a full state) instead of
     * silently dropping frames, which would leave its decoded state wrong
     */
    wsCloseOnBackpressure: bool(env, 'WS_CLOSE_ON_BACKPRESSURE', true),
  };
}

/** Without Redis this process is the only one: with its rooms off, nothing could host a room. */
function roomsEnabled(env: Env, redisUrl: string | undefined): boolean {
  /**
   * `false`: this process hosts no rooms; it runs the scheduled jobs (with `JOBS_ENABLED`), the HTTP API, admin, ops and metrics. Room placement never
   * chooses it: only processes that announce themselves as room hosts on Redis are candidates. A matchmaking request it gets is created on a room process
   * (HTTP 503 `NO_ROOM_PROCESS` when none is up). Needs `REDIS_URL` (alone, a process without rooms makes no sense: boot fails). See OPERATIONS.md "A jobs
   * process"
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
  /** with it: Redis presence + driver (several processes share rooms), Redis station cache @default unset: one process, nothing shared */
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
    /** Prefix of every Redis key and channel of ours, and the coliseum matchmaking namespace: processes with another prefix never share rooms or boards. */
    redisPrefix: prefix(env, 'REDIS_PREFIX', 'ds:'),
    /** this process's public `host:port`; required per process when several share Redis @default unset */
    publicAddress: optionalText(env, 'PUBLIC_ADDRESS'),
    /**
     * ≥ 16 chars; guards admin and monitor surfaces (they are off without it); also a service token for ingest on behalf of any user
     * @default unset: admin surfaces off
     * @group ops
     */
    adminToken: optionalString(env, 'ADMIN_TOKEN', 16),
    /**
     * with ADMIN_TOKEN unset: the admin token kept in this file (mode 0600), generated on first boot; the log names the file, never the token. `npm start`
     * sets `.data/admin-token`, so /ops works on a laptop: sign in with the file's content
     * @default unset (npm start: .data/admin-token)
     * @group ops
     */
    adminTokenFile: optionalText(env, 'ADMIN_TOKEN_FILE'),
    /** pino level */
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    /**
     * with `REDIS_URL`: which process creates a new room. `local`: the process that took the matchmaking request, unless it holds more than 10 % + 50 rooms
     * over the least-loaded process (then that one); a join then needs no round trip through Redis to another process. `least_rooms`: Colyseus' rule, always
     * the process with the fewest rooms (about half the joins of two processes cross to the other one). Room counts are read at most once a second
     * (`systems/placement.ts`)
     */
    roomPlacement: oneOf(env, 'ROOM_PLACEMENT', ['local', 'least_rooms'] as const, 'local'),
    roomsEnabled: roomsEnabled(env, redisUrl),
    /**
     * hand-written SQL (the hot paths of `persistence/db.ts`) runs as named prepared statements, parsed and planned once per connection, with its values as
     * parameters: less server and Postgres CPU per statement (docs/benchmarks-archive.md "Micro-benchmarks: prepared statements and promise hooks"). At most
     * this many distinct statements per connection; 0 = every statement inlined into its text, as through the ORM (e.g. behind PgBouncer in transaction mode
     * before 1.21, which cannot keep prepared statements)
     */
    dbPreparedStatements: int(env, 'DB_PREPARED_STATEMENTS', 500, 0, 10_000),
    /** connections of the server's ORM pool: every query but the passport writer's COPY batches (`PASSPORT_FLUSH_CONCURRENCY` connections of their own) */
    dbPoolMax: int(env, 'DB_POOL_MAX', 10, 1, 1000),
    /**
     * SIGTERM/SIGINT: stop taking HTTP (503 `SHUTTING_DOWN` + `Connection: close`), end the sessions, drain the passport writer, stop; exit 1 if that does
     * not finish in time
     */
    // Under Docker's default 10 s stop grace period, with room for the drain.
    shutdownTimeoutMs: int(env, 'SHUTDOWN_TIMEOUT_MS', 8000, 1000, 120_000),
    ...roomTiming(env),
    passport: passportConfig(env),
    ...boardsConfig(env, redisUrl),
    /** station snapshot cache TTL @group catalog */
    stationCacheTtlSec: int(env, 'STATION_CACHE_TTL_SEC', 600, 1, 86_400),
    /**
     * station snapshots in the in-process cache (LRU; with `REDIS_URL` it sits in front of the shared Redis cache, so a warm station costs no Redis round
     * trip); when full the least recently used is evicted and read again on its next miss. After a catalog change, `POST /api/admin/catalog/invalidate`
     * (admin token) empties every process's cache (Redis pub/sub). The same bound and TTL hold the orbs pointing at each artist that captures have looked up
     * (a capture's star placement reads them; emptied with the stations on a catalog change)
     * @group catalog
     */
    stationCacheMaxEntries: int(env, 'STATION_CACHE_MAX_ENTRIES', 1000, 10, 1_000_000),
    /** @group analytics */
    adminMetrics: {
      /** how long a `GET /api/admin/metrics` answer is reused per range (0–3,600,000; 0 = always recompute) */
      // 30 s: the session aggregation job runs every 5 min, so a fresher answer shows nothing new.
      cacheTtlMs: int(env, 'ADMIN_METRICS_CACHE_TTL_MS', 30_000, 0, 3_600_000),
      /** ranges whose answer is cached at once (1–1000); the oldest is evicted */
      cacheMaxEntries: int(env, 'ADMIN_METRICS_CACHE_MAX_ENTRIES', 32, 1, 1000),
      /**
       * `avg_time_spent` of the top artists: a station visit lasts until the session's next visit or its end, at most this many seconds (10–86,400; 1800 = 30
       * min), so an app left open on one station does not count as hours of listening
       */
      dwellCapSeconds: int(env, 'ADMIN_METRICS_DWELL_CAP_SEC', 1800, 10, 86_400),
    },
    /** @group analytics */
    apiStats: {
      /**
       * how often each process adds its API request counts, errors and latency histograms per route pattern to `api_request_stats` (the per-range API table
       * of `/api/admin/metrics` and /ops); the range figures lag by at most this (50–3,600,000)
       */
      flushMs: int(env, 'API_STATS_FLUSH_MS', 60_000, 50, 3_600_000),
      /**
       * route patterns a process keeps per flush (1–10,000); more are counted as one `(other routes)` row. Endpoints are route patterns (`GET
       * /api/stations/:frequency`), never raw paths, and unknown paths are not counted, so a client cannot grow the table
       */
      maxRoutes: int(env, 'API_STATS_MAX_ROUTES', 200, 1, 10_000),
      /** minute buckets of `api_request_stats` are kept this long (1–720 h); a range up to it reads minute buckets, a longer one hour buckets */
      minuteRetentionHours: int(env, 'API_STATS_MINUTE_RETENTION_HOURS', 72, 1, 720),
      /** hour buckets of `api_request_stats` are kept this long (1–3650 days; 90 = the longest range) */
      hourRetentionDays: int(env, 'API_STATS_HOUR_RETENTION_DAYS', 90, 1, 3650),
    },
    /** @group journal */
    journal: {
      /** constellation journals kept per process (LRU, one per user); the least recently used is evicted and rebuilt on its next read */
      cacheMaxEntries: int(env, 'JOURNAL_CACHE_MAX_ENTRIES', 10_000, 10, 1_000_000),
      /**
       * a cached journal's lifetime. A capture drops the user's journal at once in this process and, with `REDIS_URL`, in every other one (pub/sub); the TTL
       * bounds staleness if that message is lost
       */
      cacheTtlSec: int(env, 'JOURNAL_CACHE_TTL_SEC', 300, 1, 86_400),
      /** stars one share snapshot may hold; a bigger constellation gets 409 with a message */
      maxShareStars: int(env, 'JOURNAL_MAX_SHARE_STARS', 5000, 10, 100_000),
      /**
       * `direct_user` shares one user may send per hour (each leaves a notification in the recipient's inbox); beyond it 429 `RATE_LIMITED` with Retry-After
       */
      directSharesPerHour: int(env, 'JOURNAL_DIRECT_SHARES_PER_HOUR', 20, 1, 10_000),
      /** share preview pictures (`/api/shared/:id/preview.png`, 1200×630) kept rendered per process; the least recently used is rendered again on demand */
      previewCacheEntries: int(env, 'JOURNAL_PREVIEW_CACHE_ENTRIES', 200, 1, 100_000),
      /**
       * with `REDIS_URL`: captures' journal invalidations are gathered this long into one PUBLISH to the other processes (this process drops its own entry at
       * once); 0 = one PUBLISH per capture
       */
      // One PUBLISH per capture was ~12 % of a session's Redis commands; 50 ms is far below the TTL bound.
      invalidationBatchMs: int(env, 'JOURNAL_INVALIDATION_BATCH_MS', 50, 0, 5000),
      /**
       * users gathered at most per invalidation PUBLISH; reaching it publishes at once (the bound of that buffer). Shutdown publishes what is gathered before
       * closing
       */
      invalidationBatchMax: int(env, 'JOURNAL_INVALIDATION_BATCH_MAX', 500, 1, 10_000),
    },
    /** @group auth */
    auth: {
      secret: authSecret(env, redisUrl),
      /** where the generated key is kept (mode 0600) when `AUTH_SECRET` is unset; delete it to invalidate every token */
      secretFile: text(env, 'AUTH_SECRET_FILE', '.data/auth-secret'),
      /** access-token lifetime (30..86400) */
      // Short-lived: a leaked token is good for minutes; refresh tokens carry the long session.
      accessTtlSec: int(env, 'AUTH_ACCESS_TTL_SEC', 900, 30, 86_400),
      /**
       * refresh-token lifetime (1..365); each refresh rotates it, a reused one revokes the device: its refresh and access tokens stop working and its live
       * sessions close (4401 `DEVICE_REVOKED`, within 1 s, on every process)
       */
      refreshTtlDays: int(env, 'AUTH_REFRESH_TTL_DAYS', 30, 1, 365),
      /**
       * devices remembered as existing after a token naming them was checked against the database (an LRU); a token whose device does not exist is 401
       * `UNAUTHORIZED` on HTTP and 401 at room matchmaking
       */
      deviceCacheEntries: int(env, 'AUTH_DEVICE_CACHE_ENTRIES', 100_000, 1, 10_000_000),
      /**
       * how long a device is trusted to exist (and keep its token generation) before it is read again: a removed device's access tokens keep working at most
       * this long. A revoked device's entry is dropped on every process at once (backplane channel `auth:device-revoked`); this bounds a revocation message
       * lost while Redis is away
       */
      deviceCacheTtlMs: int(env, 'AUTH_DEVICE_CACHE_TTL_MS', 60_000, 0, 86_400_000),
    },
    ...edgeConfig(env),
    /**
     * recent log lines each process keeps for `GET /api/ops/logs` (admin; `?level=warn&limit=200`, newest first; 0 = off); secrets are redacted by the logger
     * before any line is written
     * @group ops
     */
    logTailLines: int(env, 'LOG_TAIL_LINES', 1000, 0, 100_000),
    /**
     * hours of the /ops chart kept in Postgres (`ops_history`, one point a minute per process; each write deletes rows past it), so the chart's "24 h" view
     * survives restarts; the last `OPS_MONITOR_HISTORY_MINUTES` also live in memory at one point per sample
     * @group ops
     */
    opsHistoryHours: int(env, 'OPS_HISTORY_HOURS', 48, 1, 24 * 31),
    /** @group ops */
    opsMonitor: {
      /**
       * how often each process samples its figures for /ops and publishes its heartbeat (the panel refreshes every 2 s; a process whose heartbeat is 5
       * samples old is gone)
       */
      sampleMs: int(env, 'OPS_MONITOR_SAMPLE_MS', 1000, 100, 60_000),
      /**
       * minutes of the per-sample cluster history each process keeps in memory for the /ops charts (longer ranges read the minute points of
       * `OPS_HISTORY_HOURS`)
       */
      historyMinutes: int(env, 'OPS_MONITOR_HISTORY_MINUTES', 60, 1, 60),
      /** the window the /ops rates (room messages, errors, connections, HTTP requests per second) are averaged over */
      ratesWindowMs: int(env, 'OPS_RATES_WINDOW_MS', 60_000, 1000, 3_600_000),
    },
    /**
     * how far back the ops user page's live activity feed (`GET /api/ops/users/{userId}/activity`) looks for events that arrived, by their event time; an
     * offline replay dated earlier shows in the passport timeline, not in the feed
     * @group ops
     */
    // The feed polls every few seconds; ten minutes covers a tab left in the background and a client clock off by MAX_CLOCK_SKEW_MS.
    opsActivityWindowSec: int(env, 'OPS_ACTIVITY_WINDOW_SEC', 600, 10, 86_400),
    ...backgroundConfig(env),
    /** @group mediaid */
    dna: {
      /** floats per DNA domain vector (4 domains); a change makes stored profiles start over (recompute them). Why 32: see "MediaID DNA" */
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
      // 100 snapshots of 128 floats are ~60 KB a user: four days of heavy listening an hour apart, a year of weekly visits.
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
        // Brief: a catalog change or a new star shows within a minute; a repeated keystroke is free.
        cacheTtlSec: int(env, 'SEARCH_CACHE_TTL_SEC', 60, 1, 3600),
        /** largest `limit` of `GET /api/search` and the `search` message (above: 400 / `BAD_INPUT` naming `limit`) */
        maxLimit: int(env, 'SEARCH_MAX_LIMIT', 50, 1, 200),
        /**
         * factor on a result whose decade is one of the caller's stars' decades, on top of the ×1.2 genre boost; 1 = off. For a catalog whose genres are
         * broad, the decade is what still tells a listener's taste apart: 1.2 weighs it like a genre
         */
        eraBoost: float(env, 'SEARCH_ERA_BOOST', 1, 1, 2),
      },
      recommendations: {
        /** users waiting for a recomputation after a capture (off the rooms' tick); when full the oldest waiting is dropped and counted, never a room blocked */
        maxPending: int(env, 'RECOMMENDATION_QUEUE_MAX', 1000, 1, 1_000_000),
        /** users recomputed at once per process (those of a 1 s window share their three statements) */
        concurrency: int(env, 'RECOMMENDATION_CONCURRENCY', 64, 1, 64),
        /**
         * least time between two recomputations of one user's list: captures meanwhile fold into one recomputation (the list pushed reflects them all),
         * and a client capturing as fast as it may cannot hold a worker for itself. 0 = one per capture
         */
        minIntervalMs: int(env, 'RECOMMENDATION_MIN_INTERVAL_MS', 30_000, 0, 86_400_000),
      },
    },
    ...limitsConfig(env),
    /** @group handoff */
    handoff: {
      /** how long a session's snapshot is kept after its last change: a session whose process went away can be restored this long */
      // The resume window (2 h): past it a returning listener gets a new session anyway.
      snapshotTtlSec: int(env, 'SESSION_SNAPSHOT_TTL_SEC', 7200, 60, 7 * 86_400),
      /**
       * life of a resume credential (`welcome.resume`, `resumed.resume`, `moving.resume`); past it the client joins with `lastSessionId` and gets its session
       * back from its row, without the live state
       */
      credentialTtlSec: int(env, 'RESUME_CREDENTIAL_TTL_SEC', 86_400, 60, 30 * 86_400),
      /** sessions a process restores at once when clients resume (after a drain or a crash elsewhere); the rest wait in a queue of `RESUME_QUEUE_MAX` */
      // A restore is ~4 database reads: 16 at once keeps a pool of 10-20 connections busy without starving live sessions.
      resumeConcurrency: int(env, 'RESUME_CONCURRENCY', 16, 1, 10_000),
      /** resumes waiting per process; past it the join is refused `RESUME_BUSY` (HTTP 503 / close 4503) with `retryAfterMs`, which the clients honour */
      resumeQueueMax: int(env, 'RESUME_QUEUE_MAX', 2000, 0, 1_000_000),
      /**
       * a drained client waits a random delay before joining again, spread over this much per session moving at once (up to `HANDOFF_SPREAD_MAX_MS`): they
       * arrive as a ramp, not a burst
       */
      moveSpreadPerSessionMs: int(env, 'HANDOFF_SPREAD_PER_SESSION_MS', 1, 0, 1000),
      /** the longest a drained client is told to wait before joining again (see `HANDOFF_SPREAD_PER_SESSION_MS`) */
      moveSpreadMaxMs: int(env, 'HANDOFF_SPREAD_MAX_MS', 500, 0, 60_000),
      /**
       * with Redis, at most this many sessions are between their `moving` and their `resumed` elsewhere, so a listener waits for one resume, not the whole
       * deploy's wave; 0 moves every session at once. Past half of `SHUTDOWN_TIMEOUT_MS` every session still waiting goes
       */
      movesInFlight: int(env, 'HANDOFF_MOVES_IN_FLIGHT', 32, 0, 100_000),
      /** a moved session not reported resumed within this frees its place; if no arrival was reported at all (a lone process), the rest move at once */
      arrivalWaitMs: int(env, 'HANDOFF_ARRIVAL_WAIT_MS', 2000, 100, 60_000),
    },
    ...livenessConfig(env),
    /** @group payments */
    payments: {
      /**
       * the payment webhook's signing secret (HMAC-SHA256, ≥ 16 characters). Set: signed purchases are the trusted revenue, and clients can no longer
       * claim `treasury.purchase_completed`. Unset: the webhook answers 503 `PAYMENTS_DISABLED`
       */
      webhookSecret: optionalString(env, 'PAYMENT_WEBHOOK_SECRET', 16),
      /** how far a `Payment-Signature` timestamp may be from our clock, either way, before 400 `SIGNATURE_EXPIRED` (a captured delivery cannot be replayed) */
      toleranceSec: int(env, 'PAYMENT_WEBHOOK_TOLERANCE_SEC', 300, 1, 3600),
      /** largest webhook body; a bigger one is refused 413 `PAYLOAD_TOO_LARGE` before it is read */
      // A provider event is a few KB; 64 KB leaves room and keeps a hostile body from costing anything.
      maxBodyBytes: int(env, 'PAYMENT_WEBHOOK_MAX_BODY_BYTES', 65_536, 1024, 1_048_576),
    },
    /** @group links */
    links: {
      /** a share link counts opens for this many days; after it, `/l/{linkId}` still redirects */
      // A share's life in a chat or a feed: a season.
      ttlDays: int(env, 'LINK_TTL_DAYS', 90, 1, 3650),
      /** share links one user may make per hour before `RATE_LIMITED` */
      perUserPerHour: int(env, 'LINKS_PER_USER_PER_HOUR', 60, 1, 100_000),
      /** opens counted per link per hour; past it `/l/{linkId}` redirects uncounted (one open per visitor per link per day is counted at most anyway) */
      opensPerLinkPerHour: int(env, 'LINK_OPENS_PER_LINK_PER_HOUR', 1000, 1, 10_000_000),
      /** opens counted per client address per hour, across links (keyed on a daily hash of the address, never the address); past it uncounted */
      // A household or an office opens a few links an hour, not hundreds.
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
      // Spotify Jam's bound: a host and up to 32 listeners.
      maxRiders: int(env, 'RIDE_MAX_RIDERS', 32, 1, 1000),
      /** a ride invite code works this long; `ride_invite` makes a new one (the old one stops working) */
      inviteTtlSec: int(env, 'RIDE_INVITE_TTL_SEC', 6 * 3600, 60, 7 * 86_400),
      /** reactions one ride member may send per 10 s (a burst of that many); beyond, `error` `RATE_LIMITED` and nothing is shown */
      reactionsPer10s: int(env, 'RIDE_REACTIONS_PER_10S', 10, 1, 1000),
      /** invite codes one user may look up without finding a ride, per minute (`GET /api/rides/{code}` 429 beyond): guessing a 50-bit code stops here */
      lookupsPerMinute: int(env, 'RIDE_LOOKUPS_PER_MINUTE', 20, 1, 100_000),
    },
  };
}

/** Where the admin token comes from, as the boot will find it (src/auth/secretFile.ts reads or writes the file). */
function adminTokenSource(config: Config): string {
  if (config.adminToken) return 'set';
  if (config.adminTokenFile) return `from ADMIN_TOKEN_FILE ${config.adminTokenFile} (generated there if absent)`;
  return 'unset (admin surfaces disabled)';
}

/** The config with secrets masked, for the boot log line. */
export function describeConfig(config: Config): Record<string, unknown> {
  return {
    ...config,
    databaseUrl: config.databaseUrl ? redact(config.databaseUrl) : `embedded (${config.embeddedDataDir})`,
    redisUrl: config.redisUrl ? redact(config.redisUrl) : 'none (local presence)',
    adminToken: adminTokenSource(config),
    auth: { ...config.auth, secret: config.auth.secret ? 'set' : `from AUTH_SECRET_FILE ${config.auth.secretFile} (generated there if absent)` },
    payments: { ...config.payments, webhookSecret: config.payments.webhookSecret ? 'set' : 'unset (payment webhook off)' },
    notifications: describeNotifications(config.notifications),
  };
}

/** The push credentials masked: which channels are on, never a key. */
function describeNotifications(n: Config['notifications']): Record<string, unknown> {
  const { apns, webPush, ...push } = n.push;
  return {
    ...n,
    push: {
      ...push,
      apns: apns ? { ...apns, keyFile: 'set' } : 'unset (APNs off)',
      webPush: webPush ? { ...webPush, privateKey: 'set' } : 'unset (Web Push off)',
    },
  };
}
