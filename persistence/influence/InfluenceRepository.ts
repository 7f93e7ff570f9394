/**
 * The influence builder's reads and writes. Each artist's orbs are replaced in one transaction; the catalog version
 * moves only when the orbs really changed.
 */
import type { Sql } from '../db.js';
import { BUMP_CATALOG_VERSION } from '../catalog/catalogEntities.js';
import { eraDecadeOf, nameKey, type InfluenceArtist, type MatchedRelation, type MergedRelation, type PlannedOrb } from '../../systems/influence/influence.js';

/** A target no other artist names counts this source alone. */
const THIS_SOURCE_ONLY = 1;

/** pg_trgm similarity above which a source's name is taken for a catalog artist. */
export const NAME_SIMILARITY = 0.8;

const ARTIST = `id, name, genres, era, station_frequency::float8 AS frequency`;
type ArtistDbRow = { id: string; name: string; genres: string[]; era: string; frequency: number | null };
const toArtist = (r: ArtistDbRow): InfluenceArtist => ({
  id: r.id,
  name: r.name,
  genres: r.genres,
  eraDecade: eraDecadeOf(r.era),
  frequency: r.frequency === null ? null : Number(r.frequency),
});

export interface OrbChange {
  created: number;
  updated: number;
  deleted: number;
  /** Anything a station shows differs (new, gone, moved, retyped orbs). */
  changed: boolean;
}

export class InfluenceRepository {
  constructor(private readonly sql: Sql) {}

  /** Never built, or built before `staleBefore`; most popular first. */
  async artistsDue(staleBefore: Date, limit: number): Promise<InfluenceArtist[]> {
    const rows = await this.sql.query<ArtistDbRow>(
      `SELECT ${ARTIST} FROM artists WHERE influence_graph_updated_at IS NULL OR influence_graph_updated_at < ?
        ORDER BY popularity_score DESC, id LIMIT ?`,
      [staleBefore, limit],
    );
    return rows.map(toArtist);
  }

  /** Each merged name to a catalog artist, by folded name or trigram similarity above 0.8. */
  async match(relations: MergedRelation[]): Promise<MatchedRelation[]> {
    if (relations.length === 0) return [];
    const names = relations.map((r) => ({ k: nameKey(r.name), n: r.name }));
    const rows = await this.sql.query<ArtistDbRow & { k: string }>(
      `SELECT DISTINCT ON (q.k) q.k, a.${ARTIST.split(', ').join(', a.')}
         FROM jsonb_to_recordset(?::jsonb) AS q(k text, n text)
         JOIN artists a ON lower(a.name) = lower(q.n) OR similarity(a.name, q.n) > ${NAME_SIMILARITY}
        ORDER BY q.k, (lower(a.name) = lower(q.n)) DESC, similarity(a.name, q.n) DESC, a.id`,
      [JSON.stringify(names)],
    );
    const byKey = new Map(rows.map((r) => [r.k, toArtist(r)]));
    return relations.flatMap((r) => {
      const target = byKey.get(nameKey(r.name));
      return target ? [{ ...r, target }] : [];
    });
  }

  /** The artist's orbs become `orbs` (upserted, the rest deleted) in one transaction, so a station never shows half a layout. */
  async replaceOrbs(artistId: string, orbs: PlannedOrb[], totalInfluences: number, sourceCounts: Map<string, number>, at: Date): Promise<OrbChange> {
    return this.sql.transaction(async (tx) => {
      const before = await tx.query<{ target: string; sig: string }>(
        `SELECT target_artist_id AS target, concat_ws('|', relationship_type, orbit_radius, orbit_speed, start_angle, inclination, size, glow_color, round(influence_score::numeric, 6), description) AS sig
           FROM influence_orbs WHERE source_artist_id = ? FOR UPDATE`,
        [artistId],
      );
      const old = new Map(before.map((r) => [r.target, r.sig]));
      const rows = orbs.map((o) => ({
        id: `orb_${artistId.replace(/^artist_/, '')}__${o.targetArtistId.replace(/^artist_/, '')}`,
        target: o.targetArtistId,
        type: o.relationshipType,
        r: o.orbitRadius,
        s: o.orbitSpeed,
        a: o.startAngle,
        i: o.inclination,
        size: o.size,
        glow: o.glowColor,
        score: o.score,
        d: o.description,
        n: sourceCounts.get(o.targetArtistId) ?? THIS_SOURCE_ONLY,
      }));
      const sigOf = (r: (typeof rows)[number]) => [r.type, r.r, r.s, r.a, r.i, r.size, r.glow, r.score.toFixed(6), r.d].join('|');
      await tx.query(
        `INSERT INTO influence_orbs AS o (id, source_artist_id, target_artist_id, relationship_type, orbit_radius, orbit_speed, start_angle, inclination, size, glow_color, influence_score, description, source_count, updated_at)
         SELECT x.id, ?, x.target, x.type, x.r, x.s, x.a, x.i, x.size, x.glow, x.score, x.d, x.n, ?
           FROM jsonb_to_recordset(?::jsonb) AS x(id text, target text, type text, r float8, s float8, a float8, i float8, size float8, glow text, score float8, d text, n int)
         ON CONFLICT (source_artist_id, target_artist_id) DO UPDATE SET relationship_type = excluded.relationship_type, orbit_radius = excluded.orbit_radius,
           orbit_speed = excluded.orbit_speed, start_angle = excluded.start_angle, inclination = excluded.inclination, size = excluded.size,
           glow_color = excluded.glow_color, influence_score = excluded.influence_score, description = excluded.description,
           source_count = excluded.source_count, updated_at = excluded.updated_at`,
        [artistId, at, JSON.stringify(rows)],
      );
      const keep = JSON.stringify(rows.map((r) => r.target));
      const gone = await tx.query(
        `DELETE FROM influence_orbs WHERE source_artist_id = ? AND target_artist_id NOT IN (SELECT jsonb_array_elements_text(?::jsonb)) RETURNING 1`,
        [artistId, keep],
      );
      await tx.query(`UPDATE artists SET influence_graph_updated_at = ?, total_influences = ? WHERE id = ?`, [at, totalInfluences, artistId]);
      const created = rows.filter((r) => !old.has(r.target)).length;
      const updated = rows.filter((r) => old.has(r.target) && old.get(r.target) !== sigOf(r)).length;
      const changed = created + updated + gone.length > 0;
      // Stations cache by catalog version too: move it only when a station's orbs differ.
      if (changed) await tx.query(BUMP_CATALOG_VERSION);
      return { created, updated, deleted: gone.length, changed };
    });
  }
}
