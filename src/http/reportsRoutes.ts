import { publicOrigin } from './publicOrigin.js';
import { z } from 'zod';
import type { ColiseumReport } from '../../persistence/entities/mediaid.js';
import { REPORT_TYPES } from '../../systems/reports/reportTypes.js';
import { reportDataSchema } from '../../systems/reports/reportData.js';
import type { Config } from '../config/config.js';
import type { ReportLibrary } from '../../features/reports/ReportLibrary.js';
import { reportPdf } from '../../features/reports/reportPdf.js';
import { parseTournament, TournamentIdError, type TournamentField } from '../../systems/reports/tournament.js';
import type { AdminGate, RequestAuth } from './authGates.js';
import { uuidSchema } from '../../systems/passport/index.js';
import type { HttpRequest } from './edge.js';
import { found, ValidationError } from './errors.js';
import { DOCUMENTED_DEFAULTS, mount, parse, reply, routeOf, type Route } from './route.js';
import type { ErrorCode } from '../../systems/httpContract.js';

const HOUR = 3_600_000;
const RANGES = { '24h': 24 * HOUR, '7d': 7 * 24 * HOUR, '30d': 30 * 24 * HOUR, '90d': 90 * 24 * HOUR } as const;
const SHARE_TOKEN = /^[A-Za-z0-9_-]{32}$/;

export interface ReportDeps {
  library: ReportLibrary;
  auth: RequestAuth;
  admin: AdminGate;
  now: () => number;
  /** What the routes check a request against (the library generates with the rest). */
  settings: Pick<Config['reports'], 'tournamentMaxCities' | 'maxRangeDays' | 'shareTtlHours' | 'maxShareTtlHours'>;
}

/** `POST /api/reports` body for the configured share-link bound. */
export function reportBody(maxShareTtlHours: number) {
  return z
    .strictObject({
      type: z.enum(REPORT_TYPES),
      entityId: z
        .string()
        .trim()
        .min(1)
        .max(128)
        .regex(/^[\p{L}\p{N} _.:@'-]+$/u, "letters, digits, spaces and _ . : @ ' - only"),
      range: z.enum(Object.keys(RANGES) as [keyof typeof RANGES]).optional(),
      from: z.iso.datetime({ offset: true }).optional(),
      to: z.iso.datetime({ offset: true }).optional(),
      shareTtlHours: z.int().min(1).max(maxShareTtlHours).optional(),
      // A brand campaign's spend, so the report can state its return (ROI) in that currency.
      budget: z
        .strictObject({ amountCents: z.int().min(1).max(1e12), currency: z.string().regex(/^[A-Za-z]{3}$/, 'a 3-letter ISO 4217 code like "USD"') })
        .optional(),
    })
    .meta({ title: 'ReportRequest' });
}

/** The stored report as the API answers it (ISO 8601 everywhere); the share token only for the admin. */
export function reportJson(r: ColiseumReport, withShare: boolean) {
  return {
    id: r.id,
    reportType: r.reportType,
    entityId: r.entityId,
    entityName: r.entityName,
    timeRange: r.timeRange,
    startDate: r.startDate.toISOString(),
    endDate: r.endDate.toISOString(),
    generatedAt: r.generatedAt.toISOString(),
    generationMs: r.generationMs,
    share: {
      expiresAt: r.shareExpiresAt?.toISOString() ?? null,
      ...(withShare && r.shareToken ? { token: r.shareToken, url: `/coliseum/reports/${r.id}?share=${r.shareToken}` } : {}),
    },
    // The JSON the generator stored (features/reports/generateReport.ts).
    report: r.reportData as z.input<typeof reportDataSchema>,
  };
}

export const reportListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  type: z.enum(REPORT_TYPES).optional(),
  entityId: z.string().trim().min(1).max(128).optional(),
});

/** A tournament's field from its entity id; the operator's mistake as a 400 naming the field. */
function tournamentOf(type: string, entityId: string, maxCities: number): TournamentField | undefined {
  if (type !== 'tournament') return undefined;
  try {
    return parseTournament(entityId, maxCities);
  } catch (e) {
    if (e instanceof TournamentIdError) throw new ValidationError(`not a tournament: ${e.message}`, [{ field: 'entityId', message: e.message }]);
    throw e;
  }
}

