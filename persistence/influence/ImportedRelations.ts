/**
 * Relations imported from provider exports, one RelationshipSource per provider so the builder counts MusicBrainz
 * and Last.fm as two sources. Writes are per artist (delete + insert from one jsonb array).
 */
import type { Sql } from '../db.js';
import { nameKey, type InfluenceArtist, type SourceRelation } from '../../systems/influence/influence.js';
import type { ImportedArtist, ImportProvider } from '../../systems/influence/importers.js';
import type { RelationshipSource } from './sources.js';

export interface ImportWrite {
  /** Artists whose rows were replaced. */
  artists: number;
  relations: number;
  /** Imported artists that are in the catalog: marked due, so the builder's next run rebuilds them. */
  markedDue: number;
}

export class ImportedRelationsRepository {
  constructor(private readonly sql: Sql) {}

  /** Replaces each artist's rows for `provider` with what the export says now, in one transaction. */
  async replace(provider: ImportProvider, artists: readonly ImportedArtist[], at: Date): Promise<ImportWrite> {
    if (artists.length === 0) return { artists: 0, relations: 0, markedDue: 0 };
    const rows = artists.flatMap((a) => a.relations.map((r) => ({ k: nameKey(a.name), n: a.name, x: a.externalId, t: r.name, c: r.confidence })));
    const keys = JSON.stringify([...new Set(artists.map((a) => nameKey(a.name)))]);
    const names = JSON.stringify([...new Set(artists.map((a) => a.name.toLowerCase()))]);
    return this.sql.transaction(async (tx) => {
      await tx.query(`DELETE FROM influence_imports WHERE provider = ? AND artist_key IN (SELECT jsonb_array_elements_text(?::jsonb))`, [provider, keys]);
      await tx.query(
        `INSERT INTO influence_imports (provider, artist_key, artist_name, external_id, target_name, confidence, imported_at)
         SELECT ?, x.k, x.n, x.x, x.t, x.c, ? FROM jsonb_to_recordset(?::jsonb) AS x(k text, n text, x text, t text, c float8)
         ON CONFLICT (provider, artist_key, target_name) DO UPDATE SET confidence = excluded.confidence, imported_at = excluded.imported_at`,
        [provider, at, JSON.stringify(rows)],
      );
      const due = await tx.query(
        `UPDATE artists SET influence_graph_updated_at = NULL WHERE lower(name) IN (SELECT jsonb_array_elements_text(?::jsonb)) RETURNING 1`,
        [names],
      );
      return { artists: artists.length, relations: rows.length, markedDue: due.length };
    });
  }

  /** What `provider` relates the artist to, strongest first. */
  async relationsFor(provider: ImportProvider, artistName: string): Promise<SourceRelation[]> {
    const rows = await this.sql.query<{ name: string; confidence: number }>(
      `SELECT target_name AS name, confidence FROM influence_imports WHERE provider = ? AND artist_key = ? ORDER BY confidence DESC, target_name`,
      [provider, nameKey(artistName)],
    );
    return rows.map((r) => ({ name: r.name, confidence: Number(r.confidence) }));
  }
}

/** The builder's source over one provider's imported relations (nothing imported: no relations). */
export class ImportedSource implements RelationshipSource {
  constructor(
    private readonly repo: Pick<ImportedRelationsRepository, 'relationsFor'>,
    readonly name: ImportProvider,
  ) {}

  relationsFor(artist: InfluenceArtist): Promise<SourceRelation[]> {
    return this.repo.relationsFor(this.name, artist.name);
  }
}
