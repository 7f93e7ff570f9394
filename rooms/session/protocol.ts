/**
 * The session room's messages, declared once: each client message's input schema, example, handler and
 * the replies it may cause, then every reply the room sends with when it is sent. The room dispatches from
 * this table (validate, then handle, as Colyseus's `validate(schema, handler)`); contract/registry.ts,
 * the generated client types and the tables and examples of docs/PROTOCOL.md are derived from it
 * (`npm run codegen`). Adding a message is docs/DEVELOPMENT.md's recipe: its row here, a pure function in
 * systems/ if its logic is new, a test.
 */
import { z } from 'zod';
import { offlineOperationSchema, MAX_OFFLINE_OPERATIONS } from '../../systems/passport/offline.js';
import { journalRequestSchema } from './journalReplies.js';
import { inputSeqSchema } from './messages.js';
import type { Outcome, SessionView, Steps } from './outcome.js';
import type { SessionRoomPorts } from './ports.js';
import type { ReplyType } from './replies.js';
import { clock, swipe, tapOrb, tune } from './dialInputs.js';
import { journal, sensorBatch, syncOffline } from './inputs.js';
import { search } from './searchInput.js';
import { markNotificationsRead } from './notifications.js';
import { MAX_INBOX_PAGE, notificationIdSchema } from '../../systems/notifications/index.js';

/** The port groups (ports.ts) a message handler may receive: a row names the one it gets, and it gets nothing else. */
export type MessagePorts = Pick<SessionRoomPorts, 'dial' | 'offline' | 'journal' | 'search' | 'notifications'>;
type PortKey = keyof MessagePorts;
type PortOf<K extends PortKey | undefined> = K extends PortKey ? MessagePorts[K] : undefined;

/** A handler reads its session and its feature's port, and returns what its input changes as data (outcome.ts), or yields it step by step. */
export type Handler<M, P = unknown> = (s: SessionView, msg: M, port: P) => Outcome | Promise<Outcome> | Steps;

/** One client message: validated with `input`, handled by `handle` with the port group `port` names; `contract` when clients should send a stricter shape than the room admits. */
export interface MessageRow<S extends z.ZodType = z.ZodType, K extends PortKey | undefined = PortKey | undefined> {
  title: string;
  summary: string;
  input: S;
  contract?: z.ZodType;
  /** What a client sends, as docs/PROTOCOL.md shows it (checked against the contract's JSON Schema). */
  example: z.input<S>;
  replies: readonly ReplyType[];
  /** The port group its handler receives; none for a handler that reads only its session. */
  port?: K;
  handle: Handler<z.output<S>, PortOf<K>>;
}

/** A row typed by its schema and its port: the handler gets what the schema produces and its own port (no cast at the call site). */
const on = <S extends z.ZodType, K extends PortKey | undefined = undefined>(row: MessageRow<S, K>): MessageRow<S, K> => row;

const id = (max: number) => z.string().min(1).max(max);
const finite = (min: number, max: number) => z.number().finite().min(min).max(max);
/** Every input may carry its `seq` (messages.ts): applied once, in order; one already applied answers `duplicate`. */
const sequenced = <T extends z.ZodRawShape, C extends z.core.$ZodObjectConfig>(schema: z.ZodObject<T, C>) => schema.extend({ seq: inputSeqSchema });

const sensorSample = z.object({
  type: z.enum(['gyroscope', 'accelerometer', 'motion']),
  duration: finite(0, 3600),
  maxTiltX: finite(-180, 180),
  maxTiltY: finite(-180, 180),
  at: z.union([z.string().datetime({ offset: true }), finite(0, 8.64e15)]),
});
// offlineDuration: seconds the device was offline (seed 15.4), at most 30 days; new data is what changed since.
const offlineDuration = finite(0, 30 * 86_400).optional();

