/** DIA's MediaID tools for operators: find a user (prefixes of 4+ characters), view, recompute, history, passport export. */
import { z } from 'zod';
import type { MediaIdProfiles } from '../../features/mediaid/MediaIdProfiles.js';
import type { AdminGate } from './authGates.js';
import { uuidSchema } from '../../systems/passport/index.js';
import { timelineEntrySchema } from '../../systems/mediaid/dnaHistory.js';
import { dnaLookupUserSchema } from '../../systems/ops/answers.js';
import { NotFoundError } from './errors.js';
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

/** What a profile read found, or NOT_FOUND: the features answer null for a user that does not exist. */
function found<T>(value: T | null, userId: string): T {
  if (value === null) throw new NotFoundError(`no user ${userId}`);
  return value;
}

const ERRORS: ErrorCode[] = ['FORBIDDEN', 'NOT_FOUND'];
const user = z.object({ userId: uuidSchema.transform((id) => id.toLowerCase()) });
const route = routeOf<{ profiles: MediaIdProfiles; admin: AdminGate }>('ops');

/** DIA's MediaID part: the admin token only (a user's own token is 403). */
export const DIA_DNA_ROUTES = [
  route('GET /api/ops/dna/users', {
    operationId: 'dnaFindUsers',
    summary: 'DIA: find a user by id, device id prefix, email or display-name prefix (4+ characters).',
    auth: 'admin',
    query: lookupQuery,
    responses: {
      200: {
        description: '`{ users, hint? }`.',
        schema: z.object({ users: z.array(dnaLookupUserSchema), hint: z.string().optional() }).meta({ title: 'DiaDnaUsers' }),
      },
    },
    errors: ['FORBIDDEN'],
    handler: async ({ query }, { profiles }) => profiles.lookup(query.q, query.limit ?? LOOKUP_ROWS),
  }),
  route('GET /api/ops/dna/users/{userId}', {
    operationId: 'dnaUser',
    summary: "DIA: a user's MediaID inputs, bases, DNA by domain and the best matching users.",
    auth: 'admin',
    params: user,
    responses: { 200: { description: 'The DNA view.', schema: diaDnaViewSchema } },
    errors: ERRORS,
    handler: async ({ params: { userId } }, { profiles }) => found(await profiles.diaView(userId), userId),
  }),
  route('GET /api/ops/dna/users/{userId}/similar', {
    operationId: 'dnaSimilar',
    summary: 'DIA: the users whose DNA is closest.',
    auth: 'admin',
    params: user,
    query: similarQuery,
    responses: {
      200: {
        description: '`{ users, scannedUsers, truncated, scanMs }`.',
        schema: z
          .object({ users: z.array(similarUser), scannedUsers: z.number().int(), truncated: z.boolean(), scanMs: z.number() })
          .meta({ title: 'DiaSimilarUsers' }),
      },
    },
    errors: ERRORS,
    handler: async ({ params: { userId }, query }, { profiles }) => found(await profiles.similarTo(userId, query.limit ?? SIMILAR_ROWS), userId),
  }),
  route('POST /api/ops/dna/users/{userId}/recompute', {
    operationId: 'dnaRecompute',
    summary: "DIA: rebuild the user's DNA from their passport now.",
    auth: 'admin',
    params: user,
    responses: {
      200: {
        description: 'What was recomputed, and the DNA view.',
        schema: diaDnaViewSchema.extend({ recomputed: z.looseObject({ at: z.string() }) }).meta({ title: 'DiaDnaRecomputed' }),
      },
    },
    errors: ERRORS,
    handler: async ({ params: { userId } }, { profiles }) => found(await profiles.recompute(userId), userId),
  }),
  route('GET /api/ops/dna/users/{userId}/history', {
    operationId: 'dnaHistory',
    summary:
      "DIA: the user's DNA evolution, newest first — a snapshot per recompute and, at most once per DNA_HISTORY_MIN_INTERVAL_SEC, per mirroring that changed it (at most DNA_HISTORY_MAX_PER_USER kept): strength per domain and the drift since the snapshot before (query `limit`).",
    auth: 'admin',
    params: user,
    query: historyQuery,
    responses: { 200: { description: 'The timeline.', schema: dnaHistorySchema } },
    errors: ERRORS,
    handler: async ({ params: { userId }, query }, { profiles }) => found(await profiles.history(userId, query.limit ?? HISTORY_ROWS), userId),
  }),
  route('GET /api/ops/dna/users/{userId}/passport', {
    operationId: 'dnaPassportExport',
    summary: "DIA: the user's passport as JSON lines, oldest first (bounded by DNA_EXPORT_MAX_ROWS).",
    auth: 'admin',
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
      for await (const line of found(await profiles.exportPassport(userId, query.limit), userId)) lines += line;
      return reply(200, lines, {
        'content-type': 'application/x-ndjson; charset=utf-8',
        'content-disposition': `attachment; filename="passport-${userId}.jsonl"`,
      });
    },
  }),
];
