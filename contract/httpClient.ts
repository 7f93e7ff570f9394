/**
 * The HTTP operations apps call (sign-in, stations, ingest, discovery, journal, leaderboards, votes,
 * MediaID, shared reports, health). Each names the zod schema its route validates with or answers
 * from, where the route has one; otherwise its answer is described. Append new routes here (operators'
 * routes: contract/httpOps.ts); test/unit/contract/routeCoverage.test.ts fails until a new route is listed.
 */
import { z } from 'zod';
import { loadConfig } from '../src/config/config.js';
import { voteBody } from '../src/http/conciertoRoutes.js';
import { rankSchema } from '../src/http/gravityRoutes.js';
import { shareBody } from '../src/http/journalRoutes.js';
import { markReadBody } from '../src/http/notificationRoutes.js';
import { kpiSeriesQuery, leaderboardQuery } from '../src/http/leaderboardRoutes.js';
import { gravityNeighborsSchema, ingestAcceptedSchema, radioRankedSchema } from '../src/http/responses.js';
import { gravityEventCamelSchema, gravityEventSchema } from '../systems/passport/build.js';
import { envelopeSchema } from '../systems/passport/validate.js';
import { EVENT_TYPES, payloadSchemas } from '../systems/passport/index.js';
import { mediaIdBody } from '../systems/mediaid/inputs.js';
import { journalSchema, searchSchema } from '../rooms/session/journalReplies.js';
import type { HttpOperation } from './http.js';

/** The bounds a server with default settings applies (each is a setting; docs/CONFIG.md). */
const defaults = loadConfig({});

/** One passport event as `POST /api/passport/log` takes it: the envelope, its payload checked per `eventType`. */
export const passportEventSchema = z
  .discriminatedUnion(
    'eventType',
    EVENT_TYPES.map((type) =>
      envelopeSchema.extend({ eventType: z.literal(type), payload: payloadSchemas[type].optional() }).meta({ title: `PassportEvent_${type.replace('.', '_')}` }),
    ) as unknown as [z.ZodObject, ...z.ZodObject[]],
  )
  .meta({ title: 'PassportEvent', description: 'One passport event; payload fields per eventType (extra payload fields are kept).' });

const ingest = { 202: { description: 'Committed to Postgres.', title: 'IngestAccepted', schema: ingestAcceptedSchema } };
const json = (description: string) => ({ description, contentType: 'application/json' });
const INGEST_ERRORS = ['FORBIDDEN', 'RATE_LIMITED', 'BACKPRESSURE', 'NOT_PERSISTED'] as const;

const catalog: HttpOperation[] = [
  { operationId: 'listStations', method: 'GET', path: '/api/stations', tag: 'catalog', summary: 'Every station on the dial (frequency, artist).', auth: 'none', responses: { 200: json('`{ stations: [...] }`, by frequency.') } },
  {
    operationId: 'stationAt',
    method: 'GET',
    path: '/api/stations/{frequency}',
    tag: 'catalog',
    summary: 'The station at a frequency (87.5–108.0 MHz, one decimal): artist, scene for `device_model`, orbs, haptics, neighbours (seed 000 step 2).',
    description: 'Query `device_model` (at most 64 characters) picks the video tier. A valid access token attributes the `station.loaded` event to its user; a bad one is ignored.',
    auth: 'optional-user',
    responses: { 200: json('The station snapshot (snake_case, as seed 000 step 2).') },
    errors: ['VALIDATION_FAILED', 'NOT_FOUND'],
  },
  {
    operationId: 'artistImage',
    method: 'GET',
    path: '/api/artists/{id}/image/{variant}',
    tag: 'catalog',
    summary: "One size of an artist's uploaded image (the variant names are in GET /api/artists/{id}/assets).",
    auth: 'none',
    responses: { 200: { description: 'The image bytes (PNG, palette-quantised).', contentType: 'image/png' } },
    errors: ['NOT_FOUND'],
  },
  { operationId: 'artistAssets', method: 'GET', path: '/api/artists/{id}/assets', tag: 'catalog', summary: "An artist's processed image: palette, glow colour and variant URLs.", auth: 'none', responses: { 200: json('The assets, with a URL per variant.') }, errors: ['NOT_FOUND'] },
];

