import { z } from 'zod';
import type { Notifications } from '../../features/notifications/Notifications.js';
import type { PushDevices, PushRegistration } from '../../features/notifications/PushDevices.js';
import {
  inboxSchema,
  markReadSchema,
  MAX_INBOX_PAGE,
  notificationIdSchema,
  webPushSubscriptionSchema,
  type NotificationPreferences,
  type PushKind,
} from '../../systems/notifications/index.js';
import type { RequestAuth } from './authGates.js';
import { ValidationError } from './errors.js';
import { intQuery, parse, reply, routeOf } from './route.js';

/** A push registration's id: a positive integer as a string (ids are bigint). */
const deviceId = z.string().regex(/^[1-9]\d{0,17}$/, 'must be an id from GET /api/notifications/devices');

export const markReadBody = markReadSchema.meta({ title: 'MarkNotificationsReadRequest' });

const channelsSchema = z.strictObject({ inApp: z.boolean(), push: z.boolean() }).meta({ title: 'NotificationChannels' });
/** The user's opt-outs: per kind, per channel (true = open). */
export const preferencesSchema = z.object({ shares: channelsSchema, recommendations: channelsSchema }).meta({ title: 'NotificationPreferences' });
/** `PUT /api/notifications/preferences`: any part; what is left out keeps its value. */
export const preferencesBody = z
  .strictObject({
    shares: channelsSchema.partial().meta({ title: 'NotificationChannelsUpdate' }).optional(),
    recommendations: channelsSchema.partial().meta({ title: 'NotificationChannelsUpdate' }).optional(),
  })
  .meta({ title: 'NotificationPreferencesUpdate' });

const apnsRegistration = z.strictObject({ deviceToken: z.string().max(200) });
/** An APNs device token or a Web Push subscription (`PushSubscription.toJSON()`); the subscription's own rules are the feature's (PushDevices). */
export const registrationBody = z
  .union([z.strictObject({ apns: apnsRegistration }), z.strictObject({ webPush: webPushSubscriptionSchema })])
  .meta({ title: 'PushRegistrationRequest' });

const deviceSchema = z
  .object({ id: z.string(), kind: z.enum(['apns', 'webpush']), label: z.string(), createdAt: z.string(), lastSeenAt: z.string() })
  .meta({ title: 'PushDevice' });

/** The body as one of the two registrations; the subscription's own rules are the feature's (PushDevices). */
function registrationOf(body: unknown): PushRegistration {
  const keys = body && typeof body === 'object' && !Array.isArray(body) ? Object.keys(body) : [];
  if (keys.length !== 1 || !['apns', 'webPush'].includes(keys[0]!))
    throw new ValidationError('send {"apns": {"deviceToken": "…"}} or {"webPush": <PushSubscription.toJSON()>}', [
      { field: '(body)', message: 'must have exactly one of apns, webPush' },
    ]);
  const value = (body as Record<string, unknown>)[keys[0]!];
  if (keys[0] === 'webPush') return { kind: 'webpush', subscription: value };
  return { kind: 'apns', deviceToken: parse(z.strictObject({ apns: apnsRegistration }), body, 'APNs registration').apns.deviceToken };
}

const inboxPage = inboxSchema.meta({ title: 'Inbox' });

interface NotificationRouteDeps {
  notifications: Notifications;
  devices: PushDevices;
  auth: RequestAuth;
  /** Push kinds on, and the VAPID public key browsers subscribe with. */
  push: { enabled: readonly PushKind[]; vapidPublicKey: string | null };
}
const notificationsMarkedSchema = z.object({ marked: z.number().int() }).meta({ title: 'NotificationsMarked' });
const pushChannelsSchema = z.object({ apns: z.boolean(), webPush: z.boolean(), vapidPublicKey: z.string().nullable() }).meta({ title: 'PushChannels' });
const route = routeOf<NotificationRouteDeps>('notifications', 'user');

