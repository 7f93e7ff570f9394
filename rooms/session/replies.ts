/** Server → client messages of the `session` room: the contract's source, and what test/rooms checks the output against. */
import { z } from 'zod';
import { searchSchema } from '../../systems/discovery/search.js';
import { journalSchema } from '../../systems/journal/index.js';
import { named, vec3Schema } from '../../systems/shapes.js';
import { hapticPatternSchema } from '../../systems/catalog/catalogRules.js';
import { typedReplies, type PayloadOf } from '../reply.js';
import { recommendationsSchema, recommendedArtistSchema } from '../../systems/discovery/recommendations.js';
import { inboxEntrySchema } from '../../systems/notifications/index.js';
import { badgeNameSchema, nextMilestoneSchema } from '../../systems/session/badges.js';
import { cameraKeyframeSchema } from '../../systems/session/camera.js';
import { resumeUpdatesSchema, suggestedActionSchema } from '../../systems/session/sessionRules.js';
import { SESSION_ERROR_CODES } from './messages.js';
import { offlineSyncResultSchema } from '../../features/offline/OfflineSync.js';

/** The station on screen and the dial's settled frequency. */
const stationRefSchema = named(z.object({ artistId: z.string(), artistName: z.string(), frequency: z.number() }), 'StationRef');

const starConnectionSchema = named(
  z.object({ from: z.string(), to: z.string(), strength: z.number().min(0).max(1), type: z.enum(['discovery_path', 'genre_similarity']) }),
  'StarConnection',
);

const errorDetailSchema = named(z.object({ field: z.string(), message: z.string() }), 'ErrorDetail');

const rideMemberSchema = named(z.object({ userId: z.string(), name: z.string().nullable() }), 'RideMember');

/** Shown to everyone in the ride. */
export const RIDE_REACTIONS = ['fire', 'heart', 'wow', 'dance', 'clap', 'laugh'] as const;

export type RideReaction = (typeof RIDE_REACTIONS)[number];

export { recommendationsSchema };

/** A generated type's default name: `ride_ended` → RideEndedMessage. */
export const typeTitle = (type: string): string => `${type.replace(/(?:^|_)(\w)/g, (_, c: string) => c.toUpperCase())}Message`;

/** A schema without its own title is named after its type. */
const titled = <S extends Record<string, z.ZodType>>(schemas: S): S =>
  Object.fromEntries(Object.entries(schemas).map(([type, schema]) => [type, schema.meta()?.title ? schema : named(schema, typeTitle(type))])) as S;

