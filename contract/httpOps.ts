/**
 * The HTTP operations for operators (ADMIN_TOKEN): the ops console's API, DIA (find a user, their
 * journey and DNA), jobs, leaderboard resets, concierto events, reports, uploads and Prometheus
 * metrics. Append new operator routes here (apps' routes: contract/httpClient.ts).
 */
import { conciertoEventBody } from '../src/http/conciertoRoutes.js';
import { listQuery, resetBody } from '../src/http/leaderboardOpsRoutes.js';
import { customLeaderboardBody } from '../src/http/customLeaderboardOpsRoutes.js';
import { exportQuery, lookupQuery, similarQuery } from '../src/http/mediaidOpsRoutes.js';
import { reportBody, reportListQuery } from '../src/http/reportsRoutes.js';
import { loadConfig } from '../src/config/config.js';
import { ACCEPTED_CONTENT_TYPES } from '../systems/assets/artistAssets.js';
import type { HttpOperation } from './http.js';

const defaults = loadConfig({});
const json = (description: string) => ({ description, contentType: 'application/json' });
/** An operator route: admin token, JSON answer. */
const admin = (operationId: string, method: HttpOperation['method'], path: string, summary: string, answer: string, extra: Partial<HttpOperation> = {}): HttpOperation => ({
  operationId,
  method,
  path,
  tag: 'ops',
  summary,
  auth: 'admin',
  responses: { 200: json(answer) },
  ...extra,
});

const status: HttpOperation[] = [
  admin('opsOverview', 'GET', '/api/ops/overview', 'Every process (heartbeat, rooms, passport writer), cluster totals and rates.', 'The overview.'),
  admin('opsHistory', 'GET', '/api/ops/history', 'KPI history (query `minutes`, 1–10080, default 15: up to an hour a point a second, longer a point a minute).', '`{ sampleMs, points }`.', { errors: ['VALIDATION_FAILED'] }),
  admin('opsSystem', 'GET', '/api/ops/system', 'System counts (users, sessions, passport rows), cached 5 s.', 'The counts.'),
  admin('opsLogs', 'GET', '/api/ops/logs', "This process's log tail (query `level` trace…fatal, default info; `limit` 1–1000, default 200).", '`{ capacity, lines }`.', { errors: ['VALIDATION_FAILED'] }),
  admin('opsMetrics', 'GET', '/api/admin/metrics', 'Platform KPIs over a range (query `range`, e.g. 7d; seed 000 step 17). A token that is not ADMIN_TOKEN is 403.', 'The KPIs.', { errors: ['VALIDATION_FAILED', 'FORBIDDEN'] }),
  {
    operationId: 'prometheusMetrics',
    method: 'GET',
    path: '/metrics',
    tag: 'ops',
    summary: 'Prometheus metrics (gzip when asked). Without ADMIN_TOKEN the route answers 404 saying how to enable it.',
    auth: 'admin',
    responses: { 200: { description: 'The Prometheus text format.', contentType: 'text/plain' } },
    errors: ['NOT_FOUND'],
  },
];