const passport: HttpOperation[] = [
  {
    operationId: 'passportLog',
    method: 'POST',
    path: '/api/passport/log',
    tag: 'passport',
    summary: "Log one passport event for the token's user.",
    auth: 'user-or-admin',
    request: { title: 'PassportEvent', schema: passportEventSchema },
    responses: ingest,
    errors: [...INGEST_ERRORS],
  },
  {
    operationId: 'passportBatch',
    method: 'POST',
    path: '/api/passport/batch',
    tag: 'passport',
    summary: `Log up to ${defaults.passport.maxBatchEvents} events (PASSPORT_MAX_BATCH_EVENTS), all or nothing.`,
    auth: 'user-or-admin',
    request: { title: 'PassportBatch', schema: z.strictObject({ events: z.array(passportEventSchema).min(1).max(defaults.passport.maxBatchEvents) }).meta({ title: 'PassportBatch' }) },
    responses: ingest,
    errors: [...INGEST_ERRORS],
  },
];

const gravity: HttpOperation[] = [
  {
    operationId: 'gravityEvent',
    method: 'POST',
    path: '/event',
    tag: 'gravity',
    summary: 'A gravity-layer play event (seed 001): snake_case, or the same fields in camelCase.',
    auth: 'user-or-admin',
    request: { title: 'GravityEvent', schema: z.union([gravityEventSchema, gravityEventCamelSchema]).meta({ title: 'GravityEvent' }) },
    responses: ingest,
    errors: [...INGEST_ERRORS],
  },
  {
    operationId: 'gravityNeighbors',
    method: 'GET',
    path: '/tracks/{id}/gravity_neighbors',
    tag: 'gravity',
    summary: `A track's strongest next tracks (query \`limit\`, 1–${defaults.gravity.maxNeighbours}, default 10).`,
    auth: 'none',
    responses: { 200: { description: 'Neighbours, strongest first.', title: 'GravityNeighbors', schema: gravityNeighborsSchema } },
    errors: ['VALIDATION_FAILED'],
  },
  {
    operationId: 'radioRank',
    method: 'POST',
    path: '/api/radio/rank',
    tag: 'gravity',
    summary: 'Rank radio candidates: 0.7 embedding + 0.3 gravity.',
    auth: 'user-or-admin',
    request: { title: 'RadioRankRequest', schema: rankSchema(defaults.gravity).meta({ title: 'RadioRankRequest' }) },
    responses: { 200: { description: 'Best first.', title: 'RadioRanked', schema: radioRankedSchema } },
  },
];

const discovery: HttpOperation[] = [
  {
    operationId: 'search',
    method: 'GET',
    path: '/api/search',
    tag: 'discovery',
    summary: 'Search artists, tracks and genres (query `q`, `limit` 1–SEARCH_MAX_LIMIT, default 10; seed 000 step 13).',
    description: 'Public. With an Authorization header the token must be valid (401 otherwise): it boosts the user’s preferences and marks `inConstellation`.',
    auth: 'optional-user',
    responses: { 200: { description: 'Best first (no `requestId`: that is the room reply\'s).', title: 'SearchMessage', schema: searchSchema } },
    errors: ['VALIDATION_FAILED', 'UNAUTHORIZED'],
  },
  { operationId: 'recommendations', method: 'GET', path: '/api/recommendations', tag: 'discovery', summary: "The token user's recommendations (seed 000 step 12).", auth: 'user', responses: { 200: json('The recommendation list, best first.') }, errors: ['FORBIDDEN'] },
];

