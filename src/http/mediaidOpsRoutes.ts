/** DIA's MediaID tools for operators: find a user (prefixes of 4+ characters), view, recompute, history, passport export. */
import { z } from 'zod';
import type { MediaIdProfiles } from '../../features/mediaid/MediaIdProfiles.js';
import type { AdminGate } from './authGates.js';
import { uuidSchema } from '../../systems/passport/index.js';
import { timelineEntrySchema } from '../../systems/mediaid/dnaHistory.js';
import { dnaLookupUserSchema } from '../../systems/ops/answers.js';
import { found } from './errors.js';
import { dnaViewSchema } from './mediaidRoutes.js';
import { reply, routeOf } from './route.js';
import type { ErrorCode } from '../../systems/httpContract.js';

/** Rows of a DIA lookup and of a similar-users list unless the query asks: what the routes answer by default, part of their contract, not a setting. */
const LOOKUP_ROWS = 20;
const SIMILAR_ROWS = 10;
/** Snapshots of a DNA timeline unless the query asks (at most DNA_HISTORY_MAX_PER_USER are kept anyway). */
const HISTORY_ROWS = 50;

export const lookupQuery = z.strictObject({ q: z.string().trim().min(1).max(254), limit: z.coerce.number().int().min(1).max(100).optional() });
export const similarQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(100).optional() });
export const exportQuery = z.strictObject({ limit: z.coerce.number().int().min(1).optional() });
export const historyQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(10_000).optional() });

export const dnaHistorySchema = z
  .object({ userId: z.string(), kept: z.number().int(), entries: z.array(timelineEntrySchema) })
  .meta({ title: 'DiaDnaHistory' });

/** A similar user (features/mediaid/DnaIndex.ts). */
const similarUser = z.object({ userId: z.string(), score: z.number() });

/** `GET /api/ops/dna/users/{userId}` 200: the MediaID view, the closest users and the index's size. */
export const diaDnaViewSchema = dnaViewSchema
  .extend({ similar: z.array(similarUser.extend({ name: z.string().nullable() })), index: z.object({ users: z.number().int(), truncated: z.boolean() }) })
  .meta({ title: 'DiaDnaView' });

/** The features answer null for a user that does not exist. */
const ofUser = <T>(value: T | null, userId: string): T => found(value, `no user ${userId}`);

const ERRORS: ErrorCode[] = ['FORBIDDEN', 'NOT_FOUND'];
const user = z.object({ userId: uuidSchema.transform((id) => id.toLowerCase()) });
const diaDnaUsersSchema = z.object({ users: z.array(dnaLookupUserSchema), hint: z.string().optional() }).meta({ title: 'DiaDnaUsers' });
const diaSimilarUsersSchema = z
  .object({ users: z.array(similarUser), scannedUsers: z.number().int(), truncated: z.boolean(), scanMs: z.number() })
  .meta({ title: 'DiaSimilarUsers' });
const diaDnaRecomputedSchema = diaDnaViewSchema.extend({ recomputed: z.looseObject({ at: z.string() }) }).meta({ title: 'DiaDnaRecomputed' });
const route = routeOf<{ profiles: MediaIdProfiles; admin: AdminGate }>('ops', 'admin');

/** DIA's MediaID part: the admin token only (a user's own token is 403). */
export const DIA_DNA_ROUTES = [
  route('GET /api/ops/dna/users', {
    operationId: 'dnaFindUsers',
    summary: 'DIA: find a user by id, device id prefix, email or display-name prefix (4+ characters).',
    query: lookupQuery,
    responses: { 200: { description: '`{ users, hint? }`.', schema: diaDnaUsersSchema } },
    errors: ['FORBIDDEN'],
    handler: async ({ query }, { profiles }) => profiles.lookup(query.q, query.limit ?? LOOKUP_ROWS),
  }),
  route('GET /api/ops/dna/users/{userId}', {
    operationId: 'dnaUser',
    summary: "DIA: a user's MediaID inputs, bases, DNA by domain and the best matching users.",
    params: user,
    responses: { 200: { description: 'The DNA view.', schema: diaDnaViewSchema } },
    errors: ERRORS,
    handler: async ({ params: { userId } }, { profiles }) => ofUser(await profiles.diaView(userId), userId),
  }),
  route('GET /api/ops/dna/users/{userId}/similar', {
    operationId: 'dnaSimilar',
    summary: 'DIA: the users whose DNA is closest.',
    params: user,
    query: similarQuery,
    responses: { 200: { description: '`{ users, scannedUsers, truncated, scanMs }`.', schema: diaSimilarUsersSchema } },
    errors: ERRORS,
    handler: async ({ params: { userId }, query }, { profiles }) => ofUser(await profiles.similarTo(userId, query.limit ?? SIMILAR_ROWS), userId),
  }),
  route('POST /api/ops/dna/users/{userId}/recompute', {
    operationId: 'dnaRecompute',
    summary: "DIA: rebuild the user's DNA from their passport now.",
    params: user,
    responses: { 200: { description: 'What was recomputed, and the DNA view.', schema: diaDnaRecomputedSchema } },
    errors: ERRORS,
    handler: async ({ params: { userId } }, { profiles }) => ofUser(await profiles.recompute(userId), userId),
  }),
  route('GET /api/ops/dna/users/{userId}/history', {
    operationId: 'dnaHistory',
    summary:
      "DIA: the user's DNA evolution, newest first — a snapshot per recompute and, at most once per DNA_HISTORY_MIN_INTERVAL_SEC, per mirroring that changed it (at most DNA_HISTORY_MAX_PER_USER kept): strength per domain and the drift since the snapshot before (query `limit`).",
    params: user,
    query: historyQuery,
    responses: { 200: { description: 'The timeline.', schema: dnaHistorySchema } },
    errors: ERRORS,
    handler: async ({ params: { userId }, query }, { profiles }) => ofUser(await profiles.history(userId, query.limit ?? HISTORY_ROWS), userId),
  }),
  route('GET /api/ops/dna/users/{userId}/passport', {
    operationId: 'dnaPassportExport',
    summary: "DIA: the user's passport as JSON lines, oldest first (bounded by DNA_EXPORT_MAX_ROWS).",
    params: user,
    query: exportQuery,
    responses: {
      200: {
        description: 'One passport entry per line; a last `{"truncated": true, ...}` line when the bound was reached.',
        contentType: 'application/x-ndjson',
      },
    },
    errors: ERRORS,
    handler: async ({ params: { userId }, query }, { profiles }) => {
      let lines = '';
      for await (const line of ofUser(await profiles.exportPassport(userId, query.limit), userId)) lines += line;
      return reply(200, lines, {
        'content-type': 'application/x-ndjson; charset=utf-8',
        'content-disposition': `attachment; filename="passport-${userId}.jsonl"`,
      });
    },
  }),
];
