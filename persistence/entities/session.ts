import { defineEntity, p, type InferEntity } from '@mikro-orm/postgresql';

/** A listener, found by device on first launch. */
export const User = defineEntity({
  name: 'User',
  tableName: 'users',
  properties: {
    id: p.uuid().primary(),
    deviceId: p.text().unique(),
    firstLaunch: p.boolean().default(true),
    city: p.text().nullable(),
    createdAt: p.datetime(),
    lastSeenAt: p.datetime(),
    // Maintained by the session aggregation job.
    totalSessionSeconds: p.double().$type<number>().default(0),
    avgOrbExploration: p.double().$type<number>().default(0),
    sessionCount: p.integer().default(0),
    // The parallax tip is shown once per user.
    seenParallaxTip: p.boolean().default(false),
  },
});
export type User = InferEntity<typeof User>;

/** One app session; resumable within two hours. */
export const Session = defineEntity({
  name: 'Session',
  tableName: 'sessions',
  properties: {
    id: p.uuid().primary(),
    user: () => p.manyToOne(User).fieldName('user_id'),
    deviceId: p.text(),
    deviceModel: p.text().nullable(),
    appVersion: p.text().nullable(),
    startedAt: p.datetime(),
    lastActive: p.datetime(),
    endedAt: p.datetime().nullable(),
    currentFrequency: p.decimal('number').precision(4).scale(1),
    currentArtistId: p.text().nullable(),
    totalInteractions: p.integer().default(0),
    totalSwipes: p.integer().default(0),
    totalOrbsExplored: p.integer().default(0),
    totalCaptures: p.integer().default(0),
    sensorEngagementCount: p.integer().default(0),
    // Seconds of sensor use (totalled across sessions), resumes, last offline stretch and sync.
    sensorSeconds: p.double().$type<number>().default(0),
    resumeCount: p.integer().default(0),
    offlineSeconds: p.integer().default(0),
    lastSyncedAt: p.datetime().nullable(),
  },
});
export type Session = InferEntity<typeof Session>;
