/** The MediaID inputs a user sets, bounded. Strict: an unknown field is refused, so a typo never silently drops a preference. */
import { z } from 'zod';
import type { MediaIdInputs } from './dna.js';

export const MAX_LIST = 20;
const label = z
  .string()
  .trim()
  .min(1)
  .max(48)
  .regex(/^[\p{L}\p{N} &'+./-]+$/u, "letters, digits, spaces and & ' + . / - only");
const flagKey = z
  .string()
  .min(1)
  .max(32)
  .regex(/^[a-z][a-z0-9_]*$/, 'lower_snake_case');

export const mediaIdBody = z.strictObject({
  displayName: z.string().trim().min(1).max(64).optional(),
  email: z.email().max(254).optional(),
  interests: z.array(label).max(MAX_LIST).optional(),
  genrePreferences: z.array(label).max(MAX_LIST).optional(),
  contentFlags: z
    .record(flagKey, z.union([z.boolean(), z.string().max(32), z.number().finite()]))
    .refine((r) => Object.keys(r).length <= MAX_LIST, `at most ${MAX_LIST} flags`)
    .optional(),
  locationCode: z
    .string()
    .regex(/^[A-Za-z]{2}(-[A-Za-z0-9]{1,8}){0,2}$/, 'an ISO 3166 code such as NG or NG-LA (country[-region[-city]])')
    .nullable()
    .optional(),
  privacy: z.strictObject({ shareLocation: z.boolean().optional(), allowMatching: z.boolean().optional() }).optional(),
});
export type MediaIdBody = z.infer<typeof mediaIdBody>;

/** Fields left out keep their value; lists are de-duplicated case-insensitively. */
export function applyBody(current: MediaIdInputs, body: MediaIdBody): MediaIdInputs {
  const dedupe = (xs: string[]) => [...new Map(xs.map((x) => [x.toLowerCase(), x] as const)).values()];
  return {
    interests: body.interests ? dedupe(body.interests) : current.interests,
    genrePreferences: body.genrePreferences ? dedupe(body.genrePreferences) : current.genrePreferences,
    contentFlags: body.contentFlags ?? current.contentFlags,
    locationCode: body.locationCode === undefined ? current.locationCode : body.locationCode === null ? null : body.locationCode.toUpperCase(),
    privacy: { ...current.privacy, ...(body.privacy ?? {}) },
  };
}