/** Client → server messages, in the order docs/PROTOCOL.md lists them. */
export const SESSION_MESSAGES = {
  swipe: on({
    title: 'SwipeMessage',
    summary: 'Release a dial swipe; the dial glides, then `locked`.',
    example: { direction: 'right', velocity: 850, seq: 41 },
    input: sequenced(z.object({ direction: z.enum(['left', 'right']), velocity: finite(0, 20_000) })),
    replies: ['locked'],
    port: 'dial',
    handle: swipe,
  }),
  tune: on({
    title: 'TuneMessage',
    summary: 'Jump to the nearest station; `locked` follows.',
    example: { frequency: 101.3 },
    input: sequenced(z.object({ frequency: finite(87.5, 108) })),
    replies: ['locked', 'connection'],
    port: 'dial',
    handle: tune,
  }),
  tap_orb: on({
    title: 'TapOrbMessage',
    summary: 'Zoom to an orb (a key of state.orbs); `transition` answers.',
    example: { orbId: 'orb_artist_wizkid__artist_fela_kuti' },
    input: sequenced(z.object({ orbId: id(200) })),
    replies: ['transition'],
    port: 'dial',
    handle: tapOrb,
  }),
  clock: on({
    title: 'ClockRequest',
    summary: 'Clock sync for orb motion; `clock` answers.',
    example: { t0: 1767225600000 },
    input: sequenced(z.object({ t0: finite(0, 8.64e15) })),
    replies: ['clock'],
    port: 'dial',
    handle: clock,
  }),
  capture: on({
    title: 'CaptureMessage',
    summary: 'Capture the current (or a named) artist as a star; `captured` answers.',
    example: { opId: '3f2b6c1e-8a4d-4c7e-9b1a-0d5e6f7a8b9c' },
    input: sequenced(z.object({ artistId: id(200).optional(), opId: id(100).optional() })),
    replies: ['captured', 'badge', 'recommendations'],
    handle: (s, msg) => s.capture.run(msg),
  }),
  sensor_batch: on({
    title: 'SensorBatchMessage',
    summary: 'Motion-sensor samples for engagement; `sensor_ack` answers.',
    example: { samples: [{ type: 'gyroscope', duration: 2.5, maxTiltX: 12.5, maxTiltY: -4, at: '2026-01-01T00:00:00.000Z' }] },
    input: sequenced(z.object({ samples: z.array(sensorSample).min(1).max(100) })),
    replies: ['sensor_ack', 'tip'],
    handle: sensorBatch,
  }),
  sync_offline: on({
    title: 'SyncOfflineMessage',
    summary: 'Replay the offline queue, idempotent per opId; `offline_synced` answers.',
    // The room admits any objects and validates each operation during the replay, so one bad operation fails
    // alone (`offline_synced.failed`) instead of the whole sync; the contract documents the per-operation shape.
    input: sequenced(z.object({ operations: z.array(z.record(z.string(), z.unknown())).min(1).max(500), offlineDuration })),
    contract: sequenced(z.object({ operations: z.array(offlineOperationSchema).min(1).max(MAX_OFFLINE_OPERATIONS), offlineDuration })),
    example: {
      operations: [
        { opId: 'op-1', type: 'station_visit', artistId: 'artist_wizkid', frequency: 99.9, occurredAt: 1767225600000 },
        {
          opId: 'op-2',
          type: 'orb_interaction',
          fromArtistId: 'artist_wizkid',
          toArtistId: 'artist_fela_kuti',
          orbId: 'orb_1',
          relationship: 'influence',
          occurredAt: '2026-01-01T00:01:00Z',
        },
        { opId: 'op-3', type: 'capture_star', artistId: 'artist_fela_kuti', discoveryPath: ['artist_wizkid'], occurredAt: 1767225700000 },
      ],
    },
    replies: ['offline_synced'],
    port: 'offline',
    handle: syncOffline,
  }),
  // The constellation journal (seed 000 step 8); no fields but its seq: the user is the session's.
  journal: on({
    title: 'JournalRequest',
    summary: "The constellation journal of the session's user; `journal` answers.",
    example: {},
    input: sequenced(journalRequestSchema).optional(),
    contract: sequenced(journalRequestSchema),
    replies: ['journal'],
    port: 'journal',
    handle: journal,
  }),
  // Seed 000 step 13 from the dial: the query's own rules (2..100 characters after sanitising) are checked by the handler.
  search: on({
    title: 'SearchRequest',
    summary: 'Artist search from the dial (one at a time per session, else BUSY); `search` answers.',
    example: { q: 'fela', limit: 5, requestId: 'r-17' },
    input: sequenced(z.object({ q: z.string().min(1).max(100), limit: z.number().int().min(1).max(200).optional(), requestId: id(100).optional() })),
    replies: ['search'],
    port: 'search',
    handle: search,
  }),
  // The inbox (seed 000 steps 16.4, 12.10) from the session, as POST /api/notifications/read: the user is the session's.
  notifications_read: on({
    title: 'NotificationsReadMessage',
    summary: "Mark the session user's notifications read: `ids`, or `all: true`; `notifications_marked` answers.",
    example: { ids: ['12'], seq: 7 },
    input: sequenced(z.object({ ids: z.array(notificationIdSchema).min(1).max(MAX_INBOX_PAGE).optional(), all: z.literal(true).optional() })).refine(
      (m) => (m.ids === undefined) !== (m.all === undefined),
      { message: 'send `ids` or `all: true` (one of them)' },
    ),
    replies: ['notifications_marked'],
    port: 'notifications',
    handle: markNotificationsRead,
  }),
} as const;

