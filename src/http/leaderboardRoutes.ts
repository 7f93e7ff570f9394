import { z } from 'zod';
import { type LeaderboardStore, MAX_RADIUS, isValidId, LEADERBOARD_WINDOWS, type LeaderboardWindow } from '../../systems/leaderboard/windows.js';
import {
  readAround,
  readLeaderboard,
  CUSTOM_PREFIX,
  readCustomLeaderboard,
  type CustomLeaderboard,
  type LeaderboardImages,
} from '../../features/leaderboard/boards.js';
import { STATIC_LEADERBOARDS, VOTE_LEADERBOARD_PREFIX, leaderboardFamilies, publicLeaderboardDefinition } from '../../systems/leaderboard/leaderboards.js';
import {
  entityRollupsSchema,
  kpiSeriesSchema,
  ROLLUP_SUBJECT_KINDS,
  trendedEntrySchema,
  type EntityRollups,
  type RollupSubject,
} from '../../systems/leaderboard/rollupMetrics.js';
import { PERIODS, type Period } from '../../systems/passport/periods.js';
import { NotFoundError, ValidationError } from './errors.js';
import { leaderboardCsv, leaderboardCsvFilename } from '../../systems/leaderboard/leaderboardImage.js';
import { AppError } from '../../systems/errors.js';
import { DOCUMENTED_DEFAULTS, intQuery, mount, reply, routeOf, type Route } from './route.js';

export interface LeaderboardRouteOptions {
  now?: () => number;
  /** Largest `limit` accepted. Default 100. */
  maxLimit: number;
  /** Leaderboards operators defined in /ops (`custom.<slug>`), served beside the fixed ones. */
  custom?: { list(): Promise<CustomLeaderboard[]>; get(id: string): Promise<CustomLeaderboard | null> };
  /** The KPI tiles' sparklines from the durable rollups (GET /api/coliseum/kpi-series). */
  kpiSeries?: (window: LeaderboardWindow, nowMs: number) => Promise<z.input<typeof kpiSeriesSchema>>;
  /** `format=png`: the page as a picture (the jumbotron's export); without it only json and csv are offered. */
  images?: LeaderboardImages;
  /** One artist's, track's or event's rollup metrics per bucket (GET /api/coliseum/rollups/…). */
  entityRollups?: (subject: RollupSubject, entityId: string, period: Period, buckets: number, nowMs: number) => Promise<EntityRollups>;
}

export const LEADERBOARD_FORMATS = ['json', 'csv', 'png'] as const;

const ENTITY_ID = 'an entity id: 1–200 characters without whitespace';
const entityId = z.string().refine(isValidId, { error: `must be ${ENTITY_ID}` });
export const boardId = z.string().refine(isValidId, { error: 'must be 1–200 characters without whitespace or control characters' });
const WINDOWS = LEADERBOARD_WINDOWS.join(', ');
const windowSchema = z.enum(LEADERBOARD_WINDOWS, { error: `must be one of ${WINDOWS}` });

/** Unknown parameters are ignored: a cache-busting `?_=…` must not fail a public read. `formats`: png only with the renderer. */
export function leaderboardQuery(maxLimit: number, formats: readonly string[] = LEADERBOARD_FORMATS) {
  return z.object({
    window: windowSchema.optional().meta({ description: `The window (${WINDOWS}); default day, or a custom board's own window.` }),
    limit: intQuery(1, maxLimit, 10).meta({ description: `Rows, 1–${maxLimit}; default 10.` }),
    around: entityId.optional().meta({ description: 'An entity id: the rows centred on it (radius ⌊limit/2⌋); not on trending or custom boards.' }),
    format: z
      .enum(formats as [string, ...string[]], { error: `must be ${formats.join(', ')}` })
      .default('json')
      .meta({ description: 'json (default), csv (RFC 4180 download) or png (the board as a 1200 px picture).' }),
  });
}

/** Most buckets one rollup read returns. */
export const MAX_ROLLUP_BUCKETS = 90;

/** The entity rollups' query. */
export const entityRollupsQuery = z.object({
  period: z
    .enum(PERIODS, { error: `must be one of ${PERIODS.join(', ')}` })
    .default('day')
    .meta({ description: 'hour, day (default), week, month or all (one bucket). Unique listeners and the DNA average are not kept per hour.' }),
  buckets: intQuery(1, MAX_ROLLUP_BUCKETS, 14).meta({ description: `The newest buckets up to now, 1–${MAX_ROLLUP_BUCKETS}; default 14.` }),
});

/** The KPI sparklines' query. */
export const kpiSeriesQuery = z.object({
  window: windowSchema.default('day').meta({ description: 'hour → 12 hourly points, day → 24 hourly, week / 30d → daily, all → 12 monthly.' }),
});