/** `<id>.pdf` or `Accept: application/pdf` asks for the PDF; returns the bare id and whether a PDF was asked for. */
function pdfAsked(request: HttpRequest, raw: string): { key: string; pdf: boolean } {
  if (raw.endsWith('.pdf')) return { key: raw.slice(0, -4), pdf: true };
  const accept = request.headers.get('accept') ?? '';
  return { key: raw, pdf: /application\/pdf/i.test(accept) && !/application\/json/i.test(accept) };
}

async function pdfReply(r: ColiseumReport, shareUrl: string | null, cache: string) {
  const file = await reportPdf(reportJson(r, false), shareUrl);
  const words = r.entityName.match(/[\p{L}\p{N}]+/gu) ?? [];
  const name = `coliseum-report-${words.join('-').slice(0, 60) || r.id}.pdf`;
  return reply(200, new Uint8Array(file), {
    'content-type': 'application/pdf',
    'content-disposition': `attachment; filename="${name}"`,
    'cache-control': cache,
    vary: 'accept',
  });
}

const reportHead = {
  id: z.string(),
  reportType: z.string(),
  entityId: z.string(),
  entityName: z.string(),
  timeRange: z.string(),
  startDate: z.string(),
  endDate: z.string(),
  generatedAt: z.string(),
  generationMs: z.number(),
};
const share = (withToken: boolean) =>
  z.object({ expiresAt: z.string().nullable(), ...(withToken ? { token: z.string().optional(), url: z.string().optional() } : {}) });

/** {@link reportJson} for the admin (with its share link) and through a share link (without). */
export const reportSchema = z.object({ ...reportHead, share: share(true), report: reportDataSchema }).meta({ title: 'ColiseumReport' });
export const sharedReportSchema = z.object({ ...reportHead, share: share(false), report: reportDataSchema }).meta({ title: 'SharedColiseumReport' });
export const reportListSchema = z
  .object({
    reports: z.array(z.object({ ...reportHead, share: share(true), links: z.object({ page: z.string(), pdf: z.string() }) })),
    limit: z.number().int(),
  })
  .meta({ title: 'ColiseumReportList' });

const route = routeOf<ReportDeps>('reports', 'admin');

const PDF = {
  description: 'The report as a PDF (an attachment) holding the figures the report page shows and the share link.',
  contentType: 'application/pdf',
};

/** `GET /api/reports/{id}` (the admin's, with its share link) or `/api/reports/shared/{token}` (through the link): the report, or its PDF. */
const readReport =
  (shared: boolean) =>
  async ({ request, params }: { request: HttpRequest; params: Record<string, string> }, deps: ReportDeps) => {
    const { key, pdf } = pdfAsked(request, (shared ? params.token : params.id) ?? '');
    if (shared && !SHARE_TOKEN.test(key))
      throw new ValidationError('token must be the share token of a report link', [{ field: 'token', message: 'is not a share token' }]);
    const read = shared ? deps.library.shared(key) : deps.library.get(parse(uuidSchema, key, 'id').toLowerCase());
    const report = found(await read, shared ? 'no report has this share link' : `no report ${key}`);
    const cache = shared ? 'private, no-store' : 'no-store';
    // The share link as a full address: the PDF and its QR code are read away from this server.
    if (pdf) return pdfReply(report, report.shareToken ? `${publicOrigin(request)}/coliseum/reports/${report.id}?share=${report.shareToken}` : null, cache);
    return reply(200, reportJson(report, !shared), shared ? { 'cache-control': cache } : { vary: 'accept' });
  };

/** The `.pdf` forms have no route of their own: the bare path's handler answers them. */
const servedByBarePath = async (): Promise<never> => {
  throw new Error('served by the route of the bare path');
};

// Under /api/reports the wrong-admin-token guard applies too (src/http/adminFailures.ts).
const SHARED_ERRORS: ErrorCode[] = ['VALIDATION_FAILED', 'NOT_FOUND', 'GONE', 'RATE_LIMITED'];

/**
 * Coliseum reports: generate (admin), history, one report (admin), one through its share link (public until it
 * expires, then 410). Both reads answer a PDF for `Accept: application/pdf` or a `.pdf` suffix. A user's token is 403.
 */
