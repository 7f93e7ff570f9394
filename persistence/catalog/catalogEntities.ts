/**
 * The catalog through the EntityManager: the demo catalog loads this way; synthetic 2,000-artist chunks stay on
 * CatalogRepository.upsertRows (BENCHMARKS.md "ORM or SQL").
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Artist, InfluenceOrb, Scene } from '../entities/catalog.js';
import type { CatalogRows } from './buildCatalog.js';

/** Scenes, then artists, then orbs (foreign keys), inside the caller's unit of work; no flush (it turns on promise hooks). */
export async function insertCatalogRows(em: EntityManager, rows: CatalogRows): Promise<void> {
  if (rows.scenes.length) await em.insertMany(Scene, rows.scenes.map(entityData) as never);
  if (rows.artists.length) await em.insertMany(Artist, rows.artists.map(entityData) as never);
  if (rows.orbs.length) await em.insertMany(InfluenceOrb, rows.orbs.map(entityData) as never);
}

/** Foreign key columns whose entity property is the relation's name. */
const RELATIONS: Record<string, string> = { scene_id: 'scene', source_artist_id: 'source', target_artist_id: 'target' };

/** A table row as entity data: each column under its property name (the entities name columns in camelCase). */
const entityData = (row: object) =>
  Object.fromEntries(
    Object.entries(row).map(([column, value]) => [RELATIONS[column] ?? column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), value]),
  );

/** `version` 1 on the first catalog write, +1 on every later one; atomic, so concurrent writers never lose a bump. */
export const BUMP_CATALOG_VERSION = `INSERT INTO catalog_meta (key, value) VALUES ('version', '1')
  ON CONFLICT (key) DO UPDATE SET value = (catalog_meta.value::bigint + 1)::text, updated_at = now()`;

export async function bumpCatalogVersion(em: EntityManager): Promise<void> {
  await em.execute(BUMP_CATALOG_VERSION, [], 'run');
}
