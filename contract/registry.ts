/**
 * THE registry of the client contract: every room message and every client-facing HTTP operation,
 * each pointing at the zod schema the server validates with (inputs) or builds its answer from
 * (outputs). `npm run codegen` turns this list into clients/contract/*.json (JSON Schema, AsyncAPI 3,
 * OpenAPI 3.1) and the TS / Swift message types; `npm run codegen:check` fails CI when they are stale.
 *
 * To add a message or an endpoint: write its zod schema next to the code that validates or builds it
 * (give it `.meta({ title })` so the generated type has a stable name), append ONE entry to
 * ROOM_MESSAGES below, or declare the route in its route file (HTTP, src/http/declare.ts), run `npm run codegen`, and add a
 * JSON example to docs/PROTOCOL.md (test/unit/contract/protocolExamples.test.ts checks every message and
 * request body has one; test/unit/contract/routeCoverage.test.ts checks every served route is listed).
 */
import { z } from 'zod';
import { joinOptionsSchema, journalInputSchema, messageSchemas, syncOfflineContractSchema } from '../rooms/session/messages.js';
import { replySchemas } from '../rooms/session/replies.js';
import { coliseumErrorSchema } from '../rooms/leaderboard/replies.js';
import { HTTP_ERROR, type HttpAuth, type HttpOperation } from './http.js';
import { operationsOf } from '../src/http/operations.js';

export { HTTP_ERROR, type HttpAuth, type HttpOperation };

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
  send('journal', 'JournalRequest', 'The constellation journal of the session\'s user; `journal` answers.', journalInputSchema),
  send('search', 'SearchRequest', 'Artist search from the dial (one at a time per session, else BUSY); `search` answers.'),
  receive('welcome', 'WelcomeMessage', 'Once per fresh join (a join without `resume`, or one whose resume fell back to a fresh start).'),
  receive('resumed', 'ResumedMessage', 'Instead of `welcome` when a join with `resume` restored the session (after a move or a crash): resend your inputs with seq > appliedSeq.'),
  receive('moving', 'MovingMessage', 'The process is draining: the session was saved; the socket closes with 4100 next. Join again with `resume` (any process).'),
  receive('duplicate', 'DuplicateMessage', 'An input whose seq was already applied (resent after a move): ignored, nothing changed.'),
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
  receive('journal', 'JournalMessage', 'Answer to `journal`: stars, lines, layout, clusters, statistics, insights (as GET /api/constellations/me).'),
  receive('search', 'SearchMessage', 'Answer to `search`, best first, with the request\'s `requestId` (as GET /api/search).'),
  receive('state_json', 'StateJsonMessage', 'Benchmark baseline only (PATCH_BASELINE=json, off by default): the whole state as JSON text each patch step.'),
  { room: 'coliseum', direction: 'receive', type: 'error', title: 'ColiseumErrorMessage', schema: coliseumErrorSchema, summary: 'Spectators send nothing: any message is refused READ_ONLY.' },
];

/** Join options, per room. */
export const JOIN_OPTIONS: Array<{ room: RoomMessage['room']; title: string; schema: z.ZodType }> = [{ room: 'session', title: 'SessionJoinOptions', schema: joinOptionsSchema }];

/** Every HTTP operation, as declared with its route (src/http/*Routes.ts, collected by src/http/operations.ts). */
export const HTTP_OPERATIONS: HttpOperation[] = operationsOf();