const journal: HttpOperation[] = [
  { operationId: 'myConstellation', method: 'GET', path: '/api/constellations/me', tag: 'journal', summary: "The token user's constellation journal (seed 000 step 8).", auth: 'user', responses: { 200: { description: 'Stars, connections, layout, clusters, statistics and insights.', title: 'JournalMessage', schema: journalSchema } }, errors: ['FORBIDDEN'] },
  {
    operationId: 'shareConstellation',
    method: 'POST',
    path: '/api/constellations/share',
    tag: 'journal',
    summary: "Share the token user's constellation as a link (seed 000 step 16); the body may be left out.",
    description: '`shareType: "direct_user"` with `recipientId` (their user id) also leaves a notification in the recipient\'s inbox (16.4), at most JOURNAL_DIRECT_SHARES_PER_HOUR an hour.',
    auth: 'user',
    request: { title: 'ShareRequest', schema: shareBody.meta({ title: 'ShareRequest' }), optional: true },
    responses: { 201: json('The share: id, URL, expiry.') },
    errors: ['VALIDATION_FAILED', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'RATE_LIMITED'],
  },
  {
    operationId: 'notifications',
    method: 'GET',
    path: '/api/notifications',
    tag: 'journal',
    summary: "The token user's notification inbox, newest first (constellations shared with them, seed 000 step 16.4); `limit` 1–100 (20), `before` = the previous page's `nextBefore`.",
    auth: 'user',
    responses: { 200: json('`notifications` (id, type, from, shareId, shareUrl, message, createdAt, read), `unread` in all, `nextBefore`.') },
    errors: ['VALIDATION_FAILED', 'FORBIDDEN'],
  },
  {
    operationId: 'markNotificationsRead',
    method: 'POST',
    path: '/api/notifications/read',
    tag: 'journal',
    summary: "Marks the token user's notifications read: `{\"ids\": [\"…\"]}` (another user's ids are ignored) or `{\"all\": true}`.",
    auth: 'user',
    request: { title: 'MarkNotificationsReadRequest', schema: markReadBody.meta({ title: 'MarkNotificationsReadRequest' }) },
    responses: { 200: json('`marked`: how many were unread and now are read.') },
    errors: ['VALIDATION_FAILED', 'FORBIDDEN'],
  },
  {
    operationId: 'viewShare',
    method: 'GET',
    path: '/api/shared/{id}',
    tag: 'journal',
    summary: 'A shared constellation (public; a valid access token adds the comparison with the viewer’s own).',
    auth: 'optional-user',
    responses: { 200: json('The shared stars and, for a signed-in viewer, the overlap.') },
    errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'GONE'],
  },
  {
    operationId: 'sharePreviewImage',
    method: 'GET',
    path: '/api/shared/{id}/preview.png',
    tag: 'journal',
    summary: "The share's link-preview picture (seed 000 step 16): 1200×630 PNG, the share page's og:image and twitter:image; counts no view.",
    auth: 'none',
    responses: { 200: { description: 'The PNG bytes.', contentType: 'image/png' } },
    errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'GONE'],
  },
];

const leaderboards: HttpOperation[] = [
  { operationId: 'coliseumKpiSeries', method: 'GET', path: '/api/coliseum/kpi-series', tag: 'leaderboards', summary: "The coliseum KPI tiles' sparklines from the durable rollups (query `window`: hour → 12 hourly points, day → 24 hourly, week / 30d → daily, all → 12 monthly); live tiles and sessions have none.", auth: 'none', query: kpiSeriesQuery, responses: { 200: json('`{ window, period, buckets: [ISO], series: { <tile key>: [values] } }`.') }, errors: ['VALIDATION_FAILED'] },
  { operationId: 'listLeaderboards', method: 'GET', path: '/api/leaderboards', tag: 'leaderboards', summary: 'The leaderboards, the ones operators defined (`custom`), the dynamic name patterns and the windows.', auth: 'none', responses: { 200: json('`{ leaderboards, custom, dynamic, windows }`.') } },
  {
    operationId: 'leaderboard',
    method: 'GET',
    path: '/api/leaderboards/{leaderboard}',
    tag: 'leaderboards',
    summary: `Top rows of a leaderboard with rank, previousRank, trend and change (query \`window\` default day, \`limit\` 1–${defaults.leaderboard.httpMaxLimit} default 10, \`around\` an entity id). A \`custom.<slug>\` board an operator defined reads in its own window unless \`window\` is given, and takes no \`around\`. \`format=csv\` answers the same rows as a CSV download (seed 004's export; RFC 4180, formula cells neutralised); \`format=png\` the board as a picture (1200 px wide, at most \`LEADERBOARD_IMAGE_MAX_ROWS\` rows; 429 RATE_LIMITED with Retry-After while \`LEADERBOARD_IMAGE_MAX_CONCURRENT\` pictures are being drawn).`,
    auth: 'none',
    query: leaderboardQuery(defaults.leaderboard.httpMaxLimit),
    responses: { 200: { ...json('The rows, best first (or centred on `around`); with `format=csv` or `format=png` an attachment named after the board, window and day.'), alsoAs: ['text/csv', 'image/png'] } },
    errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'RATE_LIMITED'],
  },
];

