/**
 * THE registry of the client contract: every room message and every client-facing HTTP operation,
 * each pointing at the zod schema the server validates with (inputs) or builds its answer from
 * (outputs). `npm run codegen` turns this list into clients/contract/*.json (JSON Schema, AsyncAPI 3,
 * OpenAPI 3.1) and the TS / Swift message types; `npm run codegen:check` fails CI when they are stale.
 *
 * To add a message or an endpoint: write its zod schema next to the code that validates or builds it
 * (give it `.meta({ title })` so the generated type has a stable name), append ONE entry to
 * ROOM_MESSAGES or HTTP_OPERATIONS below, run `npm run codegen`, and add a JSON example to
 * docs/PROTOCOL.md (test/unit/contract/protocolExamples.test.ts checks every message has one).
 */
import { z } from 'zod';
import { joinOptionsSchema, messageSchemas, syncOfflineContractSchema } from '../rooms/session/messages.js';
import { replySchemas } from '../rooms/session/replies.js';
import { coliseumErrorSchema } from '../rooms/leaderboard/replies.js';
import { deviceBody, refreshBody } from '../src/http/authRoutes.js';
import { rankSchema } from '../src/http/gravityRoutes.js';
import { gravityEventCamelSchema, gravityEventSchema } from '../systems/passport/build.js';
import { envelopeSchema } from '../systems/passport/validate.js';
import { EVENT_TYPES, payloadSchemas } from '../systems/passport/index.js';
import { gravityNeighborsSchema, httpErrorSchema, ingestAcceptedSchema, radioRankedSchema, refreshedSchema, signedInSchema } from '../src/http/responses.js';

/** One room message; `direction` is seen from the client. */
export interface RoomMessage {
  room: 'session' | 'coliseum';
  direction: 'send' | 'receive';
  type: string;
  /** Name of the generated TS / Swift type. */
  title: string;
  schema: z.ZodType;
  summary: string;
}

export type HttpAuth = 'none' | 'user' | 'user-or-admin';

export interface HttpOperation {
  operationId: string;
  method: 'GET' | 'POST';
  path: string;
  summary: string;
  auth: HttpAuth;
  request?: { title: string; schema: z.ZodType };
  /** Status → body; every operation also answers `HttpError` on 4xx/5xx. */
  responses: Record<number, { description: string; title?: string; schema?: z.ZodType }>;
}

const send = (type: keyof typeof messageSchemas, title: string, summary: string, schema: z.ZodType = messageSchemas[type]): RoomMessage => ({ room: 'session', direction: 'send', type, title, schema, summary });
const receive = (type: keyof typeof replySchemas, title: string, summary: string): RoomMessage => ({ room: 'session', direction: 'receive', type, title, schema: replySchemas[type], summary });

/** Room messages. Append new ones here. */
export const ROOM_MESSAGES: RoomMessage[] = [
  send('swipe', 'SwipeMessage', 'Release a dial swipe; the dial glides, then `locked`.'),
  send('tune', 'TuneMessage', 'Jump to the nearest station; `locked` follows.'),
  send('tap_orb', 'TapOrbMessage', 'Zoom to an orb (a key of state.orbs); `transition` answers.'),
  send('clock', 'ClockRequest', 'Clock sync for orb motion; `clock` answers.'),
  send('capture', 'CaptureMessage', 'Capture the current (or a named) artist as a star; `captured` answers.'),
  send('sensor_batch', 'SensorBatchMessage', 'Motion-sensor samples for engagement; `sensor_ack` answers.'),
  send('sync_offline', 'SyncOfflineMessage', 'Replay the offline queue, idempotent per opId; `offline_synced` answers.', syncOfflineContractSchema),
  receive('welcome', 'WelcomeMessage', 'Once per fresh join.'),
  receive('locked', 'LockedMessage', 'The dial settled on a station, or an orb zoom arrived (`via: orb`).'),
  receive('clock', 'ClockMessage', 'Answer to `clock`.'),
  receive('transition', 'TransitionMessage', 'Answer to `tap_orb`: the camera path to animate.'),
  receive('captured', 'CapturedMessage', 'Answer to `capture`, after the star is stored.'),
  receive('badge', 'BadgeMessage', 'A badge was earned.'),
  receive('sensor_ack', 'SensorAckMessage', 'Answer to `sensor_batch`.'),
  receive('offline_synced', 'OfflineSyncedMessage', 'Answer to `sync_offline`.'),
  receive('error', 'SessionErrorMessage', 'A message was refused; nothing changed.'),
  receive('connection', 'ConnectionMessage', 'Locking on a star coming from another star drew a line between them (seed 4.4).'),
  receive('tip', 'TipMessage', 'The parallax tip, once per user (seed 5.4).'),
  receive('recommendations', 'RecommendationsMessage', 'A fresh recommendation list after captures (at most one per RECOMMENDATION_MIN_INTERVAL_MS).'),
  receive('suggestions', 'SuggestionsMessage', 'Artists to try after zooming into one (an orb tap).'),
  { room: 'coliseum', direction: 'receive', type: 'error', title: 'ColiseumErrorMessage', schema: coliseumErrorSchema, summary: 'Spectators send nothing: any message is refused READ_ONLY.' },
];

