import { defineEntity, p } from '@mikro-orm/postgresql';

/** An artist's processed-image outcome: palette, orb glow colour, status. */
export const ArtistAssetSchema = defineEntity({
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
export class ArtistAsset extends ArtistAssetSchema.class {}
ArtistAssetSchema.setClass(ArtistAsset);

/** One stored resolution of an artist's image. */
export const ArtistImageSchema = defineEntity({
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
export class ArtistImage extends ArtistImageSchema.class {}
ArtistImageSchema.setClass(ArtistImage);

/** A cut-out waiting for (or decided by) an operator. */
export const AssetReviewSchema = defineEntity({
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
export class AssetReview extends AssetReviewSchema.class {}
AssetReviewSchema.setClass(AssetReview);

/** One resolution of a cut-out under review. */
export const AssetReviewImageSchema = defineEntity({
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
export class AssetReviewImage extends AssetReviewImageSchema.class {}
AssetReviewImageSchema.setClass(AssetReviewImage);

/** One completion webhook delivery (the outbox). */
export const AssetWebhookSchema = defineEntity({
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
export class AssetWebhook extends AssetWebhookSchema.class {}
AssetWebhookSchema.setClass(AssetWebhook);
