import { z } from 'zod';
import type { Notifications } from '../../features/notifications/Notifications.js';
import type { PushDevices, PushRegistration } from '../../features/notifications/PushDevices.js';
import { issuesOf } from '../../systems/passport/index.js';
import {
  inboxEntrySchema,
  markReadSchema,
  MAX_INBOX_PAGE,
  notificationIdSchema,
  webPushSubscriptionSchema,
  type NotificationPreferences,
  type PushKind,
} from '../../systems/notifications/index.js';
import { ForbiddenError, withBearerChallenge, type Caller, type RequestAuth } from './authGates.js';
import { json, optionalBody, ValidationError, type Route } from './router.js';
import { declareRoutes, mountRoutes } from './declare.js';

const NO_STORE = { 'cache-control': 'private, no-store' };

/** A push registration's id: a positive integer as a string (ids are bigint). */
const deviceId = z.string().regex(/^[1-9]\d{0,17}$/, 'must be a push registration id');
const notificationId = notificationIdSchema;

/** `POST /api/notifications/read` body: some ids, or all. */
export const markReadBody = markReadSchema;

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
/** `POST /api/notifications/devices`: an APNs device token or a Web Push subscription (`PushSubscription.toJSON()`). */
export const registrationBody = z
  .union([z.strictObject({ apns: apnsRegistration }), z.strictObject({ webPush: webPushSubscriptionSchema })])
  .meta({ title: 'PushRegistrationRequest' });

const deviceSchema = z
  .object({ id: z.string(), kind: z.enum(['apns', 'webpush']), label: z.string(), createdAt: z.string(), lastSeenAt: z.string() })
  .meta({ title: 'PushDevice' });

function userOf(caller: Caller): string {
  if (caller.kind !== 'user')
    throw new ForbiddenError("notifications belong to a user; call with that user's access token, not the admin token", [
      { field: 'authorization', message: 'is the admin token' },
    ]);
  return caller.userId;
}

/** `limit` 1..100 (default 20) and `before` an id, or a 400 naming the field. */
function pageOf(query: URLSearchParams): { limit: number; before: string | null } {
  const problems: Array<{ field: string; message: string }> = [];
  const rawLimit = query.get('limit');
  const limit = rawLimit === null || rawLimit === '' ? 20 : /^\d{1,3}$/.test(rawLimit) ? Number(rawLimit) : NaN;
  if (!(limit >= 1 && limit <= MAX_INBOX_PAGE)) problems.push({ field: 'limit', message: `must be an integer from 1 to ${MAX_INBOX_PAGE}` });
  const before = query.get('before');
  if (before !== null && !notificationId.safeParse(before).success)
    problems.push({ field: 'before', message: 'must be a notification id (nextBefore of the previous page)' });
  if (problems.length) throw new ValidationError('invalid inbox page; see details', problems);
  return { limit, before };
}

/** The body as one of the two registrations; the subscription's own rules are the feature's (PushDevices). */
function registrationOf(body: unknown): PushRegistration {
  const keys = body && typeof body === 'object' && !Array.isArray(body) ? Object.keys(body) : [];
  if (keys.length !== 1 || !['apns', 'webPush'].includes(keys[0]!))
    throw new ValidationError('send {"apns": {"deviceToken": "…"}} or {"webPush": <PushSubscription.toJSON()>}', [
      { field: '(body)', message: 'must have exactly one of apns, webPush' },
    ]);
  const value = (body as Record<string, unknown>)[keys[0]!];
  if (keys[0] === 'webPush') return { kind: 'webpush', subscription: value };
  const apns = apnsRegistration.safeParse(value);
  if (!apns.success)
    throw new ValidationError(
      'invalid APNs registration; see details',
      issuesOf(apns.error)
        .map((i) => ({ ...i, field: `apns.${i.field}` }))
        .slice(0, 10),
    );
  return { kind: 'apns', deviceToken: apns.data.deviceToken };
}

export const inboxSchema = z
  .object({ notifications: z.array(inboxEntrySchema), unread: z.number().int(), nextBefore: z.string().nullable() })
  .meta({ title: 'Inbox' });

