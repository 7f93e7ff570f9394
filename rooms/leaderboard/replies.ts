/** Server → client messages of the `coliseum` room (the contract's source; contract/registry.ts). */
import { z } from 'zod';

/** Spectators send nothing: any message is answered READ_ONLY (RATE_LIMITED when chatty, INTERNAL on a server bug). */
export const coliseumErrorSchema = z
  .object({ code: z.enum(['READ_ONLY', 'RATE_LIMITED', 'INTERNAL']), message: z.string(), for: z.string() })
  .meta({ title: 'ColiseumErrorMessage' });
export type ColiseumErrorMessage = z.infer<typeof coliseumErrorSchema>;
