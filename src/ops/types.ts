/**
 * What the ops panel reads, as plain objects. The wiring (src/app.ts) implements {@link OpsSources};
 * {@link OpsMonitor} samples it once per second, derives rates, publishes a heartbeat per process
 * and keeps a short history for the charts; the routes in src/http/opsRoutes.ts serve the result.
 */
import type { ProcessRegistry } from './processRegistry.js';
import type { DiaReader } from '../../persistence/ops/types.js';
import type { CounterRatesView } from './counterRates.js';

export type { CounterRatesView, RateRow } from './counterRates.js';

export type * from '../../persistence/ops/types.js';

/** A health probe's answer. */
export type Probe = 'up' | 'down' | 'not_configured';

/** Rooms of one type and the clients in them. */
export interface RoomTypeCount {
  rooms: number;
  clients: number;
}

/**
 * The passport writer's numbers as the ops panel needs them; `PassportWriter.stats()` satisfies it
 * as is. `persisted` is cumulative since start (the monitor derives events persisted per second).
 */
export interface PassportStatsInput {
  queueDepth: number;
  maxQueue: number;
  persisted: number;
  rejected: number;
  deadLettered: number;
  flushLatencyMsP50: number | null;
  flushLatencyMsMax: number | null;
  lastError: string | null;
  lastErrorAt: string | null;
  retrying: boolean;
}

/**
 * This process's raw numbers, returned by {@link OpsSources.summary} once per sample. Unknown
 * values are null (the panel shows "n/a"); cumulative counters are totals since the process started.
 */
export interface ProcessStatsInput {
  /** 99th percentile of room simulation tick duration (ms) over a recent window. */
  tickMsP99: number | null;
  /** Patch bytes sent to clients since start (cumulative); the monitor derives bytes/s. */
  patchBytesTotal: number | null;
  /** The passport writer (PassportWriter.stats()), or null when this process has none. */
  passport: PassportStatsInput | null;
  /** How far the spectator leaderboards trail the events feeding them (ms). */
  leaderboardLagMs: number | null;
  /** Room and HTTP counters as per-second rates over the last minute (src/ops/counterRates.ts). */
  rates?: CounterRatesView | null;
}

/** One room as the matchmaker lists it (`matchMaker.query({})` rows satisfy this). */
export interface RoomListing {
  roomId: string;
  name: string;
  processId: string;
  clients: number;
  maxClients: number;
  locked?: boolean;
  private?: boolean;
  publicAddress?: string;
  createdAt?: Date | string | number;
  metadata?: unknown;
}

/** Who this process is. */
export interface ProcessIdentity {
  /** Colyseus `matchMaker.processId`. */
  processId: string;
  publicAddress: string | null;
  transport: string;
  /** Epoch ms the process booted. */
  startedAt: number;
  /** What this process runs: rooms (ROOMS_ENABLED) and the scheduled jobs (JOBS_ENABLED). */
  role: ProcessRole;
}

export interface ProcessRole {
  rooms: boolean;
  jobs: boolean;
}

/**
 * What the wiring provides. Every function returns plain objects; none may throw for "unknown"
 * values (use null). Implemented in src/app.ts (see the report for the snippet).
 */
export interface OpsSources {
  process: ProcessIdentity;
  /** This process's raw numbers, called once per sample (1 s). Must be cheap. */
  summary(): ProcessStatsInput | Promise<ProcessStatsInput>;
  /** Database and Redis probes, each bounded by a timeout (healthReport() in healthRoutes.ts). */
  health(): Promise<{ database: Probe; redis: Probe }>;
  /** Every room in the cluster (`matchMaker.query({})`): the rooms panel, on request only. */
  rooms(): Promise<RoomListing[]>;
  /**
   * This process's rooms and clients per room type, counted in memory, for the heartbeat every sample:
   * never a matchmaker query (with the Redis driver that is an HGETALL of every room of the cluster).
   */
  localRooms(): Record<string, RoomTypeCount>;
  /** A room's inspector view (`matchMaker.remoteRoomCall(id, 'getInspectorView')`), null when it is gone. */
  inspectRoom(roomId: string): Promise<unknown | null>;
  /** Disposes a room (every client is closed); false when no such room runs. */
  disposeRoom(roomId: string): Promise<boolean>;
  /** Closes one client of a room. */
  kickClient(roomId: string, sessionId: string): Promise<'kicked' | 'no_room' | 'no_client'>;
  dia: DiaReader;
  /** Where processes publish heartbeats: Local without Redis, Redis when processes share it. */
  registry: ProcessRegistry;
  /** Clock, for tests; default Date.now. */
  now?: () => number;
}

/** The passport block of a heartbeat: the writer's state with the cumulative count renamed, plus the derived rate. */
export type PassportHeartbeat = Omit<PassportStatsInput, 'persisted'> & {
  persistedPerSec: number | null;
  persistedTotal: number;
};

/** One process's row on the panel, published into the registry every sample. */
export interface ProcessHeartbeat {
  processId: string;
  publicAddress: string | null;
  pid: number;
  hostname: string;
  transport: string;
  startedAt: number;
  /** Rooms and/or jobs (absent from a process that predates it: it hosted rooms). */
  role?: ProcessRole;
  /** Epoch ms this heartbeat was taken. */
  at: number;
  uptimeSec: number;
  rssMb: number;
  heapUsedMb: number;
  /** Rooms and clients on this process, by room type. */
  rooms: Record<string, RoomTypeCount>;
  ccu: number;
  tickMsP99: number | null;
  patchBytesPerSec: number | null;
  eventLoopLagMsP99: number | null;
  passport: PassportHeartbeat | null;
  leaderboardLagMs: number | null;
  /** This process's room and HTTP rates over the last minute (absent from a process that predates them). */
  rates?: CounterRatesView | null;
}

/** One point of the cluster history (charts). */
export interface HistoryPoint {
  /** Epoch seconds (uPlot's x unit). */
  t: number;
  eventsPerSec: number | null;
  ccu: number;
}

/** The live view: GET /api/ops/overview. */
export interface OpsOverview {
  at: number;
  self: string;
  registry: 'local' | 'redis';
  health: { database: Probe; redis: Probe };
  totals: { rooms: Record<string, RoomTypeCount>; ccu: number; eventsPerSec: number | null; processes: number; rates: CounterRatesView | null };
  processes: ProcessHeartbeat[];
  /** Set when the registry could not be read or written (e.g. Redis down): only this process is shown. */
  registryError: string | null;
}