interface NotificationRouteDeps {
  notifications: Notifications;
  devices: PushDevices;
  auth: RequestAuth;
  /** Push kinds on, and the VAPID public key browsers subscribe with. */
  push: { enabled: readonly PushKind[]; vapidPublicKey: string | null };
}

/** The token user's notifications: the inbox (seed 000 steps 16.4, 12.10), opt-outs, push registrations. */
export const NOTIFICATION_ROUTES = declareRoutes<NotificationRouteDeps>()([
  {
    operationId: 'notifications',
    method: 'GET',
    path: '/api/notifications',
    tag: 'notifications',
    summary:
      "The token user's notification inbox, newest first (constellations shared with them, seed 000 step 16.4; a new top recommendation, step 12.10); `limit` 1–100 (20), `before` = the previous page's `nextBefore`.",
    auth: 'user',
    responses: { 200: { description: '`notifications`, `unread` in all, `nextBefore`.', title: 'Inbox', schema: inboxSchema } },
    errors: ['VALIDATION_FAILED', 'FORBIDDEN'],
    handler: async ({ request, query }, { notifications, auth }) => {
      const userId = userOf(await auth.requireUser(request));
      const { limit, before } = pageOf(query);
      return json(await notifications.inbox(userId, limit, before), 200, NO_STORE);
    },
  },
  {
    operationId: 'markNotificationsRead',
    method: 'POST',
    path: '/api/notifications/read',
    tag: 'notifications',
    summary:
      'Marks the token user\'s notifications read: `{"ids": ["…"]}` (another user\'s ids are ignored) or `{"all": true}`. The session room\'s `notifications_read` does the same.',
    auth: 'user',
    request: { title: 'MarkNotificationsReadRequest', schema: markReadBody.meta({ title: 'MarkNotificationsReadRequest' }) },
    responses: {
      200: {
        description: '`marked`: how many were unread and now are read.',
        title: 'NotificationsMarked',
        schema: z.object({ marked: z.number().int() }).meta({ title: 'NotificationsMarked' }),
      },
    },
    errors: ['VALIDATION_FAILED', 'FORBIDDEN'],
    handler: async (ctx, { notifications, auth }) => {
      const userId = userOf(await auth.requireUser(ctx.request));
      const parsed = markReadBody.safeParse(optionalBody(ctx));
      if (!parsed.success) throw new ValidationError('send {"ids": ["…"]} or {"all": true}; see details', issuesOf(parsed.error).slice(0, 20));
      return json(await notifications.markRead(userId, 'all' in parsed.data ? 'all' : [...new Set(parsed.data.ids)]));
    },
  },
  {
    operationId: 'notificationPreferences',
    method: 'GET',
    path: '/api/notifications/preferences',
    tag: 'notifications',
    summary: "The token user's opt-outs: per kind (`shares`, `recommendations`), per channel (`inApp`: inbox and live session; `push`); true = on.",
    auth: 'user',
    responses: { 200: { description: 'Every kind and channel.', title: 'NotificationPreferences', schema: preferencesSchema } },
    errors: ['FORBIDDEN'],
    handler: async ({ request }, { notifications, auth }) => json(await notifications.preferences(userOf(await auth.requireUser(request))), 200, NO_STORE),
  },
  {
    operationId: 'updateNotificationPreferences',
    method: 'PUT',
    path: '/api/notifications/preferences',
    tag: 'notifications',
    summary: 'Sets the token user\'s opt-outs (partial: `{"recommendations": {"push": false}}`; what is left out keeps its value).',
    auth: 'user',
    request: { title: 'NotificationPreferencesUpdate', schema: preferencesBody },
    responses: { 200: { description: 'Every kind and channel after the change.', title: 'NotificationPreferences', schema: preferencesSchema } },
    errors: ['VALIDATION_FAILED', 'FORBIDDEN'],
    handler: async (ctx, { notifications, auth }) => {
      const userId = userOf(await auth.requireUser(ctx.request));
      const parsed = preferencesBody.safeParse(optionalBody(ctx));
      if (!parsed.success) throw new ValidationError('invalid preferences; see details', issuesOf(parsed.error).slice(0, 20));
      const current = await notifications.preferences(userId);
      const next: NotificationPreferences = {
        shares: { ...current.shares, ...parsed.data.shares },
        recommendations: { ...current.recommendations, ...parsed.data.recommendations },
      };
      return json(await notifications.setPreferences(userId, next), 200, NO_STORE);
    },
  },
  {
    operationId: 'pushChannels',
    method: 'GET',
    path: '/api/notifications/push',
    tag: 'notifications',
    summary: 'Which push channels this server delivers (APNs, Web Push) and the VAPID public key a browser subscribes with (`applicationServerKey`).',
    auth: 'none',
    responses: {
      200: {
        description: '`apns` and `webPush` on or off; `vapidPublicKey` (null without Web Push).',
        title: 'PushChannels',
        schema: z.object({ apns: z.boolean(), webPush: z.boolean(), vapidPublicKey: z.string().nullable() }).meta({ title: 'PushChannels' }),
      },
    },
    handler: async (_ctx, { push }) =>
      json({ apns: push.enabled.includes('apns'), webPush: push.enabled.includes('webpush'), vapidPublicKey: push.vapidPublicKey }, 200, {
        'cache-control': 'public, max-age=300',
      }),
  },
  {
    operationId: 'pushDevices',
    method: 'GET',
    path: '/api/notifications/devices',
    tag: 'notifications',
    summary: "The token user's push registrations (a token by its last 8 characters, a subscription by its push service's host).",
    auth: 'user',
    responses: {
      200: {
        description: '`devices`, newest first.',
        title: 'PushDevices',
        schema: z.object({ devices: z.array(deviceSchema) }).meta({ title: 'PushDevices' }),
      },
    },
    errors: ['FORBIDDEN'],
    handler: async ({ request }, { devices, auth }) => json({ devices: await devices.list(userOf(await auth.requireUser(request))) }, 200, NO_STORE),
  },
  {
    operationId: 'registerPushDevice',
    method: 'POST',
    path: '/api/notifications/devices',
    tag: 'notifications',
    summary:
      'Registers a push target for the token user: `{"apns": {"deviceToken": "<hex>"}}` or `{"webPush": <PushSubscription.toJSON()>}` (https endpoint on a known push service, RFC 8291 keys). The same token or endpoint again refreshes it (and moves it to this user).',
    auth: 'user',
    request: { title: 'PushRegistrationRequest', schema: registrationBody },
    responses: {
      200: { description: 'Already registered: refreshed.', title: 'PushDevice', schema: deviceSchema },
      201: { description: 'Registered.', title: 'PushDevice', schema: deviceSchema },
    },
    errors: ['VALIDATION_FAILED', 'FORBIDDEN', 'DEVICE_LIMIT', 'PUSH_DISABLED'],
    handler: async (ctx, { devices, auth }) => {
      const userId = userOf(await auth.requireUser(ctx.request));
      const { device, created } = await devices.register(userId, registrationOf(optionalBody(ctx)));
      return json(device, created ? 201 : 200, NO_STORE);
    },
  },
  {
    operationId: 'removePushDevice',
    method: 'DELETE',
    path: '/api/notifications/devices/{id}',
    tag: 'notifications',
    summary: "Removes one of the token user's push registrations (its pending pushes go with it).",
    auth: 'user',
    responses: {
      200: {
        description: '`{ id, removed: true }`.',
        title: 'PushDeviceRemoved',
        schema: z.object({ id: z.string(), removed: z.literal(true) }).meta({ title: 'PushDeviceRemoved' }),
      },
    },
    errors: ['VALIDATION_FAILED', 'FORBIDDEN', 'NOT_FOUND'],
    handler: async ({ request, params }, { devices, auth }) => {
      const userId = userOf(await auth.requireUser(request));
      const id = params.id ?? '';
      if (!deviceId.safeParse(id).success)
        throw new ValidationError('invalid push registration id', [{ field: 'id', message: 'must be an id from GET /api/notifications/devices' }]);
      await devices.remove(userId, id);
      return json({ id, removed: true }, 200, NO_STORE);
    },
  },
]);

/** The notification routes, served. */
export function notificationsRoutes(deps: NotificationRouteDeps): Route[] {
  return mountRoutes(NOTIFICATION_ROUTES, deps, withBearerChallenge);
}
