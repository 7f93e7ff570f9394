/** Per-type payload schemas. Known fields are checked; extra ones are kept (a flexible log); size is bounded elsewhere. */
import { z } from 'zod';
import { LOCK_METHODS } from '../session/momentum.js';

/** Any version, case-insensitive. */
export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const uuidSchema = z.string().regex(UUID_RE, 'must be a UUID like 3f2b6c1e-8a4d-4c7e-9b1a-0d5e6f7a8b9c');
export const idSchema = (max = 200) => z.string().min(1, 'must not be empty').max(max, `at most ${max} characters`);
const finite = (min: number, max: number) => z.number().finite().min(min).max(max);
const int = (min: number, max: number) => z.number().int().min(min).max(max);

/** The FM band of the dial. */
export const frequencySchema = finite(87.5, 108);
const coordinate = finite(-1e7, 1e7);
const pointSchema = z.object({ x: coordinate, y: coordinate, z: coordinate });
const currency = z.string().regex(/^[A-Za-z]{3}$/, 'must be a 3-letter ISO 4217 code like "usd"');
const cents = int(0, 1e12);
const track = { trackId: idSchema() };
/** Read by the `brand_campaign` report. */
const campaign = { campaignId: idSchema().optional() };

export const LINK_TARGET_TYPES = ['artist', 'event', 'track'] as const;
const linkTarget = {
  linkId: z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'must be a share link id'),
  targetType: z.enum(LINK_TARGET_TYPES),
  artistId: idSchema().optional(),
  eventId: idSchema().optional(),
  trackId: idSchema().optional(),
};

/** A lock of the dial, an orb zoom, or a visit replayed by offline sync. */
export const VISIT_METHODS = [...LOCK_METHODS, 'orb', 'offline_cache'] as const;
/** A visit's ways, a join's first station, or an HTTP read. */
export const LOAD_METHODS = ['join', ...LOCK_METHODS, 'orb', 'http'] as const;
export type LoadMethod = (typeof LOAD_METHODS)[number];

const sessionInfo = z.looseObject({
  deviceModel: z.string().max(64).nullable().optional(),
  appVersion: z.string().max(32).nullable().optional(),
  frequency: frequencySchema.optional(),
});

/** The keys are the complete list of passport event types. */
export const payloadSchemas = {
  'session.started': sessionInfo,
  'session.resumed': sessionInfo,
  'session.ended': z.looseObject({}),
  'station.swiped': z.looseObject({ direction: z.enum(['left', 'right']), velocity: finite(0, 20_000), fromStation: frequencySchema.optional() }),
  'station.tuned': z.looseObject({ requested: frequencySchema }),
  'station.locked': z.looseObject({ frequency: frequencySchema, artistId: idSchema().optional() }),
  // A station snapshot served (room or HTTP).
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
  // A lock from one star to another drew their line.
  'constellation.connected': z.looseObject({
    from: idSchema(),
    to: idSchema(),
    strength: finite(0, 1),
    connectionType: z.enum(['discovery_path', 'genre_similarity']),
  }),
  'session.tip_shown': z.looseObject({ tip: z.enum(['parallax']) }),
  'session.synced': z.looseObject({ operations: int(0, 10_000), applied: int(0, 10_000), offlineDuration: finite(0, 1e8).nullable() }),
  // Emitted by the search feature.
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
  // Added to a playlist or library; saved for offline listening.
  'player.track_added': z.looseObject({ ...track, artistId: idSchema().optional() }),
  'player.track_downloaded': z.looseObject({ ...track, artistId: idSchema().optional() }),
  'player.play_10s': z.looseObject(track),
  'player.radio_next': z.looseObject(track),
  'player.like': z.looseObject(track),
  // The voted artist as `artistId` or `voteFor` (voteFor wins): the product documents name it both ways.
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
  // A payout to the event's user, attributed to the artist or event it was earned by.
  'treasury.money_earned': z.looseObject({ amountCents: cents, currency, eventId: idSchema().optional(), artistId: idSchema().optional() }),
  // Integer cents + currency; artistId/eventId attribute it.
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
  // Recorded by the server only (opens); the target's id rides in artistId / eventId / trackId for the counting rules.
  'social.link_shared': z.looseObject({ ...linkTarget, channel: z.string().max(32).optional() }),
  'social.link_opened': z.looseObject(linkTarget),
} as const;

export type PayloadSchemas = typeof payloadSchemas;