export type MessageType = keyof typeof SESSION_MESSAGES;
export type MessageOf<T extends MessageType> = z.output<(typeof SESSION_MESSAGES)[T]['input']>;

/** Server → client messages (schemas in replies.ts): when each is sent. A reply type without its line fails the type check. */
export const SESSION_REPLIES: Record<ReplyType, string> = {
  welcome: 'Once per fresh join (a join without `resume`, or one whose resume fell back to a fresh start).',
  resumed: 'Instead of `welcome` when a join with `resume` restored the session (after a move or a crash): resend your inputs with seq > appliedSeq.',
  moving: 'The process is draining: the session was saved; the socket closes with 4100 next. Join again with `resume` (any process).',
  duplicate: 'An input whose seq was already applied (resent after a move): ignored, nothing changed.',
  locked: 'The dial settled on a station, or an orb zoom arrived (`via: orb`).',
  clock: 'Answer to `clock`.',
  transition: 'Answer to `tap_orb`: the camera path to animate.',
  captured: 'Answer to `capture`, after the star is stored.',
  badge: 'A badge was earned.',
  sensor_ack: 'Answer to `sensor_batch`.',
  offline_synced: 'Answer to `sync_offline`.',
  error: 'A message was refused; nothing changed.',
  connection: 'Locking on a star coming from another star drew a line between them (seed 4.4).',
  tip: 'The parallax tip, once per user (seed 5.4).',
  recommendations: 'A fresh recommendation list after captures (at most one per RECOMMENDATION_MIN_INTERVAL_MS).',
  suggestions: 'Artists to try after zooming into one (an orb tap).',
  journal: 'Answer to `journal`: stars, lines, layout, clusters, statistics, insights (as GET /api/constellations/me).',
  search: "Answer to `search`, best first, with the request's `requestId` (as GET /api/search).",
  notification:
    "A new inbox entry of the session's user (a direct share, a new top recommendation, a friend request, a ride invite), as soon as it is made on any process; keep one per `id`.",
  notifications:
    'After `welcome` or `resumed` (and a reconnection): the newest unread entries (at most NOTIFY_JOIN_UNREAD_MAX) and the unread count; only when some are unread.',
  notifications_marked: 'Answer to `notifications_read`: how many were unread and now are read.',
  state_json: 'Benchmark baseline only (PATCH_BASELINE=json, off by default): the whole state as JSON text each patch step.',
};

/** The types the room's one '*' handler serves (metrics count them by name; anything else is "unknown"). */
export const MESSAGE_TYPES: ReadonlySet<string> = new Set(Object.keys(SESSION_MESSAGES));
