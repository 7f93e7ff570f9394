/**
 * Coliseum reports (seed 004 table 4): `POST /api/reports` (admin) generates and stores one,
 * `GET /api/reports` (admin) lists the report history, newest first, `GET /api/reports/:id` (admin) reads
 * one, `GET /api/reports/shared/:token` (public) reads it through its share link until the link expires
 * (then 410 GONE). Both reads answer a PDF instead of JSON for `Accept: application/pdf` or a `.pdf`
 * suffix on the id or token. The page is /coliseum/reports/:id.
 */
import { publicOrigin } from './publicOrigin.js';
import { z } from 'zod';
import type { ColiseumReport } from '../../persistence/entities/mediaid.js';
import type { MediaIdStore } from '../../persistence/mediaid/MediaIdStore.js';
import type { DnaRepository } from '../../persistence/mediaid/DnaRepository.js';
import { REPORT_TYPES, type ReportRepository } from '../../persistence/reports/ReportRepository.js';
import { generateReport, type ReportSettings } from '../../features/reports/generateReport.js';
import { reportPdf } from '../../features/reports/reportPdf.js';
import { parseTournament, TournamentIdError, type TournamentField } from '../../systems/reports/tournament.js';
import { AppError } from '../../systems/errors.js';
import { bodyOf } from './passportRoutes.js';
import { withBearerChallenge, type RequestAuth } from './requireUser.js';
import { json, NotFoundError, ValidationError, type Route } from './router.js';
import { parseWith, requireAdmin, uuidParam } from './mediaidAuth.js';

const NO_STORE = { 'cache-control': 'no-store' };
const HOUR = 3_600_000;
const RANGES = { '24h': 24 * HOUR, '7d': 7 * 24 * HOUR, '30d': 30 * 24 * HOUR, '90d': 90 * 24 * HOUR } as const;
const SHARE_TOKEN = /^[A-Za-z0-9_-]{32}$/;

/** A share link past its expiry (HTTP 410). */
export class ShareExpiredError extends AppError<'GONE'> {
  constructor(expiredAt: Date) {
    super('GONE', `this report link expired at ${expiredAt.toISOString()}; ask the sender for a new link`);
  }
}

export interface ReportDeps {
  store: MediaIdStore;
  reports: ReportRepository;
  dna: DnaRepository;
  auth: RequestAuth;
  settings: ReportSettings & { maxRangeDays: number; shareTtlHours: number; maxShareTtlHours: number };
  now?: () => number;
}

/** `POST /api/reports` body for the configured share-link bound (exported for the contract). */
export function reportBody(maxShareTtlHours: number) {
  return z.strictObject({
    type: z.enum(REPORT_TYPES),
    entityId: z.string().trim().min(1).max(128).regex(/^[\p{L}\p{N} _.:@'-]+$/u, 'letters, digits, spaces and _ . : @ \' - only'),
    range: z.enum(Object.keys(RANGES) as [keyof typeof RANGES]).optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    shareTtlHours: z.int().min(1).max(maxShareTtlHours).optional(),
    // A brand campaign's spend, so the report can state its return (ROI) in that currency.
    budget: z.strictObject({ amountCents: z.int().min(1).max(1e12), currency: z.string().regex(/^[A-Za-z]{3}$/, 'a 3-letter ISO 4217 code like "USD"') }).optional(),
  });
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
    share: { expiresAt: r.shareExpiresAt?.toISOString() ?? null, ...(withShare && r.shareToken ? { token: r.shareToken, url: `/coliseum/reports/${r.id}?share=${r.shareToken}` } : {}) },
    report: r.reportData,
  };
}

/** The history list's query (exported for the contract). */
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
function pdfAsked(request: Request, raw: string): { key: string; pdf: boolean } {
  if (raw.endsWith('.pdf')) return { key: raw.slice(0, -4), pdf: true };
  const accept = request.headers.get('accept') ?? '';
  return { key: raw, pdf: /application\/pdf/i.test(accept) && !/application\/json/i.test(accept) };
}