export const NOTIFICATION_ROUTES = [
  route('GET /api/notifications', {
    operationId: 'notifications',
    summary:
      "The token user's notification inbox, newest first (constellations shared with them, a new top recommendation not captured since, friend requests, ride invites, upload reviews); `limit` 1–100 (20), `before` = the previous page's `nextBefore`.",
    query: z.object({
      limit: intQuery(1, MAX_INBOX_PAGE, 20),
      before: notificationIdSchema.optional().meta({ description: "The previous page's `nextBefore`." }),
    }),
    responses: { 200: { description: '`notifications`, `unread` in all, `nextBefore`.', schema: inboxPage } },
    handler: async ({ caller, query }, { notifications }) => notifications.inbox(caller.userId, query.limit, query.before ?? null),
  }),
  route('POST /api/notifications/read', {
    operationId: 'markNotificationsRead',
    summary:
      'Marks the token user\'s notifications read: `{"ids": ["…"]}` (another user\'s ids are ignored) or `{"all": true}`. The session room\'s `notifications_read` does the same.',
    body: markReadBody,
    responses: { 200: { description: '`marked`: how many were unread and now are read.', schema: notificationsMarkedSchema } },
    handler: async ({ caller, body }, { notifications }) => notifications.markRead(caller.userId, 'all' in body ? 'all' : [...new Set(body.ids)]),
  }),
  route('GET /api/notifications/preferences', {
    operationId: 'notificationPreferences',
    summary: "The token user's opt-outs: per kind (`shares`, `recommendations`), per channel (`inApp`: inbox and live session; `push`); true = on.",
    responses: { 200: { description: 'Every kind and channel.', schema: preferencesSchema } },
    handler: async ({ caller }, { notifications }) => notifications.preferences(caller.userId),
  }),
  route('PUT /api/notifications/preferences', {
    operationId: 'updateNotificationPreferences',
    summary: 'Sets the token user\'s opt-outs (partial: `{"recommendations": {"push": false}}`; what is left out keeps its value).',
    body: preferencesBody,
    responses: { 200: { description: 'Every kind and channel after the change.', schema: preferencesSchema } },
    handler: async ({ caller, body }, { notifications }) => {
      const current = await notifications.preferences(caller.userId);
      const next: NotificationPreferences = {
        shares: { ...current.shares, ...body.shares },
        recommendations: { ...current.recommendations, ...body.recommendations },
      };
      return notifications.setPreferences(caller.userId, next);
    },
  }),
  route('GET /api/notifications/push', {
    operationId: 'pushChannels',
    summary: 'Which push channels this server delivers (APNs, Web Push) and the VAPID public key a browser subscribes with (`applicationServerKey`).',
    auth: 'none',
    responses: { 200: { description: '`apns` and `webPush` on or off; `vapidPublicKey` (null without Web Push).', schema: pushChannelsSchema } },
    headers: { 'cache-control': 'public, max-age=300' },
    handler: async (_ctx, { push }) => ({
      apns: push.enabled.includes('apns'),
      webPush: push.enabled.includes('webpush'),
      vapidPublicKey: push.vapidPublicKey,
    }),
  }),
  route('GET /api/notifications/devices', {
    operationId: 'pushDevices',
    summary: "The token user's push registrations (a token by its last 8 characters, a subscription by its push service's host).",
    responses: { 200: { description: '`devices`, newest first.', schema: z.object({ devices: z.array(deviceSchema) }).meta({ title: 'PushDevices' }) } },
    handler: async ({ caller }, { devices }) => ({ devices: await devices.list(caller.userId) }),
  }),
  route('POST /api/notifications/devices', {
    operationId: 'registerPushDevice',
    summary:
      'Registers a push target for the token user: `{"apns": {"deviceToken": "<hex>"}}` or `{"webPush": <PushSubscription.toJSON()>}` (https endpoint on a known push service, RFC 8291 keys). The same token or endpoint again refreshes it (and moves it to this user).',
    body: registrationBody,
    bodyUnchecked: true,
    responses: {
      200: { description: 'Already registered: refreshed.', schema: deviceSchema },
      201: { description: 'Registered.', schema: deviceSchema },
    },
    errors: ['DEVICE_LIMIT', 'PUSH_DISABLED'],
    handler: async ({ caller, body }, { devices }) => {
      const { device, created } = await devices.register(caller.userId, registrationOf(body));
      return reply(created ? 201 : 200, device);
    },
  }),
  route('DELETE /api/notifications/devices/{id}', {
    operationId: 'removePushDevice',
    summary: "Removes one of the token user's push registrations (its pending pushes go with it).",
    params: z.object({ id: deviceId }),
    responses: {
      200: { description: '`{ id, removed: true }`.', schema: z.object({ id: z.string(), removed: z.literal(true) }).meta({ title: 'PushDeviceRemoved' }) },
    },
    errors: ['NOT_FOUND'],
    handler: async ({ caller, params: { id } }, { devices }) => {
      await devices.remove(caller.userId, id);
      return { id, removed: true as const };
    },
  }),
];
