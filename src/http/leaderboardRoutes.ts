import { z } from 'zod';
import type { LeaderboardStore } from '../../features/leaderboard/LeaderboardStore.js';
import { issuesOf } from '../../systems/passport/index.js';
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

export const LEADERBOARD_FORMATS = ['json', 'csv', 'png'] as const;

const ENTITY_ID = 'an entity id: 1–200 characters without whitespace';

/**
 * The board route's query (the contract publishes it): unknown parameters are ignored, as a cache-busting
 * `?_=…` must not fail a public read. `formats` is what this server offers (png only with the renderer).
 */
export function leaderboardQuery(maxLimit: number, formats: readonly string[] = LEADERBOARD_FORMATS) {
  const windows = LEADERBOARD_WINDOWS.join(', ');
  const limitError = `must be an integer from 1 to ${maxLimit}`;
  return z.object({
    window: z.enum(LEADERBOARD_WINDOWS, { error: `must be one of ${windows}` }).optional().meta({ description: `The window (${windows}); default day, or a custom board's own window.` }),
    limit: z.coerce.number({ error: limitError }).int({ error: limitError }).min(1, { error: limitError }).max(maxLimit, { error: limitError }).default(10).meta({ description: `Rows, 1–${maxLimit}; default 10.` }),
    around: z.string().refine(isValidId, { error: `must be ${ENTITY_ID}` }).optional().meta({ description: 'An entity id: the rows centred on it (radius ⌊limit/2⌋); not on trending or custom boards.' }),
    format: z.enum(formats as [string, ...string[]], { error: `must be ${formats.join(', ')}` }).default('json').meta({ description: 'json (default), csv (RFC 4180 download) or png (the board as a 1200 px picture).' }),
  });
}

/** The KPI sparklines' query. */
export const kpiSeriesQuery = z.object({
  window: z.enum(LEADERBOARD_WINDOWS, { error: `must be one of ${LEADERBOARD_WINDOWS.join(', ')}` }).default('day').meta({ description: 'hour → 12 hourly points, day → 24 hourly, week / 30d → daily, all → 12 monthly.' }),
});

function parseQuery<T extends z.ZodType>(schema: T, query: URLSearchParams, what: string, extra: Problem[] = []): z.output<T> {
  const parsed = schema.safeParse(Object.fromEntries(query));
  const problems = [...extra, ...(parsed.success ? [] : issuesOf(parsed.error))];
  if (problems.length > 0 || !parsed.success) throw new ValidationError(`invalid ${what}: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`, problems);
  return parsed.data;
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
  const boardQuery = leaderboardQuery(maxLimit, options.images ? LEADERBOARD_FORMATS : ['json', 'csv']);
  return [
    ...(series
      ? [
          {
            method: 'GET' as const,
            path: '/api/coliseum/kpi-series',
            handler: async ({ query }: { query: URLSearchParams }) => {
              const { window } = parseQuery(kpiSeriesQuery, query, 'sparkline request');
              // Revalidated each time: a screen that loaded while the rollups were behind must not keep the old line.
              return json(await series(window, now()), 200, { 'cache-control': 'no-cache' });
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
        const nameProblems: Problem[] = isValidId(name) ? [] : [{ field: 'leaderboard', message: 'must be 1–200 characters without whitespace or control characters' }];
        const q = parseQuery(boardQuery, query, 'leaderboard request', nameProblems);
        const { limit, format } = q;
        const around = q.around ?? null;

        if (name.startsWith(CUSTOM_PREFIX) && options.custom) return answer(await customAnswer(store, options.custom, name, q.window ?? null, limit, around, now()), format, options.images);
        const leaderboard = leaderboardDefinition(name);
        if (!leaderboard) throw new NotFoundError(`no leaderboard "${name}"; GET /api/leaderboards lists them (vote leaderboards are ${VOTE_LEADERBOARD_PREFIX}<eventId>)`);
        if (around !== null && leaderboard.kind === 'trending') {
          throw new ValidationError('around is not supported on trending leaderboards', [{ field: 'around', message: `"${name}" is ranked by growth; use its base leaderboard ${leaderboard.base}` }]);
        }
        const window = q.window ?? 'day';
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