async function pdfResponse(r: ColiseumReport, shareUrl: string | null, cache: string): Promise<Response> {
  const file = await reportPdf(reportJson(r, false), shareUrl);
  const name = `coliseum-report-${r.entityName.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '').slice(0, 60) || r.id}.pdf`;
  return new Response(new Uint8Array(file), { status: 200, headers: { 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="${name}"`, 'cache-control': cache, vary: 'accept' } });
}

/** The share link as a full address (the PDF and its QR code are read away from this server). */
function shareUrlOf(request: Request, r: ColiseumReport): string | null {
  if (!r.shareToken) return null;
  return `${publicOrigin(request)}/coliseum/reports/${r.id}?share=${r.shareToken}`;
}

export function reportsRoutes(deps: ReportDeps): Route[] {
  const now = deps.now ?? Date.now;
  const schema = reportBody(deps.settings.maxShareTtlHours);
  return [
    withBearerChallenge({
      method: 'POST',
      path: '/api/reports',
      handler: async (ctx) => {
        await requireAdmin(deps.auth, ctx.request);
        const body = parseWith(schema, bodyOf(ctx), 'report request');
        const started = now();
        const to = body.to ? new Date(body.to) : new Date(started);
        const from = body.from ? new Date(body.from) : new Date(to.getTime() - RANGES[body.range ?? '30d']);
        if (body.from && body.range) throw new ValidationError('send either range or from/to', [{ field: 'range', message: 'cannot be combined with from' }]);
        if (from >= to) throw new ValidationError('from must be before to', [{ field: 'from', message: `${from.toISOString()} is not before ${to.toISOString()}` }]);
        if (to.getTime() - from.getTime() > deps.settings.maxRangeDays * 24 * HOUR) throw new ValidationError(`a report covers at most ${deps.settings.maxRangeDays} days (REPORT_MAX_RANGE_DAYS)`, [{ field: 'from', message: 'range too long' }]);
        if (body.budget && body.type !== 'brand_campaign') throw new ValidationError('only a brand_campaign report takes a budget', [{ field: 'budget', message: `not allowed for type ${body.type}` }]);
        const tournament = tournamentOf(body.type, body.entityId, deps.settings.tournamentMaxCities);
        const label = body.from ? 'custom' : (body.range ?? '30d');
        const request = { subject: { type: body.type, id: body.entityId }, from, to, label, tournament, budget: body.budget };
        const data = await generateReport({ reports: deps.reports, dna: deps.dna }, request, deps.settings, started);
        const subject = data.subject as { name: string };
        const saved = await deps.store.saveReport({
          reportType: body.type,
          entityId: body.entityId,
          entityName: subject.name,
          timeRange: label,
          startDate: from,
          endDate: to,
          reportData: data,
          generatedBy: 'admin',
          shareTtlMs: (body.shareTtlHours ?? deps.settings.shareTtlHours) * HOUR,
          generationMs: Math.round(now() - started),
          at: new Date(now()),
        });
        return json(reportJson(saved, true), 201, { ...NO_STORE, location: `/api/reports/${saved.id}` });
      },
    }),
    withBearerChallenge({
      method: 'GET',
      path: '/api/reports',
      handler: async ({ request, query }) => {
        await requireAdmin(deps.auth, request);
        const q = parseWith(reportListQuery, Object.fromEntries(query), 'report list query');
        const rows = await deps.store.reports(q);
        const reports = rows.map((r) => {
          const { report: _data, ...head } = reportJson(r, true);
          return { ...head, links: { page: `/coliseum/reports/${r.id}`, pdf: `/api/reports/${r.id}.pdf` } };
        });
        return json({ reports, limit: q.limit }, 200, NO_STORE);
      },
    }),
    withBearerChallenge({
      method: 'GET',
      path: '/api/reports/:id',
      handler: async ({ request, params }) => {
        await requireAdmin(deps.auth, request);
        const { key, pdf } = pdfAsked(request, params.id ?? '');
        const report = await deps.store.report(uuidParam(key, 'id'));
        if (!report) throw new NotFoundError(`no report ${key}`);
        if (pdf) return pdfResponse(report, shareUrlOf(request, report), 'no-store');
        return json(reportJson(report, true), 200, { ...NO_STORE, vary: 'accept' });
      },
    }),
    {
      method: 'GET',
      path: '/api/reports/shared/:token',
      handler: async ({ request, params }) => {
        const { key: token, pdf } = pdfAsked(request, params.token ?? '');
        if (!SHARE_TOKEN.test(token)) throw new ValidationError('token must be the share token of a report link', [{ field: 'token', message: 'is not a share token' }]);
        const report = await deps.store.reportByShareToken(token);
        if (!report) throw new NotFoundError('no report has this share link');
        if (report.shareExpiresAt && report.shareExpiresAt.getTime() <= now()) throw new ShareExpiredError(report.shareExpiresAt);
        if (pdf) return pdfResponse(report, shareUrlOf(request, report), 'private, no-store');
        return json(reportJson(report, false), 200, { 'cache-control': 'private, no-store' });
      },
    },
  ];
}
