/**
 * Entities the server does not have: the tables it reaches through its named SQL hot paths only
 * (passport, constellations, rollups). The bench needs them to write the EntityManager version of
 * each hot path; columns as in migrations 002.
 */
import { defineEntity, p } from '@mikro-orm/postgresql';

export const PassportEntry = defineEntity({
  name: 'PassportEntry',
  tableName: 'passport_entries',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    eventId: p.uuid(),
    eventType: p.text(),
    eventCategory: p.text(),
    userId: p.uuid().nullable(),
    sessionId: p.text().nullable(),
    deviceId: p.text().nullable(),
    occurredAt: p.datetime(),
    receivedAt: p.datetime(),
    entityType: p.text().nullable(),
    entityId: p.text().nullable(),
    payload: p.json<Record<string, unknown>>(),
    source: p.text(),
  },
});

export const ConstellationStar = defineEntity({
  name: 'ConstellationStar',
  tableName: 'constellation_stars',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    userId: p.uuid(),
    artistId: p.text(),
    x: p.double().$type<number>(),
    y: p.double().$type<number>(),
    z: p.double().$type<number>(),
    capturedAt: p.datetime(),
    discoveryPath: p.json<string[]>(),
    sessionId: p.text().nullable(),
    opId: p.text().nullable(),
  },
});

export const ConstellationConnection = defineEntity({
  name: 'ConstellationConnection',
  tableName: 'constellation_connections',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    userId: p.uuid(),
    fromArtistId: p.text(),
    toArtistId: p.text(),
    strength: p.double().$type<number>(),
    connectionType: p.text(),
    createdAt: p.datetime(),
  },
});

export const UserBadge = defineEntity({
  name: 'UserBadge',
  tableName: 'user_badges',
  properties: {
    userId: p.uuid().primary(),
    badge: p.text().primary(),
    earnedAt: p.datetime(),
  },
});

export const ColiseumMetric = defineEntity({
  name: 'ColiseumMetric',
  tableName: 'coliseum_metrics',
  properties: {
    entityType: p.text().primary(),
    entityId: p.text().primary(),
    metric: p.text().primary(),
    period: p.text().primary(),
    bucketStart: p.datetime().primary(),
    value: p.bigint('number'),
  },
});

export const benchEntities = [PassportEntry, ConstellationStar, ConstellationConnection, UserBadge, ColiseumMetric];
