import { defineEntity, p, type InferEntity } from '@mikro-orm/postgresql';

/** One inbox entry: a constellation shared with the user, or their new top recommendation, with the text it was told with. */
export const Notification = defineEntity({
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
    title: p.text().nullable(),
    body: p.text().nullable(),
    deepLink: p.text().nullable(),
    artistId: p.text().nullable(),
  },
});
export type Notification = InferEntity<typeof Notification>;

/** A user's notification settings (migration 028): opt-outs per kind and channel, and the top recommendation last told. */
export const NotificationSetting = defineEntity({
  name: 'NotificationSetting',
  tableName: 'notification_settings',
  properties: {
    userId: p.uuid().primary(),
    sharesInApp: p.boolean().default(true),
    sharesPush: p.boolean().default(true),
    recommendationsInApp: p.boolean().default(true),
    recommendationsPush: p.boolean().default(true),
    lastTopArtistId: p.text().nullable(),
    lastTopAt: p.datetime().nullable(),
    updatedAt: p.datetime(),
  },
});
export type NotificationSetting = InferEntity<typeof NotificationSetting>;

/** A push registration (migration 028): an APNs device token, or a Web Push subscription with its keys. */
export const PushDevice = defineEntity({
  name: 'PushDevice',
  tableName: 'push_devices',
  properties: {
    id: p.bigint('string').primary().autoincrement().columnType('bigint'),
    userId: p.uuid(),
    kind: p.text(),
    address: p.text(),
    p256dh: p.text().nullable(),
    auth: p.text().nullable(),
    createdAt: p.datetime(),
    lastSeenAt: p.datetime(),
  },
});
export type PushDevice = InferEntity<typeof PushDevice>;
