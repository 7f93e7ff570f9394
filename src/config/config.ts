import { ConfigError } from '../errors.js';
import type { BroadcasterTuning } from '../../features/leaderboard/LeaderboardBroadcaster.js';
import type { FeederTuning } from '../../features/leaderboard/LeaderboardFeeder.js';
import { bool, int, note, oneOf, optionalString, optionalText, prefix, redact, text, url, type Env } from './parse.js';
import { backgroundConfig, type BackgroundConfig } from './background.js';
import { insightsConfig, type InsightsConfig } from './mediaid.js';
import { discoveryConfig, type DiscoveryConfig } from './discovery.js';
import { limitsConfig, type ConciertoConfig, type LimitsConfig } from './limits.js';
import { handoffConfig, type HandoffConfig } from './handoff.js';
import { paymentsConfig, type PaymentsConfig } from './payments.js';
import { linksConfig, type LinksConfig } from './links.js';
import { socialConfig, type FriendsConfig, type RideConfig } from './social.js';
import { livenessConfig, type LivenessConfig } from './liveness.js';
import { notificationsConfig, type NotificationsConfig } from './notifications.js';
import { databaseUrl } from './databaseUrl.js';

export {
  JOB_DEFAULT_SCHEDULES,
  JOB_NAMES,
  type JobName,
  type GravityConfig,
  type JobsConfig,
  type InfluenceConfig,
  type AssetsConfig,
  type PartitionsConfig,
} from './background.js';

