/** The ops console's answers as zod schemas: the routes declare them, the features build them, the console reads the generated types. */
import { z } from 'zod';

const probe = z.enum(['up', 'down', 'not_configured']);
const roomTypeCount = z.object({ rooms: z.number().int(), clients: z.number().int() }).meta({ title: 'RoomTypeCount' });
/** Increase (`count`) and rate over the window, per label set. */
const rateRow = z.object({ labels: z.record(z.string(), z.string()), count: z.number(), perSec: z.number() }).meta({ title: 'RateRow' });
const rateRows = z.array(rateRow);
/** Over the last minute (`windowSec`), each from one prom-client counter (src/metrics.ts, src/http/httpMetrics.ts). */
const counterRates = z
  .object({ windowSec: z.number(), messages: rateRows, errors: rateRows, connections: rateRows, http: rateRows })
  .meta({ title: 'CounterRates' });
const rates = counterRates.nullable();
const maybe = z.number().nullable();

/** Published every sample; `role` and `rates` are absent from a process that predates them. */
export const processHeartbeatSchema = z
  .object({
    processId: z.string(),
    publicAddress: z.string().nullable(),
    pid: z.number().int(),
    hostname: z.string(),
    transport: z.string(),
    startedAt: z.number(),
    role: z.object({ rooms: z.boolean(), jobs: z.boolean() }).optional(),
    at: z.number(),
    uptimeSec: z.number(),
    rssMb: z.number(),
    heapUsedMb: z.number(),
    rooms: z.record(z.string(), roomTypeCount),
    ccu: z.number().int(),
    tickMsP99: maybe,
    patchBytesPerSec: maybe,
    eventLoopLagMsP99: maybe,
    passport: z
      .object({
        queueDepth: z.number(),
        maxQueue: z.number(),
        rejected: z.number(),
        deadLettered: z.number(),
        flushLatencyMsP50: maybe,
        flushLatencyMsMax: maybe,
        lastError: z.string().nullable(),
        lastErrorAt: z.string().nullable(),
        retrying: z.boolean(),
        persistedPerSec: maybe,
        persistedTotal: z.number(),
      })
      .nullable(),
    leaderboardLagMs: maybe,
    rates: rates.optional(),
  })
  .meta({ title: 'OpsProcessHeartbeat' });

export const opsOverviewSchema = z
  .object({
    at: z.number(),
    self: z.string(),
    registry: z.enum(['local', 'redis']),
    health: z.object({ database: probe, redis: probe }),
    totals: z.object({
      rooms: z.record(z.string(), roomTypeCount),
      ccu: z.number().int(),
      eventsPerSec: z.number().nullable(),
      processes: z.number().int(),
      rates,
    }),
    processes: z.array(processHeartbeatSchema),
    registryError: z.string().nullable(),
  })
  .meta({ title: 'OpsOverview' });

export const opsHistorySchema = z
  .object({
    sampleMs: z.number().int(),
    points: z.array(z.object({ t: z.number(), eventsPerSec: z.number().nullable(), ccu: z.number() }).meta({ title: 'OpsHistoryPoint' })),
  })
  .meta({ title: 'OpsHistory' });

export const opsSystemCountsSchema = z
  .object({
    totalUsers: z.number(),
    activeToday: z.number(),
    openSessions: z.number(),
    interactions24h: z.number(),
    captures24h: z.number(),
    deadLetters: z.number(),
  })
  .meta({ title: 'OpsSystemCounts' });

export const opsLogsSchema = z.object({ capacity: z.number().int(), lines: z.array(z.looseObject({})) }).meta({ title: 'OpsLogs' });

/** `matchedBy`: in a search, the field the query matched (exact matches first). */
const opsUser = z
  .object({
    id: z.string(),
    deviceId: z.string(),
    firstLaunch: z.boolean(),
    city: z.string().nullable(),
    createdAt: z.string(),
    lastSeenAt: z.string(),
    displayName: z.string().nullable(),
    email: z.string().nullable(),
    deviceModel: z.string().nullable(),
    sessionCount: z.number().int(),
    matchedBy: z.enum(['id', 'device', 'email', 'displayName', 'deviceModel']).optional(),
  })
  .meta({ title: 'OpsUser' });

export const opsUsersSchema = z.object({ users: z.array(opsUser), nextCursor: z.string().nullable() }).meta({ title: 'OpsUsers' });

export const opsUserDetailSchema = z
  .object({
    user: opsUser,
    sessions: z.array(
      z.object({
        id: z.string(),
        deviceId: z.string(),
        deviceModel: z.string().nullable(),
        appVersion: z.string().nullable(),
        startedAt: z.string(),
        lastActive: z.string(),
        endedAt: z.string().nullable(),
        frequency: z.number(),
        artistId: z.string().nullable(),
        interactions: z.number(),
        swipes: z.number(),
        orbsExplored: z.number(),
        captures: z.number(),
      }),
    ),
    badges: z.array(z.object({ badge: z.string(), earnedAt: z.string() })),
    constellation: z.object({
      stars: z.array(
        z.object({
          artistId: z.string(),
          artistName: z.string().nullable(),
          x: z.number(),
          y: z.number(),
          z: z.number(),
          capturedAt: z.string(),
          sessionId: z.string().nullable(),
        }),
      ),
      connections: z.array(z.object({ from: z.string(), to: z.string(), strength: z.number(), type: z.string() })),
    }),
    passportEntries: z.number().int(),
  })
  .meta({ title: 'OpsUserDetail' });

