/**
 * The session room's messages, declared once: input schema, example, handler and replies of each, then every reply.
 * The room dispatches from this table; the contract, client types and docs/PROTOCOL.md's tables and examples derive
 * from it. Adding a message: docs/DEVELOPMENT.md.
 */
import { z } from 'zod';
import { offlineOperationSchema, MAX_OFFLINE_OPERATIONS } from '../../systems/passport/offline.js';
import { inputSeqSchema } from './messages.js';
import type { Outcome, SessionView, Steps } from './outcome.js';
import type { SessionRoomPorts } from './ports.js';
import { RIDE_REACTIONS, typeTitle, type ReplyType } from './replies.js';
import type { RideAction } from './ride.js';
import { clock, swipe, tapOrb, tune } from './dialInputs.js';
import { journal, search, sensorBatch, syncOffline } from './inputs.js';
import { markNotificationsRead } from './notifications.js';
import { MAX_INBOX_PAGE, notificationIdSchema } from '../../systems/notifications/index.js';
import { named } from '../../systems/shapes.js';

/** A row names the one group its handler gets, and it gets nothing else. */
export type MessagePorts = Pick<SessionRoomPorts, 'dial' | 'offline' | 'journal' | 'search' | 'notifications'>;
type PortKey = keyof MessagePorts;
type PortOf<K extends PortKey | undefined> = K extends PortKey ? MessagePorts[K] : undefined;

/** Returns what its input changes as data (outcome.ts), or yields it step by step. */
export type Handler<M, P = unknown> = (s: SessionView, msg: M, port: P) => Outcome | Promise<Outcome> | Steps;

/** `contract` when clients should send a stricter shape than the room admits. */
export interface MessageRow<S extends z.ZodType = z.ZodType, K extends PortKey | undefined = PortKey | undefined> {
  /** The generated type's name; default the message type in PascalCase + `Message` (`tap_orb` → TapOrbMessage). */
  title?: string;
  summary: string;
  input: S;
  contract?: z.ZodType;
  /** As docs/PROTOCOL.md shows it (checked against the contract's JSON Schema). */
  example: z.input<S>;
  replies: readonly ReplyType[];
  /** None for a handler that reads only its session. */
  port?: K;
  /** In a ride: `dial` is sent by whoever holds the dial, `own` by any member as themselves; absent: the host only. */
  rider?: 'dial' | 'own';
  handle: Handler<z.output<S>, PortOf<K>>;
}

/** No cast at the call site. */
const on = <S extends z.ZodType, K extends PortKey | undefined = undefined>(row: MessageRow<S, K>): MessageRow<S, K> => row;

/** The user is the session's. */
const journalRequestSchema = named(z.strictObject({}), 'JournalRequest');

const id = (max: number) => z.string().min(1).max(max);
const finite = (min: number, max: number) => z.number().finite().min(min).max(max);
/** Applied once, in order; one already applied answers `duplicate`. */
const sequenced = <T extends z.ZodRawShape, C extends z.core.$ZodObjectConfig>(schema: z.ZodObject<T, C>) => schema.extend({ seq: inputSeqSchema });

const userIdSchema = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a user id');
const rideWho = z.enum(['friends', 'link']).optional();
const noFields = sequenced(z.object({}));
/** Others are skipped. */
const rideInvitees = z.array(userIdSchema).min(1).max(32).optional();
/** The host's change to the ride, as data the room applies (ride.ts). */
const ride = <S extends z.ZodType>(
  summary: string,
  example: z.input<S>,
  input: S,
  action: (msg: z.output<S>) => RideAction,
  replies: readonly ReplyType[] = ['ride'],
) => on({ summary, example, input, replies, handle: (_s, msg) => ({ ride: action(msg) }) });