const reportDeclarations = (settings: Pick<ReportDeps['settings'], 'maxShareTtlHours'>) => [
  route('POST /api/reports', {
    operationId: 'createReport',
    summary: 'Generate and store a Coliseum report (an artist or event over a range, for its team or sponsor) with a share link; a user token is 403.',
    body: reportBody(settings.maxShareTtlHours),
    responses: { 201: { description: 'The report, its share token and URL; Location names it.', schema: reportSchema } },
    errors: ['FORBIDDEN'],
    handler: async ({ body }, deps) => {
      const started = deps.now();
      const to = body.to ? new Date(body.to) : new Date(started);
      const from = body.from ? new Date(body.from) : new Date(to.getTime() - RANGES[body.range ?? '30d']);
      if (body.from && body.range) throw new ValidationError('send either range or from/to', [{ field: 'range', message: 'cannot be combined with from' }]);
      if (from >= to)
        throw new ValidationError('from must be before to', [{ field: 'from', message: `${from.toISOString()} is not before ${to.toISOString()}` }]);
      if (to.getTime() - from.getTime() > deps.settings.maxRangeDays * 24 * HOUR)
        throw new ValidationError(`a report covers at most ${deps.settings.maxRangeDays} days (REPORT_MAX_RANGE_DAYS)`, [
          { field: 'from', message: 'range too long' },
        ]);
      if (body.budget && body.type !== 'brand_campaign')
        throw new ValidationError('only a brand_campaign report takes a budget', [{ field: 'budget', message: `not allowed for type ${body.type}` }]);
      const tournament = tournamentOf(body.type, body.entityId, deps.settings.tournamentMaxCities);
      const label = body.from ? 'custom' : (body.range ?? '30d');
      const request = { subject: { type: body.type, id: body.entityId }, from, to, label, tournament, budget: body.budget };
      const saved = await deps.library.create(request, (body.shareTtlHours ?? deps.settings.shareTtlHours) * HOUR, started);
      return reply(201, reportJson(saved, true), { location: `/api/reports/${saved.id}` });
    },
  }),
  route('GET /api/reports', {
    operationId: 'reports',
    summary: 'Report history, newest first, without the report bodies (query `limit` 1–200, default 50; `type`; `entityId`); a user token is 403.',
    query: reportListQuery,
    responses: {
      200: { description: '`{ reports, limit }`: each report with its share link and `links.page` / `links.pdf`.', schema: reportListSchema },
    },
    errors: ['FORBIDDEN'],
    handler: async ({ query }, deps) => {
      const reports = (await deps.library.list(query)).map((r) => {
        const { report: _data, ...head } = reportJson(r, true);
        return { ...head, links: { page: `/coliseum/reports/${r.id}`, pdf: `/api/reports/${r.id}.pdf` } };
      });
      return { reports, limit: query.limit };
    },
  }),
  route('GET /api/reports/{id}', {
    operationId: 'report',
    summary: 'A stored report, with its share link. With `Accept: application/pdf` the report as a PDF (as `/api/reports/{id}.pdf`).',
    responses: { 200: { description: 'The report.', schema: reportSchema, alsoAs: ['application/pdf'] } },
    errors: ['VALIDATION_FAILED', 'FORBIDDEN', 'NOT_FOUND'],
    handler: readReport(false),
  }),
  route('GET /api/reports/{id}.pdf', {
    operationId: 'reportPdf',
    summary: 'A stored report as a PDF (application/pdf, an attachment): the figures the report page shows and the share link with its QR code.',
    servedBy: '/api/reports/:id',
    responses: { 200: PDF },
    errors: ['VALIDATION_FAILED', 'FORBIDDEN', 'NOT_FOUND'],
    handler: servedByBarePath,
  }),
  route('GET /api/reports/shared/{token}', {
    operationId: 'sharedReport',
    summary:
      'A report through its share link, until the link expires (then 410). With `Accept: application/pdf` the report as a PDF (as `/api/reports/shared/{token}.pdf`).',
    auth: 'none',
    responses: { 200: { description: 'The report, without its share token.', schema: sharedReportSchema, alsoAs: ['application/pdf'] } },
    errors: SHARED_ERRORS,
    handler: readReport(true),
  }),
  route('GET /api/reports/shared/{token}.pdf', {
    operationId: 'sharedReportPdf',
    summary: 'A report through its share link as a PDF, until the link expires (then 410).',
    auth: 'none',
    servedBy: '/api/reports/shared/:token',
    responses: { 200: PDF },
    errors: SHARED_ERRORS,
    handler: servedByBarePath,
  }),
];

export const REPORT_ROUTES = reportDeclarations(DOCUMENTED_DEFAULTS.reports);

export const reportsRoutes = (deps: ReportDeps): Route[] => mount(reportDeclarations(deps.settings), deps);
