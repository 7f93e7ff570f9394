import { defineEntity, p } from '@mikro-orm/postgresql';

/** Step 10 outcome per artist: palette, orb glow colour, status (migration 007). */
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
    error: p.text().nullable(),
    processedAt: p.datetime(),
  },
});
export class ArtistAsset extends ArtistAssetSchema.class {}
ArtistAssetSchema.setClass(ArtistAsset);

/** One stored resolution of an artist's image (step 10.3). */
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
