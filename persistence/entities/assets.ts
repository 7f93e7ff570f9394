import { defineEntity, p, type InferEntity } from '@mikro-orm/postgresql';

/** An artist's processed-image outcome: palette, orb glow colour, status. */
export const ArtistAsset = defineEntity({
  name: 'ArtistAsset',
  tableName: 'artist_assets',
  properties: {
    artistId: p.text().primary(),
    status: p.text(),
    colorPalette: p.json<string[]>(),
    orbGlowColor: p.text().nullable(),
    originalWidth: p.integer().nullable(),
    originalHeight: p.integer().nullable(),
    backgroundRemoval: p.text(),
    confidence: p.float().nullable(),
    rimLight: p.boolean(),
    error: p.text().nullable(),
    processedAt: p.datetime(),
  },
});
export type ArtistAsset = InferEntity<typeof ArtistAsset>;

/** One stored resolution of an artist's image. */
export const ArtistImage = defineEntity({
  name: 'ArtistImage',
  tableName: 'artist_images',
  properties: {
    artistId: p.text().primary(),
    variant: p.text().primary(),
    contentType: p.text(),
    width: p.integer(),
    height: p.integer(),
    bytes: p.blob(),
    createdAt: p.datetime(),
  },
});
export type ArtistImage = InferEntity<typeof ArtistImage>;

/** A cut-out waiting for (or decided by) an operator. */
export const AssetReview = defineEntity({
  name: 'AssetReview',
  tableName: 'asset_reviews',
  properties: {
    id: p.bigint().primary().autoincrement().columnType('bigint'),
    artistId: p.text(),
    status: p.text(),
    confidence: p.float(),
    reason: p.text(),
    record: p.json<Record<string, unknown>>(),
    beforePng: p.blob().lazy(),
    afterPng: p.blob().lazy(),
    createdAt: p.datetime(),
    decidedAt: p.datetime().nullable(),
    note: p.text().nullable(),
  },
});
export type AssetReview = InferEntity<typeof AssetReview>;

/** One resolution of a cut-out under review. */
export const AssetReviewImage = defineEntity({
  name: 'AssetReviewImage',
  tableName: 'asset_review_images',
  properties: {
    reviewId: p.bigint().primary(),
    variant: p.text().primary(),
    contentType: p.text(),
    width: p.integer(),
    height: p.integer(),
    bytes: p.blob(),
  },
});
export type AssetReviewImage = InferEntity<typeof AssetReviewImage>;

/** One completion webhook delivery (the outbox). */
export const AssetWebhook = defineEntity({
  name: 'AssetWebhook',
  tableName: 'asset_webhooks',
  properties: {
    id: p.bigint().primary().autoincrement().columnType('bigint'),
    event: p.text(),
    artistId: p.text(),
    body: p.text(),
    status: p.text(),
    attempts: p.integer(),
    nextAttemptAt: p.datetime(),
    lastError: p.text().nullable(),
    createdAt: p.datetime(),
    deliveredAt: p.datetime().nullable(),
  },
});
export type AssetWebhook = InferEntity<typeof AssetWebhook>;