export type TransportKind = 'uws' | 'ws';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Every setting the server reads, typed. Built once at boot by {@link loadConfig}. */
export interface Config extends BackgroundConfig, InsightsConfig {
  port: number;
  host: string;
  transport: TransportKind;
  /** Postgres URL; undefined means "start the embedded PostgreSQL". */
  databaseUrl?: string;
  embeddedDataDir: string;
  embeddedPort: number;
  redisUrl?: string;
  /** Key prefix for our Redis data (leaderboards, caches) and the coliseum matchmaking namespace. */
  redisPrefix: string;
  publicAddress?: string;
  adminToken?: string;
  /** Where a generated admin token is kept when ADMIN_TOKEN is unset (`npm start` sets `.data/admin-token`); unset: no admin token. */
  adminTokenFile?: string;
  logLevel: LogLevel;
  simHz: number;
  patchHz: number;
  /** Send the patch right after a client input instead of at the next patch tick. */
  patchOnInput: boolean;
  /** Slots the shared room ticker spreads session rooms over (rooms/RoomTicker.ts). */
  tickPhases: number;
  /** One room step in this many is timed for the step histogram. */
  tickSampleEvery: number;
  /** `json`: session rooms also broadcast their full state as JSON every patch step (a bytes baseline for the load test). */
  patchBaseline: 'off' | 'json';
  /** With REDIS_URL: which process creates a new room (systems/placement.ts): `local` (default) or Colyseus' `least_rooms`. */
  roomPlacement: 'local' | 'least_rooms';
  /** False: this process runs the jobs and the HTTP edge but hosts no rooms; placement never chooses it (needs REDIS_URL). */
  roomsEnabled: boolean;
  reconnectWindowSec: number;
  /** Distinct hand-written statements run as named prepared statements (persistence/preparedStatements.ts); 0 = all inlined. */
  dbPreparedStatements: number;
  /** Connections of the server's ORM pool (every query but the passport's COPY sink, which has its own). */
  dbPoolMax: number;
  passport: {
    maxQueue: number;
    batchSize: number;
    flushIntervalMs: number;
    /** First retry delay after a failed flush; doubles per failure up to maxRetryDelayMs. */
    baseRetryDelayMs: number;
    maxRetryDelayMs: number;
    /** New events are refused once the oldest queued one waited this long: bounds what a crash can lose. */
    maxLagMs: number;
    /** An HTTP ingest request waits this long for its commit before answering 503 NOT_PERSISTED. */
    ackTimeoutMs: number;
    /** Most events one HTTP batch may carry. */
    maxBatchEvents: number;
    /** A passport write statement running longer than this is cancelled (the batch is retried). */
    queryTimeoutMs: number;
    /** Batches the COPY sink writes at once (one pooled connection each); at most this × batchSize events in flight. */
    flushConcurrency: number;
    /** Batches with fewer events skip the COPY: one JSON statement (less node CPU per flush at a live server's batch sizes). */
    copyMinEvents: number;
    /** A capture's events still in the passport outbox after this long (their process died before its flush) are queued by another drainer. */
    outboxAgeMs: number;
    /** Outbox rows one drainer tick leases and queues (one transaction). */
    outboxBatch: number;
  };
  /** The coliseum's board ticks (they follow writes, coalesced and throttled) and its rooms. */
  coliseum: BroadcasterTuning & {
    /** Spectators per coliseum room; more open another room with the same leaderboards. */
    maxClientsPerRoom: number;
    /** How long a row's artwork lookup (has the pipeline made this artist's image?) is trusted. */
    artworkTtlMs: number;
  };
  /** The leaderboard feeder: passport events → live board increments, flushed in batches. */
  leaderboard: FeederTuning & {
    /** Passport rows per rollup transaction (the durable record's cursor consumer). */
    rollupBatchSize: number;
    /** How often the rollups consumer polls the passport for new rows when it has caught up. */
    rollupPollMs: number;
    /** How often a process tells the others which boards its spectators watch (forgotten after 3 of these). */
    watchedAnnounceMs: number;
    /** With Redis: how long a multi-bucket window's union stays cached (≤ 0: recomputed on every read). */
    unionCacheMs: number;
    /** Entities per board bucket a boot restores from the rollups (a lone process's in-memory boards). */
    restoreMaxEntries: number;
    /** Most rows one `GET /api/leaderboards/:leaderboard` may ask for. */
    httpMaxLimit: number;
    /** `format=png`: pictures kept, rows drawn at most, renders at once. */
    image: { cacheEntries: number; maxRows: number; maxConcurrent: number };
  };
  stationCacheTtlSec: number;
  /** Station snapshots held in the in-process cache; when full, the oldest is evicted. */
  stationCacheMaxEntries: number;
  /** GET /api/admin/metrics answers cached per range: how long, and how many ranges (oldest evicted). */
  adminMetrics: { cacheTtlMs: number; cacheMaxEntries: number; dwellCapSeconds: number };
  /** The API statistics per range (api_request_stats): flush interval, named routes per flush, bucket retention. */
  apiStats: { flushMs: number; maxRoutes: number; minuteRetentionHours: number; hourRetentionDays: number };
  clientMessageRatePerSec: number;
  /** Messages per second after which a client is disconnected (a flood; below it, RATE_LIMITED replies). */
  clientDisconnectRatePerSec: number;
  /** At most one RATE_LIMITED reply and one log line per misbehaving client per interval. */
  clientNoticeIntervalMs: number;
  /** Bytes of each room state-encoding buffer (SCHEMA_BUFFER_BYTES). */
  schemaBufferBytes: number;
  shutdownTimeoutMs: number;
  session: {
    /** How often an open session's counters are written to its row (on a lock). */
    countersSaveMs: number;
    /** Counter saves of every session gathered into one UPDATE: the longest a save waits, and saves per statement. */
    countersBatchMs: number;
    countersBatchMax: number;
    /** Saves that may wait for a statement; past it a save fails loudly (the database is far slower than they arrive). */
    countersBatchWaitingMax: number;
    /** Captures waiting per session; more are answered BUSY. */
    maxCapturesInFlight: number;
    /** Artists kept in a session's discovery path (star placement reads it); the oldest drop out. */
    maxVisitedPath: number;
  };
  auth: AuthConfig;
  http: HttpSettings;
  /** Largest WebSocket frame a client may send; a larger one closes that client's connection (the transport's limit). */
  wsMaxMessageBytes: number;
  /** uWS: bytes a socket may have queued for a slow client; past it frames are dropped, or the socket is closed (below). */
  wsMaxBackpressureBytes: number;
  /** uWS: close a socket instead of silently dropping a frame past wsMaxBackpressureBytes (a dropped patch corrupts the client's state). */
  wsCloseOnBackpressure: boolean;
  /** Hours of the ops chart kept in Postgres, one point a minute per process; older rows are deleted on write. */
  opsHistoryHours: number;
  /** The ops panel's sampling in each process: its interval, the minutes of history kept in memory, the window of its rates. */
  opsMonitor: { sampleMs: number; historyMinutes: number; ratesWindowMs: number };
  /** Recent log lines kept per process for the ops log view (0 = off); the oldest goes when full. */
  logTailLines: number;
  /** Constellation journal and shares (docs/FEATURES.md "Constellation journal and sharing"). */
  journal: JournalConfig;
  /** Search and recommendations (src/config/discovery.ts). */
  discovery: DiscoveryConfig;
  /** Abuse limits at the edge and per-user bounds on client-claimed events (src/config/limits.ts). */
  limits: LimitsConfig;
  /** DEV_RAISED_LIMITS: the per-address and per-user limits default to the load-test harness's values (never in production). */
  devRaisedLimits: boolean;
  handoff: HandoffConfig;
  /** Redis pings and the readiness check's bounds (src/config/liveness.ts). */
  liveness: LivenessConfig;
  /** The payment provider's signed webhook (src/config/payments.ts). */
  payments: PaymentsConfig;
  /** Notifications: rate bounds, live delivery at join, push delivery and its credentials (src/config/notifications.ts). */
  notifications: NotificationsConfig;
  /** Concierto voting policy (src/config/limits.ts). */
  concierto: ConciertoConfig;
  /** Share links and the bounds on counting their opens (src/config/links.ts). */
  links: LinksConfig;
  /** The friend graph's bounds (src/config/social.ts). */
  friends: FriendsConfig;
  /** Rides' bounds (src/config/social.ts). */
  ride: RideConfig;
  /** How far back the ops user page's live activity feed looks for events that arrived (seconds). */
  opsActivityWindowSec: number;
}

