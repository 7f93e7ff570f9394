/** An inbox entry and the read request: the HTTP routes, the session room and the generated types share these shapes. */
import { z } from 'zod';
import { NOTIFICATION_TYPES } from './notices.js';

/** Largest page, and most ids one read request may name. */
export const MAX_INBOX_PAGE = 100;

export const inboxEntrySchema = z
  .object({
    id: z.string(),
    type: z.enum(NOTIFICATION_TYPES),
    from: z.object({ userId: z.string().nullable(), displayName: z.string().nullable() }).meta({ title: 'NotificationSender' }),
    shareId: z.string().nullable(),
    shareUrl: z.string().nullable(),
    message: z.string().nullable(),
    /** Of a `top_recommendation` or an `asset_review`. */
    artistId: z.string().nullable(),
    /** A push showed the same. */
    title: z.string().nullable(),
    body: z.string().nullable(),
    deepLink: z.string().nullable(),
    createdAt: z.string(),
    read: z.boolean(),
  })
  .meta({
    title: 'InboxEntry',
    description:
      'One notification: a constellation shared with the user, their new top recommendation (left out once they capture that artist), a friend request or a ride invite (`deepLink` joins it), or an artist image upload held for review, approved or rejected.',
  });
export type InboxEntry = z.infer<typeof inboxEntrySchema>;

/** A page of the inbox: `nextBefore` is the `before` of the next (older) page, null when this page is the last. */
export const inboxSchema = z.object({ notifications: z.array(inboxEntrySchema), unread: z.number().int(), nextBefore: z.string().nullable() });
export type Inbox = z.infer<typeof inboxSchema>;

/** ids are bigint. */
export const notificationIdSchema = z.string().regex(/^[1-9]\d{0,17}$/, 'must be a notification id (from GET /api/notifications or a `notification` message)');

export const markReadSchema = z.union([
  z.strictObject({ ids: z.array(notificationIdSchema).min(1, 'name at least one id').max(MAX_INBOX_PAGE, `at most ${MAX_INBOX_PAGE} ids`) }),
  z.strictObject({ all: z.literal(true) }),
]);
