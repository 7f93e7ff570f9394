import { z } from 'zod';
import { MAX_INBOX_PAGE, type Notifications } from '../../features/notifications/Notifications.js';
import { issuesOf } from '../../systems/passport/index.js';
import { ForbiddenError, withBearerChallenge, type Caller, type RequestAuth } from './authGates.js';
import { json, optionalBody, ValidationError, type Route } from './router.js';
import { declareRoutes, mountRoutes } from './declare.js';

/** An inbox entry's id: a positive integer as a string (ids are bigint). */
const notificationId = z.string().regex(/^[1-9]\d{0,17}$/, 'must be a notification id from GET /api/notifications');

/** `POST /api/notifications/read` body: some ids, or all. */
export const markReadBody = z.union([
  z.strictObject({ ids: z.array(notificationId).min(1, 'name at least one id').max(MAX_INBOX_PAGE, `at most ${MAX_INBOX_PAGE} ids`) }),
  z.strictObject({ all: z.literal(true) }),
]);

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

/** `GET /api/notifications` 200 (features/notifications/Notifications.ts `Inbox`). */
export const inboxSchema = z
  .object({
    notifications: z.array(
      z
        .object({
          id: z.string(),
          type: z.string(),
          from: z.object({ userId: z.string().nullable(), displayName: z.string().nullable() }),
          shareId: z.string().nullable(),
          shareUrl: z.string().nullable(),
          message: z.string().nullable(),
          createdAt: z.string(),
          read: z.boolean(),
        })
        .meta({ title: 'InboxEntry' }),
    ),
    unread: z.number().int(),
    nextBefore: z.string().nullable(),
  })
  .meta({ title: 'Inbox' });

interface NotificationRouteDeps {
  notifications: Notifications;
  auth: RequestAuth;
}

/** The token user's notification inbox (seed 000 step 16.4): read it, mark entries read. */
export const NOTIFICATION_ROUTES = declareRoutes<NotificationRouteDeps>()([
  {
    operationId: 'notifications',
    method: 'GET',
    path: '/api/notifications',
    tag: 'journal',
    summary:
      "The token user's notification inbox, newest first (constellations shared with them, seed 000 step 16.4); `limit` 1–100 (20), `before` = the previous page's `nextBefore`.",
    auth: 'user',
    responses: { 200: { description: '`notifications`, `unread` in all, `nextBefore`.', title: 'Inbox', schema: inboxSchema } },
    errors: ['VALIDATION_FAILED', 'FORBIDDEN'],
    handler: async ({ request, query }, { notifications, auth }) => {
      const userId = userOf(await auth.requireUser(request));
      const { limit, before } = pageOf(query);
      return json(await notifications.inbox(userId, limit, before), 200, { 'cache-control': 'private, no-store' });
    },
  },
  {
    operationId: 'markNotificationsRead',
    method: 'POST',
    path: '/api/notifications/read',
    tag: 'journal',
    summary: 'Marks the token user\'s notifications read: `{"ids": ["…"]}` (another user\'s ids are ignored) or `{"all": true}`.',
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
]);

/** The inbox routes, served. */
export function notificationRoutes(notifications: Notifications, auth: RequestAuth): Route[] {
  return mountRoutes(NOTIFICATION_ROUTES, { notifications, auth }, withBearerChallenge);
}