/** The per-user journal cache and shared snapshots. */
export interface JournalConfig {
  /** Journals kept in the in-process LRU; the least recently used is evicted beyond it. */
  cacheMaxEntries: number;
  /** A cached journal's lifetime: the bound on staleness when another process captured (no pub/sub without Redis). */
  cacheTtlSec: number;
  /** Stars one share snapshot may hold (a bigger constellation is refused with a message). */
  maxShareStars: number;
  /** Direct shares (each a notification in someone's inbox) one user may send per hour. */
  directSharesPerHour: number;
  /** Share preview pictures (1200×630 PNG, ~50–150 KB each) kept rendered in this process. */
  previewCacheEntries: number;
  /** With Redis: captures' invalidations for other processes are gathered this long into one PUBLISH (0 = one each). */
  invalidationBatchMs: number;
  /** Users gathered at most per PUBLISH; reaching it publishes at once. */
  invalidationBatchMax: number;
}

/** Device authentication and access tokens (src/auth/). */
export interface AuthConfig {
  /** HS256 key of access tokens (≥ 32 chars); unset = generated once into `secretFile` (one process only). */
  secret?: string;
  /** Where the generated key is kept (mode 0600) when `secret` is unset. */
  secretFile: string;
  /** Access-token lifetime. */
  accessTtlSec: number;
  /** Refresh-token lifetime; each refresh rotates it. */
  refreshTtlDays: number;
  /** Devices whose existence a verified token was checked against, remembered (most recent first). */
  deviceCacheEntries: number;
  /** How long a device's existence is trusted before it is read again (a removed device's tokens work this long). */
  deviceCacheTtlMs: number;
}

/** Limits and CORS policy the HTTP edge applies to every route, ours and Colyseus's matchmaking. */
export interface HttpSettings {
  /** Largest request body accepted, in bytes; larger ones get 413 (by Content-Length or by count). */
  maxBodyBytes: number;
  /** Deepest object/array nesting accepted in a JSON body. */
  maxJsonDepth: number;
  /** Origins allowed to read responses cross-origin: `'*'` (no credentials) or exact origins; empty = same-origin only. */
  corsOrigins: '*' | string[];
  /** Take the client address from the last X-Forwarded-For entry (set only behind a proxy that appends it, like the nginx entry). */
  trustForwardedFor: boolean;
  /** ws transport: a request whose headers have not all arrived by then is closed (slow-header clients). uWS closes at ~10 s itself. */
  headersTimeoutMs: number;
  /** ws transport: a request whose body has not all arrived by then is closed (slow-body clients). */
  requestTimeoutMs: number;
}

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

