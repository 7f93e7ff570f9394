/**
 * Per-type payload schemas of passport events (seeds 000, 001, 003, 004). Known fields are checked;
 * extra fields are kept (the passport is a flexible log), the whole payload is size-bounded elsewhere.
 */
import { z } from 'zod';
import { LOCK_METHODS } from '../session/momentum.js';

/** Any RFC 4122-shaped UUID (any version), case-insensitive. */
export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const uuidSchema = z.string().regex(UUID_RE, 'must be a UUID like 3f2b6c1e-8a4d-4c7e-9b1a-0d5e6f7a8b9c');
export const idSchema = (max = 200) => z.string().min(1, 'must not be empty').max(max, `at most ${max} characters`);
const finite = (min: number, max: number) => z.number().finite().min(min).max(max);
const int = (min: number, max: number) => z.number().int().min(min).max(max);

/** FM band of the dial (seed 000: 87.5–108.0 MHz). */
export const frequencySchema = finite(87.5, 108);
const coordinate = finite(-1e7, 1e7);
const pointSchema = z.object({ x: coordinate, y: coordinate, z: coordinate });
const currency = z.string().regex(/^[A-Za-z]{3}$/, 'must be a 3-letter ISO 4217 code like "usd"');
const cents = int(0, 1e12);
const track = { trackId: idSchema() };
/** A brand campaign the event is attributed to (report type `brand_campaign` reads it). */
const campaign = { campaignId: idSchema().optional() };

/** What a share link points at (features/links). */
export const LINK_TARGET_TYPES = ['artist', 'event', 'track'] as const;
const linkTarget = {
  linkId: z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'must be a share link id'),
  targetType: z.enum(LINK_TARGET_TYPES),
  artistId: idSchema().optional(),
  eventId: idSchema().optional(),
  trackId: idSchema().optional(),
};

/** How a listener reached a station: a lock of the dial, an orb zoom, or a visit replayed by offline sync. */
export const VISIT_METHODS = [...LOCK_METHODS, 'orb', 'offline_cache'] as const;
/** How a station snapshot was served: a visit's ways, a join's first station, or an HTTP read. */
export const LOAD_METHODS = ['join', ...LOCK_METHODS, 'orb', 'http'] as const;
export type LoadMethod = (typeof LOAD_METHODS)[number];

const sessionInfo = z.looseObject({
  deviceModel: z.string().max(64).nullable().optional(),
  appVersion: z.string().max(32).nullable().optional(),
  frequency: frequencySchema.optional(),
});