/** One row of a board page; a custom board's row has its rank on the base board instead of the trend. */
export const leaderboardEntrySchema = trendedEntrySchema
  .partial({ previousRank: true, change: true, changePercent: true })
  .extend({ trend: trendedEntrySchema.shape.trend.nullable().optional(), baseRank: z.number().int().nullable().optional() })
  .meta({ title: 'LeaderboardEntry' });

/** `GET /api/leaderboards/{leaderboard}` 200 (json). */
export const leaderboardPageSchema = z
  .object({
    leaderboard: z.string(),
    title: z.string(),
    kind: z.string(),
    base: z.string().optional(),
    window: windowSchema,
    generatedAt: z.string(),
    around: z.string().optional(),
    ranked: z.boolean().optional(),
    entries: z.array(leaderboardEntrySchema),
  })
  .meta({ title: 'LeaderboardPage' });

/** `GET /api/leaderboards` 200. */
export const leaderboardListSchema = z
  .object({
    leaderboards: z.array(z.object({ name: z.string(), title: z.string(), kind: z.string(), base: z.string().optional() })),
    custom: z.array(
      z.object({ name: z.string(), title: z.string(), kind: z.literal('custom'), base: z.string(), window: windowSchema, lineup: z.number().int() }),
    ),
    dynamic: z.array(z.object({ pattern: z.string(), title: z.string(), kind: z.string() })),
    windows: z.array(windowSchema),
  })
  .meta({ title: 'LeaderboardList' });

interface LeaderboardRouteDeps extends LeaderboardRouteOptions {
  store: LeaderboardStore;
  now: () => number;
}
const route = routeOf<LeaderboardRouteDeps>('leaderboards', 'none');

/** Leaderboard reads (the coliseum room streams the same rows live): the list, a board's rows, KPI sparklines, one entity's rollups. */
const leaderboardDeclarations = (maxLimit: number, formats: readonly string[]) => [
  route('GET /api/coliseum/rollups/{subject}/{entityId}', {
    operationId: 'coliseumEntityRollups',
    summary:
      'The rollup metrics of one artist, track or event (`subject`) per bucket: plays, unique listeners, completions and completion rate, shares and opens of share links, votes, attendance, engagement, revenue and money earned per currency, average DNA match of the listeners counted.',
    params: z.object({ subject: z.enum(ROLLUP_SUBJECT_KINDS as [RollupSubject, ...RollupSubject[]]), entityId }),
    query: entityRollupsQuery,
    responses: { 200: { description: 'The buckets, oldest first.', schema: entityRollupsSchema } },
    headers: { 'cache-control': 'no-cache' },
    servedWhen: (d) => d.entityRollups !== undefined,
    handler: async ({ params, query }, d) => d.entityRollups!(params.subject, params.entityId, query.period, query.buckets, d.now()),
  }),
  route('GET /api/coliseum/kpi-series', {
    operationId: 'coliseumKpiSeries',
    summary:
      "The coliseum KPI tiles' sparklines from the durable rollups (query `window`: hour → 12 hourly points, day → 24 hourly, week / 30d → daily, all → 12 monthly); live tiles and sessions have none.",
    query: kpiSeriesQuery,
    responses: {
      200: { description: '`{ window, period, buckets: [ISO], series: { <tile key>: [values] } }`.', schema: kpiSeriesSchema },
    },
    // Revalidated each time: a screen that loaded while the rollups were behind must not keep the old line.
    headers: { 'cache-control': 'no-cache' },
    servedWhen: (d) => d.kpiSeries !== undefined,
    handler: async ({ query }, d) => d.kpiSeries!(query.window, d.now()),
  }),
  route('GET /api/leaderboards', {
    operationId: 'listLeaderboards',
    summary: 'The leaderboards, the ones operators defined (`custom`), the dynamic name patterns and the windows.',
    responses: { 200: { description: '`{ leaderboards, custom, dynamic, windows }`.', schema: leaderboardListSchema } },
    handler: async (_ctx, d) => ({
      leaderboards: Object.values(STATIC_LEADERBOARDS).map((b) => ({ name: b.name, title: b.title, kind: b.kind, ...(b.base ? { base: b.base } : {}) })),
      custom: ((await d.custom?.list()) ?? []).map((b) => ({
        name: b.id,
        title: b.title,
        kind: 'custom' as const,
        base: b.base,
        window: b.window,
        lineup: b.entityIds.length,
      })),
      // Operators' boards (people's spending and engagement) are not listed here: GET /api/ops/leaderboards has them.
      dynamic: leaderboardFamilies()
        .filter((f) => f.audience === 'public')
        .map((f) => ({ pattern: f.pattern, title: f.title, kind: 'counter' })),
      windows: [...LEADERBOARD_WINDOWS],
    }),
  }),
  route('GET /api/leaderboards/{leaderboard}', {
    operationId: 'leaderboard',
    summary: `Top rows of a leaderboard with rank, previousRank, trend and change (query \`window\` default day, \`limit\` 1–${maxLimit} default 10, \`around\` an entity id). A \`custom.<slug>\` board an operator defined reads in its own window unless \`window\` is given, and takes no \`around\`. \`format=csv\` answers the same rows as a CSV download (for spreadsheets; RFC 4180, formula cells neutralised); \`format=png\` the board as a picture (1200 px wide, at most \`LEADERBOARD_IMAGE_MAX_ROWS\` rows; 429 RATE_LIMITED with Retry-After while \`LEADERBOARD_IMAGE_MAX_CONCURRENT\` pictures are being drawn).`,
    params: z.object({ leaderboard: boardId }),
    query: leaderboardQuery(maxLimit, formats),
    responses: {
      200: {
        description: 'The rows, best first (or centred on `around`); with `format=csv` or `format=png` an attachment named after the board, window and day.',
        schema: leaderboardPageSchema,
        alsoAs: ['text/csv', 'image/png'],
      },
    },
    errors: ['NOT_FOUND', 'RATE_LIMITED'],
    handler: async ({ params: { leaderboard: name }, query: q }, d) => {
      const { around } = q;
      const at = d.now();
      let head: Omit<BoardAnswer, 'generatedAt' | 'entries'>;
      let entries: BoardAnswer['entries'];
      if (name.startsWith(CUSTOM_PREFIX) && d.custom) {
        // A board an operator defined: its own window unless the query names one; `around` is for counter boards.
        const board = await d.custom.get(name);
        if (!board) throw new NotFoundError(`no leaderboard "${name}"; GET /api/leaderboards lists them`);
        if (around !== undefined)
          throw new ValidationError('around is not supported on custom leaderboards', [
            { field: 'around', message: `"${name}" ranks ${board.base}: use that board` },
          ]);
        head = { leaderboard: board.id, title: board.title, kind: 'custom', base: board.base, window: q.window ?? board.window };
        entries = await readCustomLeaderboard(d.store, { ...board, window: head.window }, q.limit, at);
      } else {
        const leaderboard = publicLeaderboardDefinition(name);
        if (!leaderboard)
          throw new NotFoundError(`no leaderboard "${name}"; GET /api/leaderboards lists them (vote leaderboards are ${VOTE_LEADERBOARD_PREFIX}<eventId>)`);
        if (around !== undefined && leaderboard.kind === 'trending') {
          throw new ValidationError('around is not supported on trending leaderboards', [
            { field: 'around', message: `"${name}" is ranked by growth; use its base leaderboard ${leaderboard.base}` },
          ]);
        }
        const window = q.window ?? 'day';
        head = { leaderboard: leaderboard.name, title: leaderboard.title, kind: leaderboard.kind, window };
        entries =
          around !== undefined
            ? await readAround(d.store, leaderboard, window, around, Math.min(MAX_RADIUS, Math.floor(q.limit / 2)), at)
            : await readLeaderboard(d.store, leaderboard, window, q.limit, at);
      }
      const ranked = around !== undefined ? { around, ranked: entries.some((e) => e.entityId === around) } : {};
      return answer({ ...head, generatedAt: new Date(at).toISOString(), ...ranked, entries }, q.format, d.images);
    },
  }),
];

