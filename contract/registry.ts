/**
 * THE registry of the client contract: every room message and every client-facing HTTP operation,
 * each pointing at the zod schema the server validates with (inputs) or builds its answer from
 * (outputs). `npm run codegen` turns this list into clients/contract/*.json (JSON Schema, AsyncAPI 3,
 * OpenAPI 3.1) and the TS / Swift message types; `npm run codegen:check` fails CI when they are stale.
 *
 * To add a room message: one row in its room's message table (rooms/session/protocol.ts, with its example; a
 * new reply's schema, with `.meta({ title })`, in replies.ts); ROOM_MESSAGES below is derived from the tables.
 * To add an endpoint: declare the route in its route file (src/http/route.ts). Then run `npm run codegen`;
 * a reply or request body shows a JSON example in docs/PROTOCOL.md (test/unit/contract/protocolExamples.test.ts
 * checks every one has one; test/unit/contract/routeCoverage.test.ts checks every served route is listed).
 */
import { z } from 'zod';
import { joinOptionsSchema } from '../rooms/session/messages.js';
import { messageTitle, SESSION_MESSAGES, SESSION_REPLIES, type MessageRow } from '../rooms/session/protocol.js';
import { replySchemas } from '../rooms/session/replies.js';
import { COLISEUM_REPLIES } from '../rooms/coliseum/replies.js';
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
  /** A client message's example, from its row (docs/PROTOCOL.md shows it). */
  example?: unknown;
}

/** The generated type's name: the schema's own title (replies.ts names each). */
const titleOf = (schema: z.ZodType): string => {
  const title = schema.meta()?.title;
  if (typeof title !== 'string') throw new Error('contract: a reply schema has no title; give it .meta({ title })');
  return title;
};

/** Room messages, derived from the rooms' message tables (inputs first, then replies, in table order). */
export const ROOM_MESSAGES: RoomMessage[] = [
  ...Object.entries(SESSION_MESSAGES).map(([type, row]): RoomMessage => ({
    room: 'session',
    direction: 'send',
    type,
    title: messageTitle(type, row),
    schema: (row as MessageRow).contract ?? row.input,
    summary: row.summary,
    example: row.example,
  })),
  ...Object.entries(SESSION_REPLIES).map(([type, summary]): RoomMessage => ({
    room: 'session',
    direction: 'receive',
    type,
    title: titleOf(replySchemas[type as keyof typeof replySchemas]),
    schema: replySchemas[type as keyof typeof replySchemas],
    summary,
  })),
  ...Object.entries(COLISEUM_REPLIES).map(([type, { schema, summary }]): RoomMessage => ({
    room: 'coliseum',
    direction: 'receive',
    type,
    title: titleOf(schema),
    schema,
    summary,
  })),
];

/** Join options, per room. */
export const JOIN_OPTIONS: Array<{ room: RoomMessage['room']; title: string; schema: z.ZodType }> = [
  { room: 'session', title: 'SessionJoinOptions', schema: joinOptionsSchema },
];

/** Every HTTP operation, as declared with its route (src/http/*Routes.ts, collected by src/http/operations.ts). */
export const HTTP_OPERATIONS: HttpOperation[] = operationsOf();