/** Join options, per room. */
export const JOIN_OPTIONS: Array<{ room: RoomMessage['room']; title: string; schema: z.ZodType }> = [{ room: 'session', title: 'SessionJoinOptions', schema: joinOptionsSchema }];

/** One passport event as `POST /api/passport/log` takes it: the envelope, its payload checked per `eventType`. */
export const passportEventSchema = z
  .discriminatedUnion(
    'eventType',
    EVENT_TYPES.map((type) =>
      envelopeSchema.extend({ eventType: z.literal(type), payload: payloadSchemas[type].optional() }).meta({ title: `PassportEvent_${type.replace('.', '_')}` }),
    ) as unknown as [z.ZodObject, ...z.ZodObject[]],
  )
  .meta({ title: 'PassportEvent', description: 'One passport event; payload fields per eventType (extra payload fields are kept).' });

const ingest = { 202: { description: 'Committed to Postgres.', title: 'IngestAccepted', schema: ingestAcceptedSchema } };

/** Client-facing HTTP operations. Append new ones here. */
export const HTTP_OPERATIONS: HttpOperation[] = [
  {
    operationId: 'authDevice',
    method: 'POST',
    path: '/api/auth/device',
    summary: 'Sign a device in (new user, same user, or linked with a Bearer token of the user).',
    auth: 'none',
    request: { title: 'DeviceSignInRequest', schema: deviceBody },
    responses: { 200: { description: 'Known device.', title: 'SignedIn', schema: signedInSchema }, 201: { description: 'New device.', title: 'SignedIn', schema: signedInSchema } },
  },
  {
    operationId: 'authRefresh',
    method: 'POST',
    path: '/api/auth/refresh',
    summary: 'Rotate a refresh token (single use).',
    auth: 'none',
    request: { title: 'RefreshRequest', schema: refreshBody },
    responses: { 200: { description: 'New tokens.', title: 'Refreshed', schema: refreshedSchema } },
  },
  {
    operationId: 'passportLog',
    method: 'POST',
    path: '/api/passport/log',
    summary: "Log one passport event for the token's user.",
    auth: 'user-or-admin',
    request: { title: 'PassportEvent', schema: passportEventSchema },
    responses: ingest,
  },
  {
    operationId: 'passportBatch',
    method: 'POST',
    path: '/api/passport/batch',
    summary: 'Log up to 1,000 events, all or nothing.',
    auth: 'user-or-admin',
    request: { title: 'PassportBatch', schema: z.strictObject({ events: z.array(passportEventSchema).min(1).max(1000) }).meta({ title: 'PassportBatch' }) },
    responses: ingest,
  },
  {
    operationId: 'gravityEvent',
    method: 'POST',
    path: '/event',
    summary: 'A gravity-layer play event (seed 001): snake_case, or the same fields in camelCase.',
    auth: 'user-or-admin',
    request: { title: 'GravityEvent', schema: z.union([gravityEventSchema, gravityEventCamelSchema]).meta({ title: 'GravityEvent' }) },
    responses: ingest,
  },
  {
    operationId: 'gravityNeighbors',
    method: 'GET',
    path: '/tracks/{id}/gravity_neighbors',
    summary: "A track's strongest next tracks (query `limit`, default 10).",
    auth: 'none',
    responses: { 200: { description: 'Neighbours, strongest first.', title: 'GravityNeighbors', schema: gravityNeighborsSchema } },
  },
  {
    operationId: 'radioRank',
    method: 'POST',
    path: '/api/radio/rank',
    summary: 'Rank radio candidates: 0.7 embedding + 0.3 gravity.',
    auth: 'user-or-admin',
    request: { title: 'RadioRankRequest', schema: rankSchema({ maxCandidates: 500, maxHistory: 1000 }).meta({ title: 'RadioRankRequest' }) },
    responses: { 200: { description: 'Best first.', title: 'RadioRanked', schema: radioRankedSchema } },
  },
];

/** The error body every operation may answer. */
export const HTTP_ERROR = { title: 'HttpError', schema: httpErrorSchema };