export const opsTimelineSchema = z
  .object({
    entries: z.array(
      z.object({
        id: z.string(),
        eventId: z.string(),
        eventType: z.string(),
        eventCategory: z.string(),
        occurredAt: z.string(),
        receivedAt: z.string(),
        sessionId: z.string().nullable(),
        entityType: z.string().nullable(),
        entityId: z.string().nullable(),
        source: z.string(),
        payload: z.unknown(),
      }),
    ),
    nextCursor: z.string().nullable(),
  })
  .meta({ title: 'OpsTimelinePage' });

export const opsActivitySchema = z
  .object({
    entries: opsTimelineSchema.shape.entries,
    cursor: z.string().nullable(),
    windowSec: z.number().int(),
    truncated: z.boolean(),
  })
  .meta({ title: 'OpsActivityPage' });

/** `matchMaker.query({})` rows carry more than these fields. */
const roomListing = z
  .looseObject({
    roomId: z.string(),
    name: z.string(),
    processId: z.string(),
    clients: z.number().int(),
    maxClients: z.number(),
    locked: z.boolean().optional(),
    createdAt: z.string().optional(),
  })
  .meta({ title: 'RoomListing' });
export const opsRoomsSchema = z.object({ rooms: z.array(roomListing) }).meta({ title: 'OpsRooms' });

/** Colyseus's `Room.getInspectorView`. */
export const opsRoomSchema = z
  .object({
    roomId: z.string(),
    name: z.string(),
    clients: z.number().int(),
    maxClients: z.number(),
    locked: z.boolean(),
    elapsedTime: z.number(),
    metadata: z.unknown(),
    clientList: z.array(z.object({ sessionId: z.string(), userId: z.string().nullable(), userEmail: z.string().nullable(), elapsedTime: z.number() })),
    state: z.unknown(),
    stateSize: z.number(),
  })
  .meta({ title: 'OpsRoom' });

/** One run as job_logs holds it. */
export const jobRunSchema = z.object({
  id: z.string(),
  jobName: z.string(),
  trigger: z.enum(['schedule', 'manual', 'event']),
  scheduledFor: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
  rows: z.number().nullable(),
  outcome: z.enum(['running', 'succeeded', 'failed', 'interrupted', 'abandoned']),
  error: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  process: z.string(),
});

/** A DIA user search hit. */
export const dnaLookupUserSchema = z.object({
  id: z.string(),
  deviceId: z.string(),
  displayName: z.string().nullable(),
  email: z.string().nullable(),
  matchedBy: z.enum(['id', 'device', 'email', 'displayName']),
  lastSeenAt: z.string(),
});

export type JobRunView = z.infer<typeof jobRunSchema>;
export type DnaLookupUser = z.infer<typeof dnaLookupUserSchema>;
export type Probe = z.infer<typeof probe>;
export type RoomTypeCount = z.infer<typeof roomTypeCount>;
export type RateRow = z.infer<typeof rateRow>;
export type CounterRatesView = z.infer<typeof counterRates>;
export type RoomListing = z.infer<typeof roomListing>;
export type ProcessHeartbeat = z.infer<typeof processHeartbeatSchema>;
export type PassportHeartbeat = NonNullable<ProcessHeartbeat['passport']>;
export type ProcessRole = NonNullable<ProcessHeartbeat['role']>;
export type OpsOverview = z.infer<typeof opsOverviewSchema>;
export type HistoryPoint = z.infer<typeof opsHistorySchema>['points'][number];
export type OpsSystemCounts = z.infer<typeof opsSystemCountsSchema>;
export type OpsUser = z.infer<typeof opsUser>;
export type OpsUserPage = z.infer<typeof opsUsersSchema>;
export type OpsUserDetail = z.infer<typeof opsUserDetailSchema>;
export type OpsSession = OpsUserDetail['sessions'][number];
export type OpsStar = OpsUserDetail['constellation']['stars'][number];
export type OpsConnection = OpsUserDetail['constellation']['connections'][number];
export type OpsBadge = OpsUserDetail['badges'][number];
export type OpsTimelinePage = z.infer<typeof opsTimelineSchema>;
export type OpsTimelineEntry = OpsTimelinePage['entries'][number];
export type OpsActivityPage = z.infer<typeof opsActivitySchema>;

/** How far a passport cursor is behind (persistence/passport/PassportCursor.ts); the processor view shows it as is. */
export const cursorLagSchema = z.object({
  lastId: z.string(),
  headId: z.string(),
  /** Passport rows after the cursor, counted up to LAG_COUNT_CAP (then `behindCapped`). */
  behind: z.number().int(),
  behindCapped: z.boolean(),
  /** When the oldest row still waiting was received (null when caught up): the lag in time. */
  oldestPendingAt: z.string().nullable(),
  /** When the cursor last moved (null before its first batch). */
  movedAt: z.string().nullable(),
});
export type CursorLag = z.output<typeof cursorLagSchema>;