const sensorSample = z.object({
  type: z.enum(['gyroscope', 'accelerometer', 'motion']),
  duration: finite(0, 3600),
  maxTiltX: finite(-180, 180),
  maxTiltY: finite(-180, 180),
  at: z.union([z.string().datetime({ offset: true }), finite(0, 8.64e15)]),
});
// Seconds offline, at most 30 days; new data is what changed since.
const offlineDuration = finite(0, 30 * 86_400).optional();

/** In the order docs/PROTOCOL.md lists them. */
export const SESSION_MESSAGES = {
  swipe: on({
    summary: 'Release a dial swipe; the dial glides, then `locked`.',
    example: { direction: 'right', velocity: 850, seq: 41 },
    input: sequenced(z.object({ direction: z.enum(['left', 'right']), velocity: finite(0, 20_000) })),
    replies: ['locked'],
    port: 'dial',
    rider: 'dial',
    handle: swipe,
  }),
  tune: on({
    summary: 'Jump to the nearest station; `locked` follows.',
    example: { frequency: 101.3 },
    input: sequenced(z.object({ frequency: finite(87.5, 108) })),
    replies: ['locked', 'connection'],
    port: 'dial',
    rider: 'dial',
    handle: tune,
  }),
  tap_orb: on({
    summary: 'Zoom to an orb (a key of state.orbs); `transition` answers.',
    example: { orbId: 'orb_artist_wizkid__artist_fela_kuti' },
    input: sequenced(z.object({ orbId: id(200) })),
    replies: ['transition'],
    port: 'dial',
    rider: 'dial',
    handle: tapOrb,
  }),
  clock: on({
    title: 'ClockRequest',
    summary: 'Clock sync for orb motion; `clock` answers.',
    example: { t0: 1767225600000 },
    input: sequenced(z.object({ t0: finite(0, 8.64e15) })),
    replies: ['clock'],
    port: 'dial',
    rider: 'own',
    handle: clock,
  }),
  capture: on({
    summary: 'Capture the current (or a named) artist as a star; `captured` answers.',
    example: { opId: '3f2b6c1e-8a4d-4c7e-9b1a-0d5e6f7a8b9c' },
    input: sequenced(z.object({ artistId: id(200).optional(), opId: id(100).optional() })),
    replies: ['captured', 'badge', 'recommendations'],
    rider: 'own',
    handle: (s, msg) => s.capture.run(msg),
  }),
  sensor_batch: on({
    summary: 'Motion-sensor samples for engagement; `sensor_ack` answers.',
    example: { samples: [{ type: 'gyroscope', duration: 2.5, maxTiltX: 12.5, maxTiltY: -4, at: '2026-01-01T00:00:00.000Z' }] },
    input: sequenced(z.object({ samples: z.array(sensorSample).min(1).max(100) })),
    replies: ['sensor_ack', 'tip'],
    handle: sensorBatch,
  }),
  sync_offline: on({
    summary: 'Replay the offline queue, idempotent per opId; `offline_synced` answers.',
    // Each operation is validated during the replay, so one bad operation fails alone (`offline_synced.failed`)
    // instead of the whole sync; the contract documents the per-operation shape.
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
  journal: on({
    title: 'JournalRequest',
    summary: "The constellation journal of the session's user; `journal` answers.",
    example: {},
    input: sequenced(journalRequestSchema).optional(),
    contract: sequenced(journalRequestSchema),
    replies: ['journal'],
    port: 'journal',
    rider: 'own',
    handle: journal,
  }),
  // The query's own rules (2..100 characters after sanitising) are checked by the handler.
  search: on({
    title: 'SearchRequest',
    summary: 'Artist search from the dial (one at a time per session, else BUSY); `search` answers.',
    example: { q: 'fela', limit: 5, requestId: 'r-17' },
    input: sequenced(z.object({ q: z.string().min(1).max(100), limit: z.number().int().min(1).max(200).optional(), requestId: id(100).optional() })),
    replies: ['search'],
    port: 'search',
    rider: 'own',
    handle: search,
  }),
  // As POST /api/notifications/read: the user is the session's.
  notifications_read: on({
    summary: "Mark the session user's notifications read: `ids`, or `all: true`; `notifications_marked` answers.",
    example: { ids: ['12'], seq: 7 },
    input: sequenced(z.object({ ids: z.array(notificationIdSchema).min(1).max(MAX_INBOX_PAGE).optional(), all: z.literal(true).optional() })).refine(
      (m) => (m.ids === undefined) !== (m.all === undefined),
      { message: 'send `ids` or `all: true` (one of them)' },
    ),
    replies: ['notifications_marked'],
    port: 'notifications',
    rider: 'own',
    handle: markNotificationsRead,
  }),
  ride_open: ride(
    'Open a ride on this session (you host it; `who` may join: `friends` by default, or anyone with the `link`); `ride` answers with the invite.',
    { who: 'friends', invite: ['7c9e6679-7425-40de-944b-e07fc1f90ae7'] },
    sequenced(z.object({ who: rideWho, invite: rideInvitees })),
    ({ who, invite }) => ({ kind: 'open', who, invite }),
  ),
  ride_invite: ride(
    'A new invite code for the ride (the old one stops working), or `revoke: true` for none; `invite` tells friends in their inbox.',
    { revoke: true },
    sequenced(z.object({ who: rideWho, invite: rideInvitees, revoke: z.literal(true).optional() })),
    ({ who, invite, revoke }) => ({ kind: 'invite', who, invite, revoke }),
  ),
  ride_pass: ride(
    'Pass the dial to a rider of the roster (one moving with the ride too): they drive until you send `ride_take`.',
    { userId: '7c9e6679-7425-40de-944b-e07fc1f90ae7' },
    sequenced(z.object({ userId: userIdSchema })),
    ({ userId }) => ({ kind: 'pass', to: userId }),
  ),
  ride_take: ride('Take the dial back from the rider holding it.', {}, noFields, () => ({ kind: 'take' })),
  ride_kick: ride(
    'Remove a rider (`ride_ended` `kicked` to them); they cannot rejoin this ride.',
    { userId: '7c9e6679-7425-40de-944b-e07fc1f90ae7' },
    sequenced(z.object({ userId: userIdSchema })),
    ({ userId }) => ({ kind: 'kick', userId }),
  ),
  ride_end: ride('End the ride: every rider gets `ride_ended` and goes back to their own session.', {}, noFields, () => ({ kind: 'end' }), ['ride_ended']),
  react: on({
    summary: 'A reaction shown to everyone in the ride (`reaction`); at most RIDE_REACTIONS_PER_10S per member.',
    example: { reaction: 'fire' },
    input: sequenced(z.object({ reaction: z.enum(RIDE_REACTIONS) })),
    replies: ['reaction'],
    rider: 'own',
    handle: (_s, { reaction }) => ({ ride: { kind: 'react', reaction } }),
  }),
} as const;

export type MessageType = keyof typeof SESSION_MESSAGES;

export const messageTitle = (type: string, row: Pick<MessageRow, 'title'>): string => row.title ?? typeTitle(type);

/** A reply type without its line fails the type check. */
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
  connection: 'Locking on a star coming from another star drew a line between them.',
  tip: 'The parallax tip, once per user.',
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
  ride: "The ride on this session, to every member at each change (who rides, who has the dial); the host's copy carries the invite.",
  ride_joined: "A rider's greeting (after `ride`): resend inputs above `appliedSeq`, this rider's own numbering.",
  reaction: 'A member of the ride reacted (`react`).',
  ride_ended: 'The ride ended (the host ended it or left, or removed you): the socket closes with 4410; rejoin your own session.',
};

/** Anything else counts as "unknown" in the metrics. */
export const MESSAGE_TYPES: ReadonlySet<string> = new Set(Object.keys(SESSION_MESSAGES));
