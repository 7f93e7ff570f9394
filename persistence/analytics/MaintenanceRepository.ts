/** Popularity and cleanup jobs' reads and writes; counts come from the rollups' day buckets. */
import { affectedRows, type Sql } from '../db.js';

export interface PopularityInputs {
  artistId: string;
  visits: number;
  orbTaps: number;
  captures: number;
}

export class MaintenanceRepository {
  constructor(private readonly sql: Sql) {}

  /** Artists whose popularity is older than `staleBefore` (or never computed), by id after `afterId`. */
  async artistsDue(staleBefore: Date, afterId: string | null, limit: number): Promise<string[]> {
    const rows = await this.sql.query<{ id: string }>(
      `SELECT id FROM artists WHERE (popularity_updated_at IS NULL OR popularity_updated_at < ?) AND (?::text IS NULL OR id > ?::text) ORDER BY id LIMIT ?`,
      [staleBefore, afterId, afterId, limit],
    );
    return rows.map((r) => r.id);
  }

  /** 7-day counts per artist: station visits, orb taps that led to it, captures (day buckets since `since`). */
  async popularityInputs(artistIds: string[], since: Date): Promise<PopularityInputs[]> {
    return this.sql.query<PopularityInputs>(
      `WITH ids AS (SELECT jsonb_array_elements_text(?::jsonb) AS id),
       m AS (
         SELECT CASE WHEN entity_type = 'orb_transition' THEN split_part(entity_id, '>', 2) ELSE entity_id END AS id, metric, sum(value) AS n
           FROM coliseum_metrics
          WHERE period = 'day' AND bucket_start >= date_trunc('day', ?::timestamptz, 'UTC')
            AND ((entity_type = 'artist' AND metric IN ('station_visits', 'captures') AND entity_id IN (SELECT id FROM ids))
              OR (entity_type = 'orb_transition' AND metric = 'transitions' AND split_part(entity_id, '>', 2) IN (SELECT id FROM ids)))
          GROUP BY 1, 2)
       SELECT ids.id AS "artistId",
              COALESCE(sum(m.n) FILTER (WHERE m.metric = 'station_visits'), 0)::float8 AS visits,
              COALESCE(sum(m.n) FILTER (WHERE m.metric = 'transitions'), 0)::float8 AS "orbTaps",
              COALESCE(sum(m.n) FILTER (WHERE m.metric = 'captures'), 0)::float8 AS captures
         FROM ids LEFT JOIN m ON m.id = ids.id GROUP BY ids.id`,
      [JSON.stringify(artistIds), since],
    );
  }

  async savePopularity(scores: Array<{ artistId: string; score: number }>, at: Date): Promise<void> {
    await this.sql.query(
      `UPDATE artists a SET popularity_score = x.score, popularity_updated_at = ? FROM jsonb_to_recordset(?::jsonb) AS x(id text, score float8) WHERE a.id = x.id`,
      [at, JSON.stringify(scores.map((s) => ({ id: s.artistId, score: s.score })))],
    );
  }

  /** Sessions left open (a crashed room never ended them) end at their last activity. */
  async closeStaleSessions(idleSince: Date): Promise<number> {
    return affectedRows(this.sql, `UPDATE sessions SET ended_at = last_active WHERE ended_at IS NULL AND last_active < ?`, [idleSince]);
  }

  /** Refresh tokens expired before `before` can no longer be used or reported as reused: delete them. */
  async deleteExpiredRefreshTokens(before: Date): Promise<number> {
    return affectedRows(this.sql, `DELETE FROM refresh_tokens WHERE expires_at < ?`, [before]);
  }

  /** DNA snapshots older than `before` (each user's count is bounded as they are taken). */
  async deleteOldDnaSnapshots(before: Date): Promise<number> {
    return affectedRows(this.sql, `DELETE FROM dna_snapshots WHERE taken_at < ?`, [before]);
  }

  /** Held votes that expired unlinked, or were linked, before `before` (a linked one waits for its passport event). */
  async deleteSettledHeldVotes(before: Date): Promise<number> {
    return affectedRows(
      this.sql,
      `DELETE FROM held_votes WHERE (user_id IS NULL AND expires_at < ?) OR (linked_at < ? AND (outcome = 'superseded' OR recorded_at IS NOT NULL))`,
      [before, before],
    );
  }

  /** Share link visitors and daily keys of days before `day` (YYYY-MM-DD): with the key gone no hash can be recomputed. */
  async deleteOldLinkVisitors(day: string): Promise<number> {
    const opens = await affectedRows(this.sql, `DELETE FROM share_link_opens WHERE day < ?::date`, [day]);
    return opens + (await affectedRows(this.sql, `DELETE FROM share_link_keys WHERE day < ?::date`, [day]));
  }

  /** Unique-listener members of day, week and month buckets that began before `before` (no event can be dated into them any more). */
  async deleteClosedRollupMembers(before: Date): Promise<number> {
    return affectedRows(this.sql, `DELETE FROM coliseum_members WHERE period <> 'all' AND bucket_start < ?`, [before]);
  }
}
