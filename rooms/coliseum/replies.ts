/** Server → client messages of the `coliseum` room (the contract's source; contract/registry.ts). */
import { z } from 'zod';
import { typedReplies } from '../reply.js';

/** Spectators send nothing: any message is answered READ_ONLY (RATE_LIMITED when chatty, INTERNAL on a server bug). */
export const coliseumErrorSchema = z
  .object({ code: z.enum(['READ_ONLY', 'RATE_LIMITED', 'INTERNAL']), message: z.string(), for: z.string() })
  .meta({ title: 'ColiseumErrorMessage' });
export type ColiseumErrorMessage = z.infer<typeof coliseumErrorSchema>;

/** Every message the coliseum room sends, by type, with when it is sent (contract/registry.ts derives the contract from it). */
export const COLISEUM_REPLIES = { error: { schema: coliseumErrorSchema, summary: 'Spectators send nothing: any message is refused READ_ONLY.' } } as const;

/** Every message the coliseum room sends, by type. */
export const coliseumReplySchemas = { error: coliseumErrorSchema } as const;

/** The coliseum room's sends, checked against `coliseumReplySchemas` at compile time (rooms/reply.ts). */
export const { reply } = typedReplies(coliseumReplySchemas);