export const LEADERBOARD_ROUTES = leaderboardDeclarations(DOCUMENTED_DEFAULTS.leaderboard.httpMaxLimit, LEADERBOARD_FORMATS);

/** The leaderboard reads, served (the sparklines only with a rollup reader, png only with the renderer). */
export function leaderboardRoutes(store: LeaderboardStore, options: LeaderboardRouteOptions): Route[] {
  const formats = options.images ? LEADERBOARD_FORMATS : (['json', 'csv'] as const);
  return mount(leaderboardDeclarations(options.maxLimit, formats), { ...options, store, now: options.now ?? Date.now });
}

type BoardAnswer = z.infer<typeof leaderboardPageSchema>;

/** JSON, or a download named after the board, window and day: `format=csv` (RFC 4180) or `format=png` (as the jumbotron draws it). */
async function answer(body: BoardAnswer, format: string, images?: LeaderboardImages) {
  if (format === 'json') return body;
  const filename = leaderboardCsvFilename(body.leaderboard, body.window, Date.parse(body.generatedAt));
  const download = (data: string | Uint8Array, type: string, name: string) =>
    reply(200, data, { 'content-type': type, 'content-disposition': `attachment; filename="${name}"`, 'cache-control': 'no-store' });
  if (format === 'csv') return download(leaderboardCsv(body.entries), 'text/csv; charset=utf-8', filename);
  const png = await images!.png({
    leaderboard: body.leaderboard,
    title: body.title,
    window: body.window,
    generatedAt: body.generatedAt,
    entries: body.entries.map((e) => ({ rank: e.rank, name: e.name ?? e.entityId, score: e.score, trend: e.trend ?? null })),
  });
  if (!png) throw new AppError('RATE_LIMITED', 'leaderboard pictures are being drawn for others right now; retry in a second', undefined, 1);
  return download(new Uint8Array(png), 'image/png', filename.replace(/\.csv$/, '.png'));
}
