import { createHash } from 'node:crypto';
import type { Sql } from '../db.js';

const TRACKS_PER_ARTIST = 3;

/** A stable UUID-shaped id for a demo track (same on every boot and machine). */
export function demoTrackId(artistId: string, index: number): string {
  const hex = createHash('sha1').update(`demo-track:${artistId}:${index}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A few demo tracks per catalog artist without tracks, so the gravity layer works out of the box; once per database. */
export async function ensureDemoTracks(sql: Sql): Promise<number> {
  return sql.transaction(async (tx) => {
    const [marker] = await tx.query(`SELECT 1 FROM catalog_meta WHERE key = 'demo_tracks' FOR UPDATE`);
    if (marker) return 0;
    const artists = await tx.query<{ id: string; name: string }>(
      `SELECT id, name FROM artists a WHERE NOT EXISTS (SELECT 1 FROM tracks t WHERE t.artist_id = a.id) ORDER BY id`,
    );
    const rows = artists.flatMap((a) =>
      Array.from({ length: TRACKS_PER_ARTIST }, (_, i) => ({ id: demoTrackId(a.id, i + 1), artist_id: a.id, title: `${a.name} — demo track ${i + 1}` })),
    );
    const inserted = rows.length
      ? await tx.query(
          `INSERT INTO tracks (id, artist_id, title) SELECT id, artist_id, title FROM jsonb_to_recordset(?::jsonb) AS x(id text, artist_id text, title text) ON CONFLICT (id) DO NOTHING RETURNING 1`,
          [JSON.stringify(rows)],
        )
      : [];
    await tx.query(`INSERT INTO catalog_meta (key, value) VALUES ('demo_tracks', '1') ON CONFLICT (key) DO NOTHING`);
    return inserted.length;
  });
}