const users: HttpOperation[] = [
  admin('opsFindUsers', 'GET', '/api/ops/users', 'DIA: the one user search: exact user id, device id, email or display name (case-insensitive), then device id, email and display-name prefixes of 4+ characters, exact matches first (query `q`, 1–254 characters; `limit` 1–100, default 20).', '`{ users }`, each with `displayName`, `email` and `matchedBy`.', { errors: ['VALIDATION_FAILED'] }),
  admin('opsUser', 'GET', '/api/ops/users/{userId}', "DIA: a user's device, display name and email, sessions, badges, constellation and passport size.", 'The user detail.', { errors: ['VALIDATION_FAILED', 'NOT_FOUND'] }),
  admin('opsUserTimeline', 'GET', '/api/ops/users/{userId}/timeline', "DIA: a user's passport, newest first (query `before` cursor, `limit` 1–200, `types` up to 20 comma-separated event types).", 'A page of events and the next cursor.', { errors: ['VALIDATION_FAILED'] }),
  admin('dnaFindUsers', 'GET', '/api/ops/dna/users', 'DIA: find a user by id, device id prefix, email or display-name prefix (4+ characters).', '`{ users, hint? }`.', { query: lookupQuery, errors: ['VALIDATION_FAILED', 'FORBIDDEN'] }),
  admin('dnaUser', 'GET', '/api/ops/dna/users/{userId}', "DIA: a user's MediaID inputs, bases, DNA by domain and the best matching users.", 'The DNA view.', { errors: ['VALIDATION_FAILED', 'FORBIDDEN', 'NOT_FOUND'] }),
  admin('dnaSimilar', 'GET', '/api/ops/dna/users/{userId}/similar', 'DIA: the users whose DNA is closest.', '`{ users, scannedUsers, truncated, scanMs }`.', { query: similarQuery, errors: ['VALIDATION_FAILED', 'FORBIDDEN', 'NOT_FOUND'] }),
  admin('dnaRecompute', 'POST', '/api/ops/dna/users/{userId}/recompute', "DIA: rebuild the user's DNA from their passport now.", 'What was recomputed, and the DNA view.', { errors: ['VALIDATION_FAILED', 'FORBIDDEN', 'NOT_FOUND'] }),
  {
    ...admin('dnaPassportExport', 'GET', '/api/ops/dna/users/{userId}/passport', "DIA: the user's passport as JSON lines, oldest first (bounded by DNA_EXPORT_MAX_ROWS).", ''),
    query: exportQuery,
    responses: { 200: { description: 'One passport entry per line; a last `{"truncated": true, ...}` line when the bound was reached.', contentType: 'application/x-ndjson' } },
    errors: ['VALIDATION_FAILED', 'FORBIDDEN', 'NOT_FOUND'],
  },
];

const rooms: HttpOperation[] = [
  admin('opsRooms', 'GET', '/api/ops/rooms', 'Live rooms on every process.', '`{ rooms }`.'),
  admin('opsRoom', 'GET', '/api/ops/rooms/{roomId}', 'One room: its clients and state summary.', 'The room view.', { errors: ['NOT_FOUND'] }),
  admin('opsDisposeRoom', 'POST', '/api/ops/rooms/{roomId}/dispose', 'Dispose a room (its clients leave); one audit log line.', '`{ roomId, disposed: true }`.', { errors: ['NOT_FOUND'] }),
  admin('opsKickClient', 'POST', '/api/ops/rooms/{roomId}/clients/{sessionId}/kick', 'Remove one client from a room; one audit log line.', '`{ roomId, sessionId, kicked: true }`.', { errors: ['NOT_FOUND'] }),
  { ...admin('opsMonitorSession', 'POST', '/api/ops/monitor-session', 'A signed cookie that opens the Colyseus monitor (/monitor) in this browser.', ''), responses: { 204: { description: 'Set-Cookie carries the monitor session.' } } },
];

const jobs: HttpOperation[] = [
  admin('opsJobs', 'GET', '/api/ops/jobs', 'Every scheduled job: schedule, next run, last run, failures in 24 h.', '`{ jobs }`.'),
  admin('opsJobRuns', 'GET', '/api/ops/jobs/{name}/runs', "A job's recent runs (query `limit` 1–200, default 20).", '`{ runs }`.', { errors: ['VALIDATION_FAILED', 'NOT_FOUND'] }),
  { ...admin('opsRunJob', 'POST', '/api/ops/jobs/{name}/run', 'Run a job now (once across processes).', ''), responses: { 202: json('`{ job, runId, status: "running", runs }`.') }, errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'CONFLICT'] },
];

