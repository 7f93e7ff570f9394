import { z } from 'zod';
import { DEFAULT_BOARDS, boardDefinition } from '../../systems/leaderboard/leaderboards.js';
import { LEADERBOARD_WINDOWS, type LeaderboardWindow } from '../../systems/leaderboard/windows.js';

/** Limits on what one spectator may ask for. */
export interface ColiseumLimits {
  /** Rows per board when the spectator names no `limit`. Default 10. */
  defaultLimit: number;
  /** Largest `limit` accepted. Default 50. */
  maxLimit: number;
  /** Most boards per spectator. Default 10. */
  maxBoards: number;
}

export const DEFAULT_COLISEUM_LIMITS: ColiseumLimits = { defaultLimit: 10, maxLimit: 50, maxBoards: 10 };

/** Validated join options of a coliseum spectator. */
export interface ColiseumOptions {
  /** Sorted, without duplicates. */
  boards: string[];
  window: LeaderboardWindow;
  limit: number;
}

/** Bad join options; `details` names each field, as HTTP validation errors do. */
export class ColiseumOptionsError extends Error {
  readonly code = 'COLISEUM_OPTIONS_INVALID';
  constructor(
    message: string,
    readonly details: Array<{ field: string; message: string }>,
  ) {
    super(message);
  }
}

const boardList = z.union([z.array(z.string().max(200)).max(64), z.string().max(4000).transform((s) => s.split(',').map((b) => b.trim()).filter((b) => b.length > 0))]);

const schema = (limits: ColiseumLimits) =>
  z.looseObject({
    boards: boardList.optional(),
    window: z.enum(LEADERBOARD_WINDOWS as unknown as [LeaderboardWindow, ...LeaderboardWindow[]]).optional(),
    limit: z.number().int().min(1).max(limits.maxLimit).optional(),
  });

/**
 * Parses a spectator's join options: `boards` (array, or comma-separated string; default
 * DEFAULT_BOARDS), `window` (default 'day'), `limit` (rows per board). @throws ColiseumOptionsError
 */
export function parseColiseumOptions(raw: unknown, limits: ColiseumLimits = DEFAULT_COLISEUM_LIMITS): ColiseumOptions {
  const parsed = schema(limits).safeParse(raw ?? {});
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => ({ field: i.path.join('.') || 'options', message: i.message }));
    throw new ColiseumOptionsError(`invalid coliseum join options: ${details.map((d) => `${d.field}: ${d.message}`).join('; ')}`, details);
  }
  const boards = [...new Set(parsed.data.boards ?? DEFAULT_BOARDS)].sort();
  const details: Array<{ field: string; message: string }> = [];
  if (boards.length === 0) details.push({ field: 'boards', message: 'name at least one board, or omit it for the default boards' });
  if (boards.length > limits.maxBoards) details.push({ field: 'boards', message: `at most ${limits.maxBoards} boards per spectator` });
  for (const b of boards) if (!boardDefinition(b)) details.push({ field: 'boards', message: `unknown board "${b}"; see GET /api/leaderboards` });
  if (details.length > 0) throw new ColiseumOptionsError(`invalid coliseum join options: ${details.map((d) => d.message).join('; ')}`, details);
  return { boards, window: parsed.data.window ?? 'day', limit: parsed.data.limit ?? limits.defaultLimit };
}

/**
 * The matchmaking key of a spectator: spectators asking for the same boards, window and limit share a
 * room (one encode per patch for all of them). Invalid options get a key no room has, so the join
 * creates a room whose onCreate rejects them with the validation message.
 */
export function channelOf(raw: unknown, namespace: string, limits: ColiseumLimits = DEFAULT_COLISEUM_LIMITS): string {
  try {
    const o = parseColiseumOptions(raw, limits);
    return `${namespace}|${o.window}|${o.limit}|${o.boards.join(',')}`;
  } catch {
    return `${namespace}|invalid`;
  }
}
