import { defineEntity, p, type InferEntity } from '@mikro-orm/postgresql';

/** A user's MediaID inputs: the DNA bases, plus how DIA finds them. */
export const MediaId = defineEntity({
  name: 'MediaId',
  tableName: 'media_ids',
  properties: {
    userId: p.uuid().primary(),
    displayName: p.text().nullable(),
    email: p.text().nullable(),
    interests: p.array(),
    genrePreferences: p.array(),
    contentFlags: p.json<Record<string, boolean | string | number>>(),
    locationCode: p.text().nullable(),
    privacySettings: p.json<{ shareLocation: boolean; allowMatching: boolean }>(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});
export type MediaId = InferEntity<typeof MediaId>;

/** A generated Coliseum report; `reportData` is the JSON the page shows. */
export const ColiseumReport = defineEntity({
  name: 'ColiseumReport',
  tableName: 'coliseum_reports',
  properties: {
    id: p.uuid().primary(),
    reportType: p.text(),
    entityId: p.text(),
    entityName: p.text(),
    timeRange: p.text(),
    startDate: p.datetime(),
    endDate: p.datetime(),
    reportData: p.json<Record<string, unknown>>(),
    format: p.text().default('json'),
    generatedBy: p.text(),
    shareToken: p.text().nullable().unique(),
    shareExpiresAt: p.datetime().nullable(),
    generationMs: p.integer(),
    generatedAt: p.datetime(),
  },
});
export type ColiseumReport = InferEntity<typeof ColiseumReport>;
