import type { Sql } from '../db.js';
import type { JournalConnectionInput, JournalStarInput } from '../../systems/journal.js';

/** What a journal is built from, in one round trip: stars joined with their artists' current data, lines, glows. */
export interface JournalRows {
  stars: JournalStarInput[];
  connections: JournalConnectionInput[];
  glow: Record<string, string>;
  /** Changes whenever a star or a line is added: the journal cache's validity check. */
  version: string;
}

/** A cheap fingerprint of a constellation (stars and lines counted, newest capture): one indexed read. */
const VERSION_SQL = `(SELECT count(*) || ':' || coalesce(extract(epoch FROM max(captured_at))::text, '-') FROM constellation_stars WHERE user_id = ?)
   || '/' || (SELECT count(*)::text FROM constellation_connections WHERE user_id = ?)`;

/**
 * Reads for the constellation journal (seed 000 step 8). Hand-written SQL: one statement builds the whole
 * input as JSON (stars with artist data, connections, glow colours) so a cold journal is one round trip.
 */
export class JournalRepository {
  constructor(private readonly sql: Sql) {}

  async versionOf(userId: string): Promise<string> {
    const [row] = await this.sql.query<{ v: string }>(`SELECT ${VERSION_SQL} AS v`, [userId, userId]);
    return row.v;
  }

  async rowsOf(userId: string): Promise<JournalRows> {
    const [row] = await this.sql.query<{ stars: Array<Record<string, unknown>>; connections: JournalConnectionInput[]; v: string }>(
      `SELECT
         (SELECT coalesce(json_agg(json_build_object(
             'artistId', s.artist_id, 'name', a.name, 'genres', a.genres, 'era', a.era, 'origin', a.origin,
             'frequency', a.station_frequency, 'thumbnail', a.thumbnail, 'x', s.x, 'y', s.y, 'z', s.z,
             'capturedAtMs', (extract(epoch FROM s.captured_at) * 1000)::float8, 'glow', aa.orb_glow_color)
           ORDER BY s.captured_at, s.id), '[]'::json)
          FROM constellation_stars s JOIN artists a ON a.id = s.artist_id LEFT JOIN artist_assets aa ON aa.artist_id = s.artist_id
          WHERE s.user_id = ?) AS stars,
         (SELECT coalesce(json_agg(json_build_object('from', from_artist_id, 'to', to_artist_id, 'strength', strength, 'type', connection_type) ORDER BY id), '[]'::json)
          FROM constellation_connections WHERE user_id = ?) AS connections,
         ${VERSION_SQL} AS v`,
      [userId, userId, userId, userId],
    );
    const glow: Record<string, string> = {};
    const stars = row.stars.map((s) => {
      if (typeof s.glow === 'string') glow[s.artistId as string] = s.glow;
      return {
        artistId: s.artistId as string,
        name: s.name as string,
        genres: (s.genres as string[]) ?? [],
        era: (s.era as string) ?? '',
        origin: (s.origin as string) ?? '',
        frequency: s.frequency === null ? null : Number(s.frequency),
        thumbnail: (s.thumbnail as string) ?? '',
        position: { x: Number(s.x), y: Number(s.y), z: Number(s.z) },
        capturedAtMs: Number(s.capturedAtMs),
      };
    });
    return { stars, connections: row.connections.map((c) => ({ ...c, strength: Number(c.strength) })), glow, version: row.v };
  }
}
