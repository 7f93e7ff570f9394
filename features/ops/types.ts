/** What the ops panel reads: the wiring implements {@link OpsSources}, {@link OpsMonitor} samples it, the routes serve it. */
import type { ProcessRegistry } from './processRegistry.js';
import type { DiaReader } from '../../persistence/ops/OpsRepository.js';
import type { CounterRatesView, PassportHeartbeat, Probe, ProcessHeartbeat, ProcessRole, RoomListing, RoomTypeCount } from '../../systems/ops/answers.js';

// The views the ops API answers are declared once, as the schemas on the floor below the server and the console.
export type * from '../../systems/ops/answers.js';
export type { TimelineQuery, DiaReader } from '../../persistence/ops/OpsRepository.js';

/** `PassportWriter.stats()` satisfies it as is; `persisted` is cumulative since start (the heartbeat derives the rate). */
export type PassportStatsInput = Omit<PassportHeartbeat, 'persistedPerSec' | 'persistedTotal'> & { persisted: number };

/** Unknown values are null (the panel shows "n/a"); counters are totals since start. */
export interface ProcessStatsInput {
  /** 99th percentile of room simulation tick duration (ms) over a recent window. */
  tickMsP99: number | null;
  /** Patch bytes sent to clients since start (cumulative); the monitor derives bytes/s. */
  patchBytesTotal: number | null;
  /** The passport writer (PassportWriter.stats()), or null when this process has none. */
  passport: PassportStatsInput | null;
  /** How far the spectator leaderboards trail the events feeding them (ms). */
  leaderboardLagMs: number | null;
  /** Room and HTTP counters as per-second rates over the last minute (features/ops/counterRates.ts). */
  rates?: CounterRatesView | null;
}

/** `processId`: Colyseus `matchMaker.processId`; `role`: what this process runs, rooms (ROOMS_ENABLED) and the scheduled jobs (JOBS_ENABLED). */
type ProcessIdentity = Pick<ProcessHeartbeat, 'processId' | 'publicAddress' | 'transport' | 'startedAt'> & { role: ProcessRole };

/** Implemented in src/wire/ops.ts; none may throw for "unknown" values (use null). */
export interface OpsSources {
  process: ProcessIdentity;
  /** This process's raw numbers, called once per sample (1 s). Must be cheap. */
  summary(): ProcessStatsInput | Promise<ProcessStatsInput>;
  /** Database and Redis probes, each bounded by a timeout (healthReport() in healthRoutes.ts). */
  health(): Promise<{ database: Probe; redis: Probe }>;
  /** Every room in the cluster (`matchMaker.query({})`): the rooms panel, on request only. */
  rooms(): Promise<RoomListing[]>;
  /** Counted in memory: never a matchmaker query (with Redis that is an HGETALL of every room of the cluster). */
  localRooms(): Record<string, RoomTypeCount>;
  /** A room's inspector view (`matchMaker.remoteRoomCall(id, 'getInspectorView')`), null when it is gone. */
  inspectRoom(roomId: string): Promise<unknown | null>;
  /** Disposes a room (every client is closed); false when no such room runs. */
  disposeRoom(roomId: string): Promise<boolean>;
  kickClient(roomId: string, sessionId: string): Promise<'kicked' | 'no_room' | 'no_client'>;
  dia: DiaReader;
  /** Where processes publish heartbeats: Local without Redis, Redis when processes share it. */
  registry: ProcessRegistry;
  now?: () => number;
}
