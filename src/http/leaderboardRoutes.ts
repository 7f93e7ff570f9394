import type { LeaderboardStore } from '../../features/leaderboard/LeaderboardStore.js';
import { MAX_RADIUS } from '../../systems/leaderboard/storeRules.js';
import { readAround, readLeaderboard } from '../../features/leaderboard/LeaderboardReader.js';
import { STATIC_LEADERBOARDS, VOTE_LEADERBOARD_PREFIX, REVENUE_LEADERBOARD_PREFIX, leaderboardDefinition, isValidId } from '../../systems/leaderboard/leaderboards.js';
import { LEADERBOARD_WINDOWS, type LeaderboardWindow } from '../../systems/leaderboard/windows.js';
import { CUSTOM_PREFIX, readCustomLeaderboard, type CustomLeaderboard } from '../../features/leaderboard/customLeaderboards.js';
import { json, NotFoundError, ValidationError, type Route } from './router.js';
import { leaderboardCsv, leaderboardCsvFilename } from '../../systems/leaderboard/csv.js';
import type { LeaderboardImages } from '../../features/leaderboard/LeaderboardImages.js';
import { AppError } from '../../systems/errors.js';

export interface LeaderboardRouteOptions {
  now?: () => number;
  /** Largest `limit` accepted. Default 100. */
  maxLimit: number;
  /** Leaderboards operators defined in /ops (`custom.<slug>`), served beside the fixed ones. */
  custom?: { list(): Promise<CustomLeaderboard[]>; get(id: string): Promise<CustomLeaderboard | null> };
  /** The KPI tiles' sparklines from the durable rollups (GET /api/coliseum/kpi-series). */
  kpiSeries?: (window: LeaderboardWindow, nowMs: number) => Promise<unknown>;
  /** `format=png`: the page as a picture (the jumbotron's export); without it only json and csv are offered. */
  images?: LeaderboardImages;
}

interface Problem {
  field: string;
  message: string;
}

