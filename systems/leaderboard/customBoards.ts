/**
 * An operator-defined board's shape, apart from windows.ts: the browser pages import the windows (through the
 * counting rules), and a zod schema there would put zod in their bundles.
 */
import { z } from 'zod';
import { LEADERBOARD_WINDOWS } from './windows.js';

/** A leaderboard an operator defined; the API answers it with its top rows. */
export const customLeaderboardFields = z.object({
  /** `custom.<slug>`. */
  id: z.string(),
  title: z.string(),
  /** The counter board whose scores it ranks. */
  base: z.string(),
  window: z.enum(LEADERBOARD_WINDOWS),
  /** When not empty, the only entities listed (up to 50), ranked among themselves. */
  entityIds: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CustomLeaderboard = z.infer<typeof customLeaderboardFields>;
