/**
 * Processed artist images in `artist_images` (bytea: shared by every process, no object store) and palette and
 * status in `artist_assets`. Saving also points the artist's image URLs at the new variants and moves the catalog version.
 */
import type { Orm } from '../orm.js';
import { unitOfWork } from '../db.js';
import { Artist } from '../entities/catalog.js';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ArtistAsset, ArtistImage } from '../entities/assets.js';
import type { Stored } from '../entities/index.js';
import { enqueueWebhook, type WebhookEvent } from './AssetWebhookStore.js';
import { bumpCatalogVersion } from '../catalog/catalogEntities.js';

export type StoredVariant = Pick<Stored<ArtistImage>, 'variant' | 'contentType' | 'width' | 'height'> & { bytes: Buffer };

export interface AssetRecord {
  artistId: string;
  palette: string[];
  orbGlowColor: string | null;
  originalWidth: number;
  originalHeight: number;
  backgroundRemoval: string;
  /** The segmentation model's confidence (null when no model ran). */
  confidence: number | null;
  rimLight: boolean;
  /** Artist columns to point at the variants. */
  urls: { heroImage: string; deepEtchedImage: string; thumbnail: string };
}

export class ArtistAssetStore {
  constructor(private readonly orm: Orm) {}

  /** One transaction, so a completion webhook is sent only for assets that went live. */
  async save(record: AssetRecord, variants: StoredVariant[], at: Date, webhook?: WebhookEvent): Promise<void> {
    // db.ts unitOfWork, not em.transactional: MikroORM's own transaction leaks its connection when the connection dies.
    await unitOfWork(this.orm, async (em) => {
      await writeLive(em, record, variants, at);
      if (webhook) await enqueueWebhook(em, webhook, at);
    });
  }

  /** The artist's name and its scene's lighting (dark scenes get a rim light), or null for an unknown artist. */
  async artist(artistId: string): Promise<{ name: string; lighting: unknown } | null> {
    const rows: Array<{ name: string; lighting: unknown }> = await this.orm.em
      .fork()
      .execute(`SELECT a.name, s.lighting FROM artists a LEFT JOIN scenes s ON s.id = a.scene_id WHERE a.id = ?`, [artistId]);
    return rows[0] ?? null;
  }

  /** One stored variant, or null. */
  async variant(artistId: string, variant: string): Promise<StoredVariant | null> {
    const row = await this.orm.em.fork().findOne(ArtistImage, { artistId, variant });
    return row
      ? { variant: row.variant, contentType: row.contentType, width: row.width, height: row.height, bytes: Buffer.from(row.bytes as Uint8Array) }
      : null;
  }

  /** Dial artists with no processed image yet, in dial order: what the generated-artwork job draws. */
  async dialArtistsWithoutImages(limit: number): Promise<Array<{ id: string; name: string }>> {
    return this.orm.em.fork().execute(
      `SELECT a.id, a.name FROM artists a
        WHERE a.station_frequency IS NOT NULL AND NOT EXISTS (SELECT 1 FROM artist_assets s WHERE s.artist_id = a.id)
        ORDER BY a.station_frequency LIMIT ?`,
      [limit],
    );
  }

  /** The palette and status, or null before any upload. */
  async asset(artistId: string): Promise<{ status: string; palette: string[]; orbGlowColor: string | null; processedAt: string } | null> {
    const row = await this.orm.em.fork().findOne(ArtistAsset, { artistId });
    return row ? { status: row.status, palette: row.colorPalette, orbGlowColor: row.orbGlowColor ?? null, processedAt: row.processedAt.toISOString() } : null;
  }
}

/** The live assets of an artist replaced by these, inside the caller's unit of work. */
export async function writeLive(em: EntityManager, record: AssetRecord, variants: StoredVariant[], at: Date): Promise<void> {
  await em.nativeDelete(ArtistImage, { artistId: record.artistId });
  for (const v of variants) await em.insert(ArtistImage, { artistId: record.artistId, ...v, createdAt: at });
  await em.upsert(ArtistAsset, {
    artistId: record.artistId,
    status: 'ready',
    colorPalette: record.palette,
    orbGlowColor: record.orbGlowColor,
    originalWidth: record.originalWidth,
    originalHeight: record.originalHeight,
    backgroundRemoval: record.backgroundRemoval,
    confidence: record.confidence,
    rimLight: record.rimLight,
    error: null,
    processedAt: at,
  });
  await em.nativeUpdate(Artist, { id: record.artistId }, record.urls);
  await bumpCatalogVersion(em);
}
