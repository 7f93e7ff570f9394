import { z } from 'zod';
import { MAX_INBOX_PAGE, type Notifications } from '../../features/notifications/Notifications.js';
import { issuesOf } from '../../systems/passport/index.js';
import { ForbiddenError, withBearerChallenge, type Caller, type RequestAuth } from './requireUser.js';
import { json, optionalBody, ValidationError, type Route } from './router.js';

/** An inbox entry's id: a positive integer as a string (ids are bigint). */
const notificationId = z.string().regex(/^[1-9]\d{0,17}$/, 'must be a notification id from GET /api/notifications');

/** `POST /api/notifications/read` body: some ids, or all. Exported for the contract. */
export const markReadBody = z.union([
  z.strictObject({ ids: z.array(notificationId).min(1, 'name at least one id').max(MAX_INBOX_PAGE, `at most ${MAX_INBOX_PAGE} ids`) }),
  z.strictObject({ all: z.literal(true) }),
]);

function userOf(caller: Caller): string {
  if (caller.kind !== 'user') throw new ForbiddenError('notifications belong to a user; call with that user\'s access token, not the admin token', [{ field: 'authorization', message: 'is the admin token' }]);
  return caller.userId;
}

/** `limit` 1..100 (default 20) and `before` an id, or a 400 naming the field. */
function pageOf(query: URLSearchParams): { limit: number; before: string | null } {
  const problems: Array<{ field: string; message: string }> = [];
  const rawLimit = query.get('limit');
  const limit = rawLimit === null || rawLimit === '' ? 20 : /^\d{1,3}$/.test(rawLimit) ? Number(rawLimit) : NaN;
  if (!(limit >= 1 && limit <= MAX_INBOX_PAGE)) problems.push({ field: 'limit', message: `must be an integer from 1 to ${MAX_INBOX_PAGE}` });
  const before = query.get('before');
  if (before !== null && !notificationId.safeParse(before).success) problems.push({ field: 'before', message: 'must be a notification id (nextBefore of the previous page)' });
  if (problems.length) throw new ValidationError('invalid inbox page; see details', problems);
  return { limit, before };
}

/** The token user's notification inbox (seed 000 step 16.4): read it, mark entries read. */
export function notificationRoutes(notifications: Notifications, auth: RequestAuth): Route[] {
  return [
    withBearerChallenge({
      method: 'GET',
      path: '/api/notifications',
      handler: async ({ request, query }) => {
        const userId = userOf(await auth.requireUser(request));
        const { limit, before } = pageOf(query);
        return json(await notifications.inbox(userId, limit, before), 200, { 'cache-control': 'private, no-store' });
      },
    }),
    withBearerChallenge({
      method: 'POST',
      path: '/api/notifications/read',
      handler: async (ctx) => {
        const userId = userOf(await auth.requireUser(ctx.request));
        const parsed = markReadBody.safeParse(optionalBody(ctx));
        if (!parsed.success) throw new ValidationError('send {"ids": ["…"]} or {"all": true}; see details', issuesOf(parsed.error).slice(0, 20));
        return json(await notifications.markRead(userId, 'all' in parsed.data ? 'all' : [...new Set(parsed.data.ids)]));
      },
    }),
  ];
}
