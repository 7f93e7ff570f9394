/**
 * Answers of the ops console's API (`/api/ops/*`) as zod schemas: the top level of each view exactly,
 * the process rows and room views by the fields the console reads (their other fields pass through:
 * they grow with the monitor, and the console shows what it knows).
 */
import { z } from 'zod';
import type { HistoryPoint, OpsActivityPage, OpsOverview, OpsSystemCounts, OpsTimelinePage, OpsUserDetail, OpsUserPage } from '../../persistence/ops/views.js';

const probe = z.enum(['up', 'down', 'not_configured']);
const roomTypeCount = z.object({ rooms: z.number().int(), clients: z.number().int() });
const rateRows = z.array(z.object({ labels: z.record(z.string(), z.string()), count: z.number(), perSec: z.number() }));
const rates = z.object({ windowSec: z.number(), messages: rateRows, errors: rateRows, connections: rateRows, http: rateRows }).nullable();
const maybe = z.number().nullable();

/** One process's heartbeat row (persistence/ops/views.ts `ProcessHeartbeat`). */
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

/** `GET /api/ops/overview` 200. */
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

/** `GET /api/ops/history` 200. */
export const opsHistorySchema = z
  .object({
    sampleMs: z.number().int(),
    points: z.array(z.object({ t: z.number(), eventsPerSec: z.number().nullable(), ccu: z.number() }).meta({ title: 'OpsHistoryPoint' })),
  })
  .meta({ title: 'OpsHistory' });

/** `GET /api/ops/system` 200. */
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

/** `GET /api/ops/logs` 200. */
export const opsLogsSchema = z.object({ capacity: z.number().int(), lines: z.array(z.looseObject({})) }).meta({ title: 'OpsLogs' });

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

/** `GET /api/ops/users` 200. */
export const opsUsersSchema = z.object({ users: z.array(opsUser), nextCursor: z.string().nullable() }).meta({ title: 'OpsUsers' });

/** `GET /api/ops/users/{userId}` 200. */
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

/** `GET /api/ops/users/{userId}/timeline` 200. */
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

/** `GET /api/ops/users/{userId}/activity` 200. */
export const opsActivitySchema = z
  .object({
    entries: opsTimelineSchema.shape.entries,
    cursor: z.string().nullable(),
    windowSec: z.number().int(),
    truncated: z.boolean(),
  })
  .meta({ title: 'OpsActivityPage' });

/** `GET /api/ops/rooms` 200: the matchmaker's listing. */
export const opsRoomsSchema = z
  .object({ rooms: z.array(z.looseObject({ roomId: z.string(), name: z.string(), processId: z.string(), clients: z.number().int(), maxClients: z.number() })) })
  .meta({ title: 'OpsRooms' });

/** `GET /api/ops/rooms/{roomId}` 200: the room's inspector view (Colyseus's `Room.getInspectorView`). */
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

/**
 * The console's types (persistence/ops/views.ts) and these schemas describe the same answers: each type
 * must be assignable to its schema's input, so a field added to one and not the other fails the type check.
 */
type Fits<T extends U, U> = T;
export type OpsSchemasFitTheirTypes = [
  Fits<OpsOverview, z.input<typeof opsOverviewSchema>>,
  Fits<{ sampleMs: number; points: HistoryPoint[] }, z.input<typeof opsHistorySchema>>,
  Fits<OpsSystemCounts, z.input<typeof opsSystemCountsSchema>>,
  Fits<OpsUserPage, z.input<typeof opsUsersSchema>>,
  Fits<OpsUserDetail, z.input<typeof opsUserDetailSchema>>,
  Fits<OpsTimelinePage, z.input<typeof opsTimelineSchema>>,
  Fits<OpsActivityPage, z.input<typeof opsActivitySchema>>,
];
