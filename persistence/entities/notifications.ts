import { defineEntity, p } from '@mikro-orm/postgresql';

/** One entry of a user's inbox (migration 026): a constellation shared with them (seed 000 step 16.4). */
export const NotificationSchema = defineEntity({
  name: 'Notification',
  tableName: 'notifications',
  properties: {
    id: p.bigint('string').primary().autoincrement().columnType('bigint'),
    userId: p.uuid(),
    type: p.text(),
    fromUserId: p.uuid().nullable(),
    shareId: p.text().nullable(),
    message: p.text().nullable(),
    createdAt: p.datetime(),
    readAt: p.datetime().nullable(),
  },
});
export class Notification extends NotificationSchema.class {}
NotificationSchema.setClass(Notification);