const concierto: HttpOperation[] = [
  { operationId: 'conciertoEvents', method: 'GET', path: '/api/concierto/events', tag: 'concierto', summary: 'The concierto events open now, with their options.', auth: 'none', responses: { 200: json('`{ events: [...] }`.') } },
  {
    operationId: 'conciertoVote',
    method: 'POST',
    path: '/api/concierto/events/{eventId}/votes',
    tag: 'concierto',
    summary: "The token user's vote (one per event; a retry with the same voteId answers 200 with the same vote).",
    auth: 'user',
    request: { title: 'VoteRequest', schema: voteBody.meta({ title: 'VoteRequest' }) },
    responses: { 201: json('The vote, counted.'), 200: json('The same vote again (a retry with its voteId).') },
    errors: ['FORBIDDEN', 'NOT_FOUND', 'ALREADY_VOTED', 'EVENT_NOT_ACTIVE', 'BACKPRESSURE', 'NOT_PERSISTED'],
  },
];

const mediaid: HttpOperation[] = [
  { operationId: 'myMediaId', method: 'GET', path: '/api/mediaid/me', tag: 'mediaid', summary: "The owner's MediaID: inputs, ATGC bases, DNA by domain.", auth: 'user', responses: { 200: json('The MediaID view.') }, errors: ['FORBIDDEN', 'NOT_FOUND'] },
  {
    operationId: 'updateMyMediaId',
    method: 'PUT',
    path: '/api/mediaid/me',
    tag: 'mediaid',
    summary: "Set the owner's MediaID inputs (partial: fields left out keep their value).",
    auth: 'user',
    request: { title: 'MediaIdUpdate', schema: mediaIdBody.meta({ title: 'MediaIdUpdate' }) },
    responses: { 200: json('The MediaID view after the change.') },
    errors: ['FORBIDDEN', 'NOT_FOUND'],
  },
  {
    operationId: 'myMediaIdMatch',
    method: 'GET',
    path: '/api/mediaid/me/match',
    tag: 'mediaid',
    summary: "How the owner's DNA matches an artist (query `artistId`) or an event (query `eventId`).",
    auth: 'user',
    responses: { 200: json('Score, band, per-domain scores and the top domain.') },
    errors: ['VALIDATION_FAILED', 'FORBIDDEN', 'NOT_FOUND'],
  },
];

const health: HttpOperation[] = [
  { operationId: 'health', method: 'GET', path: '/health', tag: 'health', summary: 'Probe report (database, Redis, process); 503 only when the database is down.', auth: 'none', responses: { 200: json('`{ status, process, database, redis }`.') }, errors: ['DATABASE_UNAVAILABLE'] },
  { operationId: 'healthLive', method: 'GET', path: '/health/live', tag: 'health', summary: 'Liveness: the process answers (no I/O).', auth: 'none', responses: { 200: json('`{ status: "live", process }`.') } },
  { operationId: 'healthReady', method: 'GET', path: '/health/ready', tag: 'health', summary: 'Readiness: the database, and Redis when configured, answer.', auth: 'none', responses: { 200: json('The probe report.') }, errors: ['DATABASE_UNAVAILABLE', 'REDIS_UNAVAILABLE'] },
];

/** Operations for apps and public pages, by feature. */
export const CLIENT_OPERATIONS: HttpOperation[] = [...catalog, ...passport, ...gravity, ...discovery, ...journal, ...leaderboards, ...concierto, ...mediaid, ...health];
