import { z } from 'zod';
import { AppError } from '../../systems/errors.js';
import { DEFAULT_LEADERBOARDS, publicLeaderboardDefinition } from '../../systems/leaderboard/leaderboards.js';
import { LEADERBOARD_WINDOWS, type LeaderboardWindow } from '../../systems/leaderboard/windows.js';

export interface ColiseumLimits {
  /** When the spectator names no `limit`. Default 10. */
  defaultLimit: number;
  /** Default 50. */
  maxLimit: number;
  /** Per spectator. Default 10. */
  maxLeaderboards: number;
}

export const DEFAULT_COLISEUM_LIMITS: ColiseumLimits = { defaultLimit: 10, maxLimit: 50, maxLeaderboards: 10 };

export interface ColiseumOptions {
  /** Sorted, without duplicates. */
  leaderboards: string[];
  window: LeaderboardWindow;
  limit: number;
}

/** `details` names each field, as HTTP validation errors do. */
export class ColiseumOptionsError extends AppError<'COLISEUM_OPTIONS_INVALID'> {
  constructor(message: string, details: Array<{ field: string; message: string }>) {
    super('COLISEUM_OPTIONS_INVALID', message, details);
  }
}

const leaderboardList = z.union([
  z.array(z.string().max(200)).max(64),
  z
    .string()
    .max(4000)
    .transform((s) =>
      s
        .split(',')
        .map((b) => b.trim())
        .filter((b) => b.length > 0),
    ),
]);

const schema = (limits: ColiseumLimits) =>
  z.looseObject({
    leaderboards: leaderboardList.optional(),
    window: z.enum(LEADERBOARD_WINDOWS as unknown as [LeaderboardWindow, ...LeaderboardWindow[]]).optional(),
    limit: z.number().int().min(1).max(limits.maxLimit).optional(),
  });

/** `leaderboards` (array or comma-separated; default DEFAULT_LEADERBOARDS), `window` (default 'day'), `limit`. */
export function parseColiseumOptions(raw: unknown, limits: ColiseumLimits = DEFAULT_COLISEUM_LIMITS): ColiseumOptions {
  const parsed = schema(limits).safeParse(raw ?? {});
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => ({ field: i.path.join('.') || 'options', message: i.message }));
    throw new ColiseumOptionsError(`invalid coliseum join options: ${details.map((d) => `${d.field}: ${d.message}`).join('; ')}`, details);
  }
  const leaderboards = [...new Set(parsed.data.leaderboards ?? DEFAULT_LEADERBOARDS)].sort();
  const details: Array<{ field: string; message: string }> = [];
  if (leaderboards.length === 0) details.push({ field: 'leaderboards', message: 'name at least one leaderboard, or omit it for the default leaderboards' });
  if (leaderboards.length > limits.maxLeaderboards)
    details.push({ field: 'leaderboards', message: `at most ${limits.maxLeaderboards} leaderboards per spectator` });
  for (const b of leaderboards)
    if (!publicLeaderboardDefinition(b)) details.push({ field: 'leaderboards', message: `unknown leaderboard "${b}"; see GET /api/leaderboards` });
  if (details.length > 0) throw new ColiseumOptionsError(`invalid coliseum join options: ${details.map((d) => d.message).join('; ')}`, details);
  return { leaderboards, window: parsed.data.window ?? 'day', limit: parsed.data.limit ?? limits.defaultLimit };
}

/**
 * Spectators asking for the same boards, window and limit share a room (one encode per patch). Invalid options get
 * a key no room has, so the join creates a room whose onCreate rejects them with the validation message.
 */
export function channelOf(raw: unknown, namespace: string, limits: ColiseumLimits = DEFAULT_COLISEUM_LIMITS): string {
  try {
    const o = parseColiseumOptions(raw, limits);
    return `${namespace}|${o.window}|${o.limit}|${o.leaderboards.join(',')}`;
  } catch {
    return `${namespace}|invalid`;
  }
}
