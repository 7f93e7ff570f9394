/**
 * What the ops console reads from the ops API (`/api/ops/*`), as plain types with no imports: the live
 * overview and its process rows, the history, the rooms, and DIA's user views. The server builds them
 * (features/ops/, the DIA reads beside this file) and the console (web/src/ops/) reads them; both import
 * them from here, below the server's wiring, so the pages never reach into src/. The ops API's answer
 * schemas (src/http/opsResponses.ts) are type-checked against these.
 */

/** A health probe's answer. */
export type Probe = 'up' | 'down' | 'not_configured';

/** Rooms of one type and the clients in them. */
export interface RoomTypeCount {
  rooms: number;
  clients: number;
}

/** One label set of a counter and its rate over the window. */
export interface RateRow {
  labels: Record<string, string>;
  /** Increase in the window. */
  count: number;
  perSec: number;
}

/** The panel's rate groups, each from one prom-client counter of src/roomTraffic.ts or src/http/httpMetrics.ts. */
export interface CounterRatesView {
  /** Seconds the rates cover: the last minute, or less since this process started. */
  windowSec: number;
  /** `ds_room_messages_in_total` by room and type. */
  messages: RateRow[];
  /** `ds_room_error_replies_total` by room and code. */
  errors: RateRow[];
  /** `ds_room_connections_total` by room and event (join, leave, reconnect). */
  connections: RateRow[];
  /** `ds_http_request_duration_seconds_count` by endpoint and status class. */
  http: RateRow[];
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

export interface ProcessRole {
  rooms: boolean;
  jobs: boolean;
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

/** A user found by the DIA search. */
export interface OpsUser {
  id: string;
  deviceId: string;
  firstLaunch: boolean;
  city: string | null;
  createdAt: string;
  lastSeenAt: string;
  /** From the user's MediaID, when they gave one. */
  displayName: string | null;
  email: string | null;
  /** The model of the user's most recently seen device, as it signed in ("iPhone15,2"); null when none said. */
  deviceModel: string | null;
  /** Sessions the user has started. */
  sessionCount: number;
  /** In search results: the field the query matched (exact matches are listed first). */
  matchedBy?: 'id' | 'device' | 'email' | 'displayName' | 'deviceModel';
}

/** A page of the user list, most recently seen first; `nextCursor` asks for the next page (null: the last). */
export interface OpsUserPage {
  users: OpsUser[];
  nextCursor: string | null;
}

/** A session as DIA lists it: the session row's counters with its device and times. */
export interface OpsSession {
  frequency: number;
  artistId: string | null;
  interactions: number;
  swipes: number;
  orbsExplored: number;
  captures: number;
  id: string;
  deviceId: string;
  deviceModel: string | null;
  appVersion: string | null;
  startedAt: string;
  lastActive: string;
  endedAt: string | null;
}

export interface OpsTimelineEntry {
  id: string;
  eventId: string;
  eventType: string;
  eventCategory: string;
  occurredAt: string;
  receivedAt: string;
  sessionId: string | null;
  entityType: string | null;
  entityId: string | null;
  source: string;
  payload: unknown;
}

export interface OpsTimelinePage {
  entries: OpsTimelineEntry[];
  /** Pass as `before` to read the next (older) page; null on the last page. */
  nextCursor: string | null;
}

/** The ops user page's live feed: events that arrived for the user after `after`, newest first. */
export interface OpsActivityPage {
  entries: OpsTimelineEntry[];
  /** Pass as `after` on the next poll: the newest passport id seen (the one sent when nothing new arrived). */
  cursor: string | null;
  /** How far back the feed looks, by event time (OPS_ACTIVITY_WINDOW_SEC). */
  windowSec: number;
  /** More than `limit` events arrived since `after`: the oldest of them were left out. */
  truncated: boolean;
}

export interface OpsStar {
  artistId: string;
  artistName: string | null;
  x: number;
  y: number;
  z: number;
  capturedAt: string;
  sessionId: string | null;
}

export interface OpsConnection {
  from: string;
  to: string;
  strength: number;
  type: string;
}

export interface OpsBadge {
  badge: string;
  earnedAt: string;
}

/** Everything the DIA "user" view shows at once (the timeline is paged separately). */
export interface OpsUserDetail {
  user: OpsUser;
  sessions: OpsSession[];
  badges: OpsBadge[];
  constellation: { stars: OpsStar[]; connections: OpsConnection[] };
  passportEntries: number;
}

/** DIA system health (seed 002 §4): counted in Postgres, so read every few seconds, not per frame. */
export interface OpsSystemCounts {
  totalUsers: number;
  activeToday: number;
  openSessions: number;
  interactions24h: number;
  captures24h: number;
  deadLetters: number;
}