function decode(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/**
 * Non-realtime leaderboard reads (the coliseum room streams the same rows live):
 * `GET /api/leaderboards` lists the leaderboards; `GET /api/leaderboards/:leaderboard?window=day&limit=10&around=<entityId>`
 * returns the top `limit` rows with rank, previousRank, trend, change and changePercent, or with
 * `around` the rows centred on that entity (radius ⌊limit/2⌋).
 */
export function leaderboardRoutes(store: LeaderboardStore, options: LeaderboardRouteOptions): Route[] {
  const now = options.now ?? Date.now;
  const maxLimit = options.maxLimit;
  const series = options.kpiSeries;
  return [
    ...(series
      ? [
          {
            method: 'GET' as const,
            path: '/api/coliseum/kpi-series',
            handler: async ({ query }: { query: URLSearchParams }) => {
              const window = query.get('window') ?? 'day';
              if (!(LEADERBOARD_WINDOWS as readonly string[]).includes(window)) throw new ValidationError(`invalid window; use one of ${LEADERBOARD_WINDOWS.join(', ')}`, [{ field: 'window', message: `must be one of ${LEADERBOARD_WINDOWS.join(', ')}` }]);
              // Revalidated each time: a screen that loaded while the rollups were behind must not keep the old line.
              return json(await series(window as LeaderboardWindow, now()), 200, { 'cache-control': 'no-cache' });
            },
          },
        ]
      : []),
    {
      method: 'GET',
      path: '/api/leaderboards',
      handler: async () =>
        json({
          leaderboards: Object.values(STATIC_LEADERBOARDS).map((b) => ({ name: b.name, title: b.title, kind: b.kind, ...(b.base ? { base: b.base } : {}) })),
          custom: ((await options.custom?.list()) ?? []).map((b) => ({ name: b.id, title: b.title, kind: 'custom', base: b.base, window: b.window, lineup: b.entityIds.length })),
          dynamic: [
            { pattern: `${VOTE_LEADERBOARD_PREFIX}<eventId>`, title: 'Votes of one concierto event', kind: 'counter' },
            { pattern: `${REVENUE_LEADERBOARD_PREFIX}<currency>`, title: 'Top supported artists by revenue (integer cents, one currency)', kind: 'counter' },
          ],
          windows: LEADERBOARD_WINDOWS,
        }),
    },
    {
      method: 'GET',
      path: '/api/leaderboards/:leaderboard',
      handler: async ({ params, query }) => {
        const name = decode(params.leaderboard ?? '');
        const problems: Problem[] = [];
        if (!isValidId(name)) problems.push({ field: 'leaderboard', message: 'must be 1–200 characters without whitespace or control characters' });
        const windowRaw = query.get('window') ?? 'day';
        if (!(LEADERBOARD_WINDOWS as readonly string[]).includes(windowRaw)) problems.push({ field: 'window', message: `must be one of ${LEADERBOARD_WINDOWS.join(', ')}` });
        const limitRaw = query.get('limit') ?? '10';
        const limit = Number(limitRaw);
        if (!/^\d+$/.test(limitRaw) || limit < 1 || limit > maxLimit) problems.push({ field: 'limit', message: `must be an integer from 1 to ${maxLimit}` });
        const around = query.get('around');
        const format = query.get('format') ?? 'json';
        const formats = options.images ? ['json', 'csv', 'png'] : ['json', 'csv'];
        if (!formats.includes(format)) problems.push({ field: 'format', message: `must be ${formats.join(', ')}` });
        if (around !== null && !isValidId(around)) problems.push({ field: 'around', message: 'must be an entity id: 1–200 characters without whitespace' });
        if (problems.length > 0) throw new ValidationError(`invalid leaderboard request: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`, problems);

        if (name.startsWith(CUSTOM_PREFIX) && options.custom) return answer(await customAnswer(store, options.custom, name, query.get('window') as LeaderboardWindow | null, limit, around, now()), format, options.images);
        const leaderboard = leaderboardDefinition(name);
        if (!leaderboard) throw new NotFoundError(`no leaderboard "${name}"; GET /api/leaderboards lists them (vote leaderboards are ${VOTE_LEADERBOARD_PREFIX}<eventId>)`);
        if (around !== null && leaderboard.kind === 'trending') {
          throw new ValidationError('around is not supported on trending leaderboards', [{ field: 'around', message: `"${name}" is ranked by growth; use its base leaderboard ${leaderboard.base}` }]);
        }
        const window = windowRaw as LeaderboardWindow;
        const at = now();
        const entries = around !== null ? await readAround(store, leaderboard, window, around, Math.min(MAX_RADIUS, Math.floor(limit / 2)), at) : await readLeaderboard(store, leaderboard, window, limit, at);
        return answer(
          {
            leaderboard: leaderboard.name,
            title: leaderboard.title,
            kind: leaderboard.kind,
            window,
            generatedAt: new Date(at).toISOString(),
            ...(around !== null ? { around, ranked: entries.some((e) => e.entityId === around) } : {}),
            entries,
          },
          format,
          options.images,
        );
      },
    },
  ];
}

interface BoardAnswer {
  leaderboard: string;
  window: string;
  generatedAt: string;
  entries: Parameters<typeof leaderboardCsv>[0];
}

/**
 * The page as JSON, or as a download named after the board, window and day (seed 004's export): `format=csv`
 * (RFC 4180) or `format=png` (the board drawn as the jumbotron shows it).
 */
async function answer(body: BoardAnswer & Record<string, unknown>, format: string, images?: LeaderboardImages): Promise<Response> {
  if (format === 'json') return json(body);
  const filename = leaderboardCsvFilename(body.leaderboard, body.window, Date.parse(body.generatedAt));
  if (format === 'csv') return new Response(leaderboardCsv(body.entries), { status: 200, headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${filename}"`, 'cache-control': 'no-store' } });
  const title = typeof body.title === 'string' ? body.title : body.leaderboard;
  const png = await images!.png({ leaderboard: body.leaderboard, title, window: body.window, generatedAt: body.generatedAt, entries: body.entries.map((e) => ({ rank: e.rank, name: e.name ?? e.entityId, score: e.score, trend: (e as { trend?: string | null }).trend ?? null })) });
  if (!png) throw new AppError('RATE_LIMITED', 'leaderboard pictures are being drawn for others right now; retry in a second', undefined, 1);
  return new Response(new Uint8Array(png), { status: 200, headers: { 'content-type': 'image/png', 'content-disposition': `attachment; filename="${filename.replace(/\.csv$/, '.png')}"`, 'cache-control': 'no-store' } });
}

/** A board an operator defined: its own window unless the query names one; `around` is for counter boards. */
async function customAnswer(store: LeaderboardStore, custom: NonNullable<LeaderboardRouteOptions['custom']>, name: string, window: LeaderboardWindow | null, limit: number, around: string | null, at: number): Promise<BoardAnswer & Record<string, unknown>> {
  const board = await custom.get(name);
  if (!board) throw new NotFoundError(`no leaderboard "${name}"; GET /api/leaderboards lists them`);
  if (around !== null) throw new ValidationError('around is not supported on custom leaderboards', [{ field: 'around', message: `"${name}" ranks ${board.base}: use that board` }]);
  const entries = await readCustomLeaderboard(store, { ...board, window: window ?? board.window }, limit, at);
  return { leaderboard: board.id, title: board.title, kind: 'custom', base: board.base, window: window ?? board.window, generatedAt: new Date(at).toISOString(), entries };
}
