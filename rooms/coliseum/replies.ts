/** Server → client messages of the `coliseum` room: the contract's source. */
import { z } from 'zod';
import { typedReplies } from '../reply.js';

/** RATE_LIMITED when chatty, INTERNAL on a server bug. */
export const coliseumErrorSchema = z
  .object({ code: z.enum(['READ_ONLY', 'RATE_LIMITED', 'INTERNAL']), message: z.string(), for: z.string() })
  .meta({ title: 'ColiseumErrorMessage' });

export const COLISEUM_REPLIES = { error: { schema: coliseumErrorSchema, summary: 'Spectators send nothing: any message is refused READ_ONLY.' } } as const;

/** Checked against the schema at compile time. */
export const { reply } = typedReplies({ error: coliseumErrorSchema });