/** One schema per event type; the keys are the complete list of passport event types. */
export const payloadSchemas = {
  'session.started': sessionInfo,
  'session.resumed': sessionInfo,
  'session.ended': z.looseObject({}),
  'station.swiped': z.looseObject({ direction: z.enum(['left', 'right']), velocity: finite(0, 20_000), fromStation: frequencySchema.optional() }),
  'station.tuned': z.looseObject({ requested: frequencySchema }),
  'station.locked': z.looseObject({ frequency: frequencySchema, artistId: idSchema().optional() }),
  // Seed 000 step 2.10 / 4.3 "Log Analytics Event: station_load": a station snapshot served (room or HTTP).
  'station.loaded': z.looseObject({ artistId: idSchema(), frequency: frequencySchema.nullable(), method: z.enum(LOAD_METHODS) }),
  'station.visited': z.looseObject({ artistId: idSchema(), frequency: frequencySchema.nullable(), method: z.enum(VISIT_METHODS) }),
  'orb.tapped': z.looseObject({
    orbId: idSchema().optional(),
    fromArtistId: idSchema(),
    toArtistId: idSchema(),
    relationship: z.string().max(32).nullable().optional(),
  }),
  'constellation.captured': z.looseObject({
    artistId: idSchema(),
    position: pointSchema,
    totalStars: int(1, 1e9).optional(),
    discoveryPath: z.array(idSchema()).max(100).optional(),
  }),
  // Seed 000 step 4.4: a lock from one star to another drew their line.
  'constellation.connected': z.looseObject({
    from: idSchema(),
    to: idSchema(),
    strength: finite(0, 1),
    connectionType: z.enum(['discovery_path', 'genre_similarity']),
  }),
  // Seed 000 step 5.4: the parallax tip ("queue notification").
  'session.tip_shown': z.looseObject({ tip: z.enum(['parallax']) }),
  // Seed 000 step 15.4 "UPDATE user_sessions ... offline_duration, last_synced".
  'session.synced': z.looseObject({ operations: int(0, 10_000), applied: int(0, 10_000), offlineDuration: finite(0, 1e8).nullable() }),
  // Seed 000 step 13.6 "INSERT INTO search_logs" (emitted by the search feature).
  'search.performed': z.looseObject({ query: z.string().max(100), resultCount: int(0, 1e6), topResultId: idSchema().nullable().optional() }),
  'sensor.batch': z.looseObject({
    samples: int(1, 10_000),
    totalDuration: finite(0, 1e6),
    avgTiltX: finite(-180, 180).optional(),
    avgTiltY: finite(-180, 180).optional(),
  }),
  'badge.earned': z.looseObject({ badge: idSchema(64) }),
  'player.track_played': z.looseObject({
    ...track,
    ...campaign,
    artistId: idSchema().optional(),
    durationSeconds: finite(0, 86_400).optional(),
    context: z.string().max(64).optional(),
  }),
  'player.track_completed': z.looseObject({ ...track, artistId: idSchema().optional() }),
  'player.track_skipped': z.looseObject({ ...track, elapsedMs: int(0, 86_400_000).optional() }),
  'player.play_10s': z.looseObject(track),
  'player.radio_next': z.looseObject(track),
  'player.like': z.looseObject(track),
  // Seed 003 names the voted artist `artistId`, seed 004 `voteFor`: either is accepted (voteFor wins).
  'concierto.vote_cast': z
    .looseObject({
      ...campaign,
      eventId: idSchema(),
      voteFor: idSchema().optional(),
      artistId: idSchema().optional(),
      channel: z.string().max(32).optional(),
      weight: int(1, 100).optional(),
    })
    .refine((v) => v.voteFor !== undefined || v.artistId !== undefined, { message: 'name what the vote is for: voteFor (or artistId)', path: ['voteFor'] }),
  'concierto.event_attended': z.looseObject({ ...campaign, eventId: idSchema(), city: z.string().min(1).max(100).optional() }),
  'concierto.event_viewed': z.looseObject({ ...campaign, eventId: idSchema() }),
  'treasury.money_spent': z.looseObject({
    amountCents: cents,
    currency,
    reason: z.string().max(64).optional(),
    eventId: idSchema().optional(),
    artistId: idSchema().optional(),
    stripePaymentIntentId: idSchema(255).optional(),
  }),
  // Seed 003 "money earned": a payout to the event's user, attributed to an artist or an event it was earned by.
  'treasury.money_earned': z.looseObject({ amountCents: cents, currency, eventId: idSchema().optional(), artistId: idSchema().optional() }),
  // Revenue of the coliseum (seed 004 "Treasury integration"): integer cents + currency; artistId/eventId attribute it.
  'treasury.purchase_completed': z.looseObject({
    ...campaign,
    amountCents: cents,
    currency,
    productId: idSchema().optional(),
    artistId: idSchema().optional(),
    eventId: idSchema().optional(),
    reason: z.string().max(64).optional(),
  }),
  'social.follow': z.looseObject({ targetUserId: idSchema() }),
  // Seed 004 "Link shares and opens": a share link made by the event's user, and one counted open of it
  // (recorded by the server only; the target's id rides in artistId / eventId / trackId for the counting rules).
  'social.link_shared': z.looseObject({ ...linkTarget, channel: z.string().max(32).optional() }),
  'social.link_opened': z.looseObject(linkTarget),
} as const;

export type PayloadSchemas = typeof payloadSchemas;