export const replySchemas = titled({
  welcome: z.object({
    sessionId: z.string(),
    userId: z.string(),
    isFirstLaunch: z.boolean(),
    resumed: z.boolean(),
    message: z.string(),
    frequency: z.number(),
    serverTime: z.number(),
    /** Where the listener was, how often this session was resumed, what happened while away. */
    lastStation: stationRefSchema,
    resumeCount: z.number().int(),
    timeAwaySec: z.number().nullable(),
    updates: resumeUpdatesSchema.nullable(),
    suggestedAction: suggestedActionSchema,
    /** Join with `{ resume }` after a move (close 4100) or a lost connection to get this session back. */
    resume: z.string(),
  }),
  resumed: z.object({
    sessionId: z.string(),
    userId: z.string(),
    /** Fresh: the one joined with is spent. */
    resume: z.string(),
    /** Resend inputs above it, drop the rest. Null: no snapshot survived; resend nothing already sent. */
    appliedSeq: z.number().int().min(0).nullable(),
    /** `handoff`: saved as the old process drained (nothing lost); `snapshot`: the last snapshot after a crash; `durable`: from the row and the constellation. */
    restoredFrom: z.enum(['handoff', 'snapshot', 'durable']),
    station: stationRefSchema,
    frequency: z.number(),
    totalStars: z.number().int().min(0),
    badges: z.array(z.string()),
    resumeCount: z.number().int(),
    serverTime: z.number(),
  }),
  moving: z.object({
    reason: z.enum(['draining']),
    /** Through the matchmaker: another process takes the session. */
    resume: z.string(),
    /** Later inputs were not applied: resend them after `resumed`. */
    appliedSeq: z.number().int().min(0),
    /** Jittered. */
    retryAfterMs: z.number().int().min(0),
  }),
  duplicate: z.object({ for: z.string(), seq: z.number().int(), appliedSeq: z.number().int() }),
  locked: z.object({ frequency: z.number(), artistId: z.string(), haptic: hapticPatternSchema, via: z.literal('orb').optional() }),
  clock: z.object({ t0: z.number(), serverTime: z.number() }),
  transition: z.object({
    orbId: z.string(),
    toArtistId: z.string(),
    at: z.number(),
    duration: z.number(),
    cameraPath: z.array(cameraKeyframeSchema),
    audioCrossfade: named(
      z.object({ fadeOutStart: z.number(), fadeOutEnd: z.number(), fadeInStart: z.number(), fadeInEnd: z.number(), curve: z.literal('ease_in_out') }),
      'AudioCrossfade',
    ),
  }),
  captured: z.object({
    alreadyCaptured: z.boolean(),
    message: z.string().optional(),
    star: named(z.object({ artistId: z.string(), artistName: z.string(), position: vec3Schema }), 'CapturedStar'),
    connections: z.array(starConnectionSchema),
    flyAway: named(
      z.object({
        duration: z.number(),
        path: z.array(named(z.object({ t: z.number(), pos: vec3Schema }), 'FlyAwayPoint')),
        scaleCurve: z.array(z.number()),
        glowCurve: z.array(z.number()),
      }),
      'FlyAway',
    ).nullable(),
    totalStars: z.number().int().min(0),
    badgesEarned: z.array(badgeNameSchema),
    nextMilestone: nextMilestoneSchema.nullable(),
  }),
  badge: z.object({ badge: badgeNameSchema }),
  /** `totalSensorTime`: across all the user's sessions. */
  sensor_ack: z.object({ samples: z.number().int(), totalSensorTime: z.number(), sessionSensorTime: z.number() }),
  offline_synced: offlineSyncResultSchema.extend({
    /** null when the client did not say when it went offline. */
    newData: z
      .object({
        since: z.number(),
        recommendations: z.array(
          named(z.object({ artistId: z.string(), reason: z.string().optional(), createdAt: z.string().optional() }), 'NewRecommendation'),
        ),
        constellationUpdates: z.object({
          stars: z.array(z.object({ artistId: z.string(), position: vec3Schema, capturedAt: z.string() })),
          connections: z.array(starConnectionSchema.extend({ createdAt: z.string() })),
        }),
      })
      .nullable(),
    session: z.object({ totalInteractions: z.number().int(), offlineDuration: z.number().nullable(), lastSyncedAt: z.number() }),
  }),
  error: named(
    z.object({
      code: z.enum(SESSION_ERROR_CODES),
      message: z.string(),
      for: z.string(),
      details: z.array(errorDetailSchema).optional(),
    }),
    'SessionErrorMessage',
  ),
  connection: starConnectionSchema.extend({ via: z.literal('lock') }),
  tip: z.object({ kind: z.literal('parallax'), message: z.string() }),
  recommendations: recommendationsSchema,
  suggestions: z.object({ artistId: z.string(), recommendations: z.array(recommendedArtistSchema) }),
  journal: journalSchema,
  search: searchSchema,
  notification: named(inboxEntrySchema, 'InboxEntry'),
  notifications: z.object({ notifications: z.array(inboxEntrySchema), unread: z.number().int().min(0) }),
  notifications_marked: z.object({ marked: z.number().int().min(0) }),
  state_json: named(z.string(), 'StateJsonMessage', 'The whole session state as JSON text (PATCH_BASELINE=json benchmark baseline; off by default).'),
  ride: z.object({
    rideId: z.string(),
    host: rideMemberSchema,
    /** False while a rider is on the way back after a move. */
    riders: z.array(named(rideMemberSchema.extend({ here: z.boolean() }), 'Rider')),
    /** The host's userId, or a rider's they passed it to. */
    holder: z.string(),
    /** `friends`: the host's friends may join with the invite; `link`: anyone with it. */
    who: z.enum(['friends', 'link']),
    maxRiders: z.number().int(),
    /** The host's copy only; null once revoked. */
    invite: named(z.object({ code: z.string(), link: z.string(), expiresAt: z.number() }), 'RideInvite')
      .nullable()
      .optional(),
  }),
  ride_joined: named(
    z.object({ rideId: z.string(), appliedSeq: z.number().int().min(0) }),
    'RideJoinedMessage',
    "A rider's greeting: resend inputs with seq > appliedSeq (this rider's own numbering).",
  ),
  reaction: z.object({ userId: z.string(), reaction: z.enum(RIDE_REACTIONS), at: z.number() }),
  ride_ended: z.object({ reason: z.enum(['ended', 'host_left', 'kicked']) }),
} as const);
export type ReplyType = keyof typeof replySchemas;
export type ReplyOf<T extends ReplyType> = z.infer<(typeof replySchemas)[T]>;
/** Readonly data allowed. */
export type ReplyPayload<T extends ReplyType> = PayloadOf<typeof replySchemas, T>;
export type ErrorMessage = ReplyPayload<'error'>;

/** Checked against `replySchemas` at compile time. */
export const { reply, broadcastReply } = typedReplies(replySchemas);