/** AUTH_SECRET: required with REDIS_URL, since every process must verify the tokens any other one signed. */
function authSecret(env: Env, redisUrl: string | undefined): string | undefined {
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
 */
function leaderboardUnwatchedFlushMs(env: Env, flushMs: number, redisUrl: string | undefined): number {
  const ms = int(env, 'LEADERBOARD_UNWATCHED_FLUSH_MS', Math.max(flushMs, redisUrl ? 1000 : flushMs), 5, 60_000);
  if (ms < flushMs)
    throw new ConfigError(
      'LEADERBOARD_UNWATCHED_FLUSH_MS',
      `${ms} is below LEADERBOARD_FLUSH_MS (${flushMs}): boards nobody watches are written at most as often as watched ones. Set it to at least ${flushMs}, or lower LEADERBOARD_FLUSH_MS.`,
    );
  return ms;
}

const divisors = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1).filter((d) => n % d === 0);

/** Room timing and per-client rates: the session room's step, patches and input limits. */
function roomTiming(env: Env) {
  const simHz = int(env, 'SIM_HZ', 20, 1, 120);
  // Default: a patch on every step (with nothing changed, a step sends nothing anyway).
  const patchHz = int(env, 'PATCH_HZ', simHz, 1, 120);
  // Patches go out on simulation steps: a faster patch rate would only send empty patches.
  if (patchHz > simHz) throw new ConfigError('PATCH_HZ', `${patchHz} is above SIM_HZ (${simHz}). Set PATCH_HZ to at most ${simHz}, or raise SIM_HZ.`);
  if (simHz % patchHz !== 0)
    throw new ConfigError(
      'PATCH_HZ',
      `${patchHz} does not divide SIM_HZ (${simHz}): a patch goes out every whole number of steps. Use one of: ${divisors(simHz).join(', ')}.`,
    );
  const tickPhases = int(env, 'TICK_PHASES', 4, 1, 20);
  // Timing every step would cost a histogram observation per room step; one in eight keeps the distribution.
  const tickSampleEvery = int(env, 'TICK_SAMPLE_EVERY', 8, 1, 1000);
  // The shared ticker fires SIM_HZ × TICK_PHASES times a second; timers have 1 ms resolution.
  if (simHz * tickPhases > 1000)
    throw new ConfigError(
      'TICK_PHASES',
      `SIM_HZ × TICK_PHASES = ${simHz * tickPhases} firings/s; keep it at most 1000 (TICK_PHASES ≤ ${Math.floor(1000 / simHz)} at SIM_HZ ${simHz}).`,
    );
  const clientMessageRatePerSec = int(env, 'CLIENT_MESSAGE_RATE', 30, 1, 10_000);
  const clientDisconnectRatePerSec = int(env, 'CLIENT_DISCONNECT_RATE', Math.max(200, clientMessageRatePerSec * 4), 2, 100_000);
  // Between the two rates a client hears RATE_LIMITED; at the same rate it would be cut off without a word.
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
    patchOnInput: bool(env, 'PATCH_ON_INPUT', true),
    patchBaseline: oneOf(env, 'PATCH_BASELINE', ['off', 'json'] as const, 'off'),
    reconnectWindowSec: int(env, 'RECONNECT_WINDOW_SEC', 30, 0, 3600),
    clientMessageRatePerSec,
    clientDisconnectRatePerSec,
    clientNoticeIntervalMs: int(env, 'CLIENT_NOTICE_INTERVAL_MS', 1000, 10, 600_000),
    // Each room holds two encode buffers of this size; Colyseus's 16 KB were 32 KB of a session's ~75 KB heap.
    schemaBufferBytes: int(env, 'SCHEMA_BUFFER_BYTES', 4096, 1024, 1_048_576),
    session: {
      // One save per active session every 30 s (1,000 sessions ≈ 33 saves/s), gathered into one UPDATE per batch below.
      countersSaveMs: int(env, 'SESSION_COUNTERS_SAVE_MS', 30_000, 0, 3_600_000),
      ...counterBatchConfig(env),
      maxCapturesInFlight: int(env, 'SESSION_MAX_CAPTURES_IN_FLIGHT', 5, 1, 100),
      maxVisitedPath: int(env, 'SESSION_MAX_VISITED_PATH', 50, 2, 100),
    },
  };
}

