import type { Sql } from '../db.js';
import type { CatalogRepository } from './CatalogRepository.js';
import { buildSyntheticCatalog, SyntheticCatalogError, validateSyntheticOptions, type SyntheticOptions } from './synthCatalog.js';

const MARKER = 'synthetic_catalog';
const CHUNK = 2000;

export interface SyntheticLoadResult {
  loaded: boolean;
  artists: number;
  orbs: number;
  onAir: number;
}

/**
 * Idempotent for the same options: a marker row records them first, so a rerun finishes a load cut short. A
 * different synthetic catalog is refused: artists would compete for the same free stations.
 */
export async function loadSyntheticCatalog(sql: Sql, catalog: CatalogRepository, options: Required<SyntheticOptions>): Promise<SyntheticLoadResult> {
  validateSyntheticOptions(options);
  const wanted = JSON.stringify({ artists: options.artists, seed: options.seed });
  const pending = `${wanted} (loading)`;
  await sql.query(`INSERT INTO catalog_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`, [MARKER, pending]);
  const [existing] = await sql.query<{ value: string }>(`SELECT value FROM catalog_meta WHERE key = ?`, [MARKER]);
  if (existing.value === wanted) return { loaded: false, artists: 0, orbs: 0, onAir: 0 };
  if (existing.value !== pending)
    throw new SyntheticCatalogError(
      `this database already holds a synthetic catalog ${existing.value}; load ${wanted} into a fresh database (or drop it first)`,
    );

  await catalog.ensureDemoCatalog();
  const rows = buildSyntheticCatalog(options);
  let artists = 0;
  let orbs = 0;
  // Every artist before any orb: orbs reference artists of other chunks.
  for (let i = 0; i < rows.artists.length; i += CHUNK) {
    artists += (await catalog.upsertRows({ scenes: rows.scenes.slice(i, i + CHUNK), artists: rows.artists.slice(i, i + CHUNK), orbs: [] })).artists;
  }
  for (let i = 0; i < rows.orbs.length; i += CHUNK * 3) {
    orbs += (await catalog.upsertRows({ scenes: [], artists: [], orbs: rows.orbs.slice(i, i + CHUNK * 3) })).orbs;
  }
  await sql.query(`UPDATE catalog_meta SET value = ?, updated_at = now() WHERE key = ?`, [wanted, MARKER]);
  return { loaded: true, artists, orbs, onAir: rows.artists.filter((a) => a.station_frequency !== null).length };
}
