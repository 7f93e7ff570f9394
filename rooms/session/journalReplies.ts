/**
 * The `journal` request and the `search` reply (the journal's shape is systems/journal's). The replies carry what
 * `buildJournal` and `Search` build (the HTTP routes answer the same bodies); `reply()` type-checks the sends.
 */
import { z } from 'zod';
import { named } from '../../systems/shapes.js';

/** The user is the session's. */
export const journalRequestSchema = named(z.strictObject({}), 'JournalRequest');

/** `inConstellation` is false for an anonymous HTTP search. */
export const searchResultSchema = named(
  z.object({
    artist: named(
      z.object({
        id: z.string(),
        name: z.string(),
        station: z.number().nullable(),
        genres: z.array(z.string()),
        era: z.string(),
        thumbnail: z.string(),
        bioSnippet: z.string(),
      }),
      'SearchArtist',
    ),
    relevanceScore: z.number(),
    inConstellation: z.boolean(),
    influenceCount: z.number().int().min(0),
    scenePreview: z.string(),
  }),
  'SearchResult',
);

/** `requestId` echoes the request's (never present over HTTP). */
export const searchSchema = named(
  z.object({
    query: z.string(),
    results: z.array(searchResultSchema),
    totalResults: z.number().int().min(0),
    searchTimeMs: z.number(),
    requestId: z.string().optional(),
  }),
  'SearchMessage',
);