const leaderboards: HttpOperation[] = [
  admin('opsLeaderboards', 'GET', '/api/ops/leaderboards', 'Every leaderboard with its top rows, and the last resets.', 'The boards.', { query: listQuery, errors: ['VALIDATION_FAILED'] }),
  admin('opsResetLeaderboard', 'POST', '/api/ops/leaderboards/{leaderboard}/reset', 'Clear a counter leaderboard in every window, durably; the body repeats its id.', 'The reset record.', {
    request: { title: 'LeaderboardResetRequest', schema: resetBody.meta({ title: 'LeaderboardResetRequest' }) },
    errors: ['NOT_FOUND'],
  }),
  admin('opsCustomLeaderboards', 'GET', '/api/ops/custom-leaderboards', 'Leaderboards operators defined, each with its top 10 rows (from the counter board it names, or its line-up ranked among itself), and the counter boards one may rank by.', '`{ leaderboards, bases }`.'),
  {
    ...admin('opsCreateCustomLeaderboard', 'POST', '/api/ops/custom-leaderboards', 'Create a leaderboard: title, counter board, window and an optional line-up of up to 50 entities; the id is `custom.<slug>` (from the title when absent). One audit log line.', ''),
    request: { title: 'CustomLeaderboardRequest', schema: customLeaderboardBody.meta({ title: 'CustomLeaderboardRequest' }) },
    responses: { 201: json('The leaderboard with its rows; Location names it.') },
    errors: ['VALIDATION_FAILED', 'CONFLICT'],
  },
  admin('opsEditCustomLeaderboard', 'PUT', '/api/ops/custom-leaderboards/{id}', 'Replace a custom leaderboard’s title, counter board, window and line-up (its id stays). One audit log line.', 'The leaderboard with its rows.', {
    request: { title: 'CustomLeaderboardRequest', schema: customLeaderboardBody.meta({ title: 'CustomLeaderboardRequest' }) },
    errors: ['VALIDATION_FAILED', 'NOT_FOUND'],
  }),
  admin('opsDeleteCustomLeaderboard', 'DELETE', '/api/ops/custom-leaderboards/{id}', 'Delete a custom leaderboard (the counter board’s scores stay). One audit log line.', '`{ id, deleted: true }`.', { errors: ['NOT_FOUND'] }),
  admin('opsProcessors', 'GET', '/api/ops/processors', "The passport processors (the Coliseum rollups): each one's cursor, the rows still waiting (`behind`, counted up to 100,000), when the oldest of them arrived (`oldestPendingAt`, `lagSeconds`) and when the cursor last moved.", '`{ processors }`.'),
  admin('opsRunProcessor', 'POST', '/api/ops/processors/{name}/run', 'Catch a passport processor up now (at most 20 batches); one audit log line.', '`{ processed, tookMs }` and the processor as listed.', { errors: ['NOT_FOUND'] }),
];

const concierto: HttpOperation[] = [
];

const catalog: HttpOperation[] = [
];

const reports: HttpOperation[] = [
  {
    ...admin('createReport', 'POST', '/api/reports', 'Generate and store a Coliseum report (seed 004 table 4) with a share link; a user token is 403.', ''),
    tag: 'reports',
    request: { title: 'ReportRequest', schema: reportBody(defaults.reports.maxShareTtlHours).meta({ title: 'ReportRequest' }) },
    responses: { 201: json('The report, its share token and URL; Location names it.') },
    errors: ['FORBIDDEN'],
  },
  {
    ...admin('reports', 'GET', '/api/reports', 'Report history, newest first, without the report bodies (query `limit` 1–200, default 50; `type`; `entityId`); a user token is 403.', '`{ reports, limit }`: each report with its share link and `links.page` / `links.pdf`.'),
    tag: 'reports',
    query: reportListQuery,
    errors: ['VALIDATION_FAILED', 'FORBIDDEN'],
  },
  {
    ...admin('report', 'GET', '/api/reports/{id}', 'A stored report, with its share link. With `Accept: application/pdf`, or as `/api/reports/{id}.pdf`, the report as a PDF (application/pdf, an attachment) holding the figures the report page shows and the share link.', 'The report.'),
    tag: 'reports',
    errors: ['VALIDATION_FAILED', 'FORBIDDEN', 'NOT_FOUND'],
  },
  {
    operationId: 'sharedReport',
    method: 'GET',
    path: '/api/reports/shared/{token}',
    tag: 'reports',
    summary: 'A report through its share link, until the link expires (then 410). With `Accept: application/pdf`, or as `/api/reports/shared/{token}.pdf`, the report as a PDF.',
    auth: 'none',
    responses: { 200: json('The report, without its share token.') },
    // Under /api/reports the wrong-admin-token guard applies too (src/http/adminFailures.ts).
    errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'GONE', 'RATE_LIMITED'],
  },
];

/** Operator operations, by area. */
export const OPS_OPERATIONS: HttpOperation[] = [...status, ...users, ...rooms, ...jobs, ...leaderboards, ...concierto, ...catalog, ...reports];