function counterBatchConfig(env: Env): Pick<Config['session'], 'countersBatchMs' | 'countersBatchMax' | 'countersBatchWaitingMax'> {
  // One statement for all the sessions' saves of 200 ms: an ending session's row is at most that late.
  const countersBatchMs = int(env, 'SESSION_COUNTERS_BATCH_MS', 200, 0, 10_000);
  const countersBatchMax = int(env, 'SESSION_COUNTERS_BATCH_MAX', 500, 1, 10_000);
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

function passportConfig(env: Env): Config['passport'] {
  const flushIntervalMs = int(env, 'PASSPORT_FLUSH_MS', 50, 1, 60_000);
  return {
    maxQueue: int(env, 'PASSPORT_MAX_QUEUE', 100_000, 100, 10_000_000),
    batchSize: int(env, 'PASSPORT_BATCH_SIZE', 1000, 1, 50_000),
    flushIntervalMs,
    baseRetryDelayMs: int(env, 'PASSPORT_RETRY_BASE_MS', 50, 1, 60_000),
    maxRetryDelayMs: int(env, 'PASSPORT_MAX_RETRY_MS', 5000, 10, 600_000),
    // Normally events commit within ~1-2 flush intervals; the refusal threshold sits at 10 so that a
    // cold connection or a short database hiccup (a first flush took 105 ms) does not refuse input.
    maxLagMs: int(env, 'PASSPORT_MAX_LAG_MS', 10 * flushIntervalMs, 2 * flushIntervalMs, 600_000),
    ackTimeoutMs: int(env, 'PASSPORT_ACK_TIMEOUT_MS', 10_000, 100, 600_000),
    maxBatchEvents: int(env, 'PASSPORT_MAX_BATCH_EVENTS', 1000, 1, 10_000),
    queryTimeoutMs: int(env, 'PASSPORT_QUERY_TIMEOUT_MS', 30_000, 100, 600_000),
    // Batches written at once by the COPY sink, one Postgres connection each (BENCHMARKS.md).
    flushConcurrency: int(env, 'PASSPORT_FLUSH_CONCURRENCY', 2, 1, 16),
    // Below ~500 events one JSON statement costs less node CPU than the COPY's four round trips (BENCHMARKS.md "Passport flush cost").
    copyMinEvents: int(env, 'PASSPORT_COPY_MIN_EVENTS', 500, 0, 50_000),
    // Well above a healthy flush (tens of ms) so the live path stores them first; bounds how late a crashed process's capture events arrive.
    outboxAgeMs: int(env, 'PASSPORT_OUTBOX_AGE_MS', 10_000, 100, 600_000),
    // One round trip for many of a crashed process's events; a tick's batch is one transaction.
    outboxBatch: int(env, 'PASSPORT_OUTBOX_BATCH', 500, 1, 100_000),
  };
}

/** The live boards: the feeder that writes them and the coliseum that shows them. */
function boardsConfig(env: Env, redisUrl: string | undefined): Pick<Config, 'coliseum' | 'leaderboard'> {
  const leaderboardFlushMs = int(env, 'LEADERBOARD_FLUSH_MS', redisUrl ? 250 : 25, 5, 10_000);
  return {
    coliseum: {
      // Board ticks follow writes: feeder flush + coalescing + at most one throttle period.
      throttleMs: int(env, 'COLISEUM_THROTTLE_MS', 200, 20, 60_000),
      coalesceMs: int(env, 'COLISEUM_COALESCE_MS', 50, 0, 10_000),
      refreshMs: int(env, 'COLISEUM_REFRESH_MS', 1000, 100, 600_000),
      // A previous window is closed: only back-dated events move it. Re-read each second, its trend reads were most of a coliseum's Redis reads.
      previousRefreshMs: int(env, 'COLISEUM_PREVIOUS_REFRESH_MS', 30_000, 100, 3_600_000),
      maxBoards: int(env, 'COLISEUM_MAX_BOARDS', 1000, 1, 100_000),
      maxClientsPerRoom: int(env, 'COLISEUM_MAX_CLIENTS_PER_ROOM', 1000, 1, 100_000),
      artworkTtlMs: int(env, 'COLISEUM_ARTWORK_TTL_MS', 60_000, 1000, 3_600_000),
    },
    leaderboard: {
      // Local: a flush is an in-memory update, so flush often (spectator lag). Redis: each flush costs ~3 ZINCRBY
      // per written key, and 250 ms coalesces far more per key than 25 ms.
      flushIntervalMs: leaderboardFlushMs,
      unwatchedFlushMs: leaderboardUnwatchedFlushMs(env, leaderboardFlushMs, redisUrl),
      maxPendingKeys: int(env, 'LEADERBOARD_MAX_PENDING_KEYS', 50_000, 100, 10_000_000),
      maxBatchKeys: int(env, 'LEADERBOARD_MAX_BATCH_KEYS', 5_000, 10, 1_000_000),
      lookupCacheSize: int(env, 'LEADERBOARD_LOOKUP_CACHE_ENTRIES', 100_000, 100, 10_000_000),
      cityTtlMs: int(env, 'LEADERBOARD_CITY_TTL_MS', 600_000, 1000, 86_400_000),
      maxRetryDelayMs: int(env, 'LEADERBOARD_MAX_RETRY_MS', 5_000, 10, 600_000),
      rollupBatchSize: int(env, 'LEADERBOARD_ROLLUP_BATCH_SIZE', 5_000, 10, 1_000_000),
      rollupPollMs: int(env, 'LEADERBOARD_ROLLUP_POLL_MS', 1000, 10, 600_000),
      // Another process's spectators get their boards written at once within one of these after they start watching.
      watchedAnnounceMs: int(env, 'LEADERBOARD_WATCHED_ANNOUNCE_MS', 5000, 100, 600_000),
      // A second: the coliseum's refresh, so its refresh ticks share one union per window.
      unionCacheMs: int(env, 'LEADERBOARD_UNION_CACHE_MS', 1000, 0, 60_000),
      restoreMaxEntries: int(env, 'LEADERBOARD_RESTORE_MAX_ENTRIES', 5000, 1, 100_000),
      httpMaxLimit: int(env, 'LEADERBOARD_HTTP_MAX_LIMIT', 100, 1, 1000),
      image: {
        cacheEntries: int(env, 'LEADERBOARD_IMAGE_CACHE_ENTRIES', 64, 1, 10_000),
        maxRows: int(env, 'LEADERBOARD_IMAGE_MAX_ROWS', 25, 1, 100),
        maxConcurrent: int(env, 'LEADERBOARD_IMAGE_MAX_CONCURRENT', 2, 1, 64),
      },
    },
  };
}

/** The HTTP and WebSocket edge: body and frame bounds, CORS, slow clients. */
/** Slow-client bounds of the ws transport's HTTP server (uWS has its own ~10 s). */
function requestTimeouts(env: Env): Pick<HttpSettings, 'headersTimeoutMs' | 'requestTimeoutMs'> {
  const headersTimeoutMs = int(env, 'HTTP_HEADERS_TIMEOUT_MS', 10_000, 500, 600_000);
  const requestTimeoutMs = int(env, 'HTTP_REQUEST_TIMEOUT_MS', 30_000, 500, 3_600_000);
  // Node refuses a headers timeout above the request timeout: the headers are part of the request.
  if (headersTimeoutMs > requestTimeoutMs)
    throw new ConfigError(
      'HTTP_HEADERS_TIMEOUT_MS',
      `${headersTimeoutMs} is above HTTP_REQUEST_TIMEOUT_MS (${requestTimeoutMs}); the headers arrive within the request. Lower it or raise HTTP_REQUEST_TIMEOUT_MS.`,
    );
  return { headersTimeoutMs, requestTimeoutMs };
}

function edgeConfig(env: Env): Pick<Config, 'http' | 'wsMaxMessageBytes' | 'wsMaxBackpressureBytes' | 'wsCloseOnBackpressure'> {
  return {
    http: {
      // 1 MiB holds a full passport batch (1,000 events of a few hundred bytes) with room to spare.
      maxBodyBytes: int(env, 'HTTP_MAX_BODY_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
      maxJsonDepth: int(env, 'HTTP_MAX_JSON_DEPTH', 32, 8, 512),
      corsOrigins: origins(env, 'CORS_ORIGINS'),
      trustForwardedFor: bool(env, 'HTTP_TRUST_FORWARDED_FOR', false),
      ...requestTimeouts(env),
    },
    // Room messages are a few hundred bytes; an offline sync batch is the largest (tens of KiB).
    wsMaxMessageBytes: int(env, 'WS_MAX_MESSAGE_BYTES', 64 * 1024, 1024, 16 * 1024 * 1024),
    // 1 MiB is what @colyseus/uwebsockets-transport sets; a client that far behind is closed and rejoins with a full state.
    wsMaxBackpressureBytes: int(env, 'WS_MAX_BACKPRESSURE_BYTES', 1024 * 1024, 16 * 1024, 256 * 1024 * 1024),
    wsCloseOnBackpressure: bool(env, 'WS_CLOSE_ON_BACKPRESSURE', true),
  };
}

/** Without Redis this process is the only one: with its rooms off, nothing could host a room. */
function roomsEnabled(env: Env, redisUrl: string | undefined): boolean {
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
export function loadConfig(env: Env = process.env): Config {
  const redisUrl = url(env, 'REDIS_URL', ['redis:', 'rediss:']);
  return {
    port: int(env, 'PORT', 2567, 0, 65535),
    host: text(env, 'HOST', '0.0.0.0'),
    transport: oneOf(env, 'TRANSPORT', ['uws', 'ws'] as const, 'uws'),
    databaseUrl: databaseUrl(env),
    embeddedDataDir: text(env, 'EMBEDDED_PG_DIR', '.data/postgres'),
    embeddedPort: int(env, 'EMBEDDED_PG_PORT', 54329, 1024, 65535),
    redisUrl,
    redisPrefix: prefix(env, 'REDIS_PREFIX', 'ds:'),
    publicAddress: optionalText(env, 'PUBLIC_ADDRESS'),
    adminToken: optionalString(env, 'ADMIN_TOKEN', 16),
    adminTokenFile: optionalText(env, 'ADMIN_TOKEN_FILE'),
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    roomPlacement: oneOf(env, 'ROOM_PLACEMENT', ['local', 'least_rooms'] as const, 'local'),
    roomsEnabled: roomsEnabled(env, redisUrl),
    dbPreparedStatements: int(env, 'DB_PREPARED_STATEMENTS', 500, 0, 10_000),
    dbPoolMax: int(env, 'DB_POOL_MAX', 10, 1, 1000),
    // Under Docker's default 10 s stop grace period, with room for the drain.
    shutdownTimeoutMs: int(env, 'SHUTDOWN_TIMEOUT_MS', 8000, 1000, 120_000),
    ...roomTiming(env),
    passport: passportConfig(env),
    ...boardsConfig(env, redisUrl),
    stationCacheTtlSec: int(env, 'STATION_CACHE_TTL_SEC', 600, 1, 86_400),
    stationCacheMaxEntries: int(env, 'STATION_CACHE_MAX_ENTRIES', 1000, 10, 1_000_000),
    // 30 s: the session aggregation job runs every 5 min, so a fresher answer shows nothing new.
    adminMetrics: {
      cacheTtlMs: int(env, 'ADMIN_METRICS_CACHE_TTL_MS', 30_000, 0, 3_600_000),
      cacheMaxEntries: int(env, 'ADMIN_METRICS_CACHE_MAX_ENTRIES', 32, 1, 1000),
      // Seed 000 step 17 avg_time_spent: a station left open for longer is counted as 30 minutes.
      dwellCapSeconds: int(env, 'ADMIN_METRICS_DWELL_CAP_SEC', 1800, 10, 86_400),
    },
    apiStats: {
      // One upsert a minute per process; the range figures lag by at most this.
      flushMs: int(env, 'API_STATS_FLUSH_MS', 60_000, 50, 3_600_000),
      maxRoutes: int(env, 'API_STATS_MAX_ROUTES', 200, 1, 10_000),
      // 72 h: the longest hour range (72h) still reads minute buckets.
      minuteRetentionHours: int(env, 'API_STATS_MINUTE_RETENTION_HOURS', 72, 1, 720),
      hourRetentionDays: int(env, 'API_STATS_HOUR_RETENTION_DAYS', 90, 1, 3650),
    },
    journal: {
      cacheMaxEntries: int(env, 'JOURNAL_CACHE_MAX_ENTRIES', 10_000, 10, 1_000_000),
      // Seed 000 step 8.8 caches the journal for 5 minutes.
      cacheTtlSec: int(env, 'JOURNAL_CACHE_TTL_SEC', 300, 1, 86_400),
      maxShareStars: int(env, 'JOURNAL_MAX_SHARE_STARS', 5000, 10, 100_000),
      directSharesPerHour: int(env, 'JOURNAL_DIRECT_SHARES_PER_HOUR', 20, 1, 10_000),
      previewCacheEntries: int(env, 'JOURNAL_PREVIEW_CACHE_ENTRIES', 200, 1, 100_000),
      // One PUBLISH per capture was ~12 % of a session's Redis commands; 50 ms is far below the TTL bound.
      invalidationBatchMs: int(env, 'JOURNAL_INVALIDATION_BATCH_MS', 50, 0, 5000),
      invalidationBatchMax: int(env, 'JOURNAL_INVALIDATION_BATCH_MAX', 500, 1, 10_000),
    },
    auth: {
      secret: authSecret(env, redisUrl),
      secretFile: text(env, 'AUTH_SECRET_FILE', '.data/auth-secret'),
      // Short-lived: a leaked token is good for minutes; refresh tokens carry the long session.
      accessTtlSec: int(env, 'AUTH_ACCESS_TTL_SEC', 900, 30, 86_400),
      refreshTtlDays: int(env, 'AUTH_REFRESH_TTL_DAYS', 30, 1, 365),
      deviceCacheEntries: int(env, 'AUTH_DEVICE_CACHE_ENTRIES', 100_000, 1, 10_000_000),
      deviceCacheTtlMs: int(env, 'AUTH_DEVICE_CACHE_TTL_MS', 60_000, 0, 86_400_000),
    },
    ...edgeConfig(env),
    logTailLines: int(env, 'LOG_TAIL_LINES', 1000, 0, 100_000),
    opsHistoryHours: int(env, 'OPS_HISTORY_HOURS', 48, 1, 24 * 31),
    opsMonitor: {
      // The panel refreshes every 2 s; a heartbeat stays live for 5 samples.
      sampleMs: int(env, 'OPS_MONITOR_SAMPLE_MS', 1000, 100, 60_000),
      historyMinutes: int(env, 'OPS_MONITOR_HISTORY_MINUTES', 60, 1, 60),
      ratesWindowMs: int(env, 'OPS_RATES_WINDOW_MS', 60_000, 1000, 3_600_000),
    },
    // The feed polls every few seconds; ten minutes covers a tab left in the background and a client clock off by MAX_CLOCK_SKEW_MS.
    opsActivityWindowSec: int(env, 'OPS_ACTIVITY_WINDOW_SEC', 600, 10, 86_400),
    ...backgroundConfig(env),
    ...insightsConfig(env),
    ...discoveryConfig(env),
    ...limitsConfig(env),
    ...handoffConfig(env),
    ...livenessConfig(env),
    ...paymentsConfig(env),
    ...linksConfig(env),
    ...notificationsConfig(env),
    ...socialConfig(env),
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
function describeNotifications(n: NotificationsConfig): Record<string, unknown> {
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
