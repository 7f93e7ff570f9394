/** Reads behind GET /api/admin/metrics: a handful of indexed aggregate queries, no per-row work. */
import type { Sql } from '../db.js';
import type { DailyRow, OrbBracket, SessionAggregate } from '../../systems/analytics/platformKpis.js';

export interface TopRow {
  id: string;
  name: string | null;
  count: number;
}

const n = (v: unknown): number => Number(v ?? 0);
const nullable = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

const SESSIONS_SQL = `
SELECT count(*) AS sessions,
       count(DISTINCT s.user_id) AS users,
       count(DISTINCT s.user_id) FILTER (WHERE s.last_active > ?) AS dau,
       avg(COALESCE(m.duration_seconds, extract(epoch FROM (s.last_active - s.started_at)))) AS avg_duration,
       avg(s.total_orbs_explored) AS avg_orbs,
       count(*) FILTER (WHERE s.sensor_engagement_count > 0) AS with_sensor,
       count(*) FILTER (WHERE s.total_orbs_explored <= 0) AS b0,
       count(*) FILTER (WHERE s.total_orbs_explored BETWEEN 1 AND 2) AS b1,
       count(*) FILTER (WHERE s.total_orbs_explored BETWEEN 3 AND 5) AS b3,
       count(*) FILTER (WHERE s.total_orbs_explored >= 6) AS b6
FROM sessions s LEFT JOIN session_metrics m ON m.session_id = s.id
WHERE s.started_at > ? AND s.started_at <= ?`;

/**
 * Every star counts, whether a live session or an offline sync stored it (a session's `total_captures`
 * counts only its room's captures).
 */
const CAPTURES_SQL = `
SELECT count(*) AS captures, count(DISTINCT user_id) AS capturing_users
FROM constellation_stars WHERE captured_at > ? AND captured_at <= ?`;

const DAILY_SQL = `
SELECT to_char(date_trunc('day', s.started_at, 'UTC'), 'YYYY-MM-DD') AS date,
       count(DISTINCT s.user_id)::float8 AS dau, count(*)::float8 AS sessions, avg(s.total_orbs_explored)::float8 AS avg_orbs,
       (count(*) FILTER (WHERE s.sensor_engagement_count > 0))::float8 / count(*) AS sensor_rate
FROM sessions s WHERE s.started_at > ? AND s.started_at <= ?
GROUP BY 1 ORDER BY 1`;

/**
 * No visit logs a duration, so a visit lasts until the session's next `station.visited` or `session.ended`,
 * capped at `cap` seconds; a visit with no later event is not measured. The artist is the payload's
 * `artistId`: `entity_id` is set by rooms, not by every ingest path.
 */
const DWELL_SQL = `
WITH ev AS (
  SELECT payload->>'artistId' AS artist_id, event_type, occurred_at,
         lead(occurred_at) OVER (PARTITION BY session_id ORDER BY occurred_at, id) AS next_at
    FROM passport_entries
   WHERE event_type IN ('station.visited', 'session.ended') AND session_id IS NOT NULL AND occurred_at > ? AND occurred_at <= ?)
SELECT artist_id AS id, avg(LEAST(extract(epoch FROM next_at - occurred_at), ?::float8)) AS avg_seconds, count(*) AS measured
  FROM ev
 WHERE event_type = 'station.visited' AND next_at IS NOT NULL AND artist_id IN (SELECT jsonb_array_elements_text(?::jsonb))
 GROUP BY artist_id`;

export class PlatformMetricsRepository {
  constructor(private readonly sql: Sql) {}

  /** Session-level aggregates of sessions started in (from, to]; DAU = active in the last day before `to`. */
  async sessionAggregate(from: Date, to: Date): Promise<SessionAggregate> {
    const [[r], [u], [c]] = await Promise.all([
      this.sql.query<Record<string, unknown>>(SESSIONS_SQL, [new Date(to.getTime() - 86_400_000), from, to]),
      this.sql.query<{ new_users: unknown }>('SELECT count(*) AS new_users FROM users WHERE created_at > ? AND created_at <= ?', [from, to]),
      this.sql.query<{ captures: unknown; capturing_users: unknown }>(CAPTURES_SQL, [from, to]),
    ]);
    const brackets: Record<OrbBracket, number> = { '0 orbs': n(r.b0), '1-2 orbs': n(r.b1), '3-5 orbs': n(r.b3), '6+ orbs': n(r.b6) };
    return {
      sessions: n(r.sessions),
      users: n(r.users),
      newUsers: n(u.new_users),
      dailyActiveUsers: n(r.dau),
      avgDurationSeconds: nullable(r.avg_duration),
      avgOrbsPerSession: nullable(r.avg_orbs),
      sessionsWithSensor: n(r.with_sensor),
      brackets,
      captures: n(c.captures),
      capturingUsers: n(c.capturing_users),
    };
  }

  /** Daily breakdown by UTC day of session start. */
  async daily(from: Date, to: Date): Promise<DailyRow[]> {
    return this.sql.query<DailyRow>(DAILY_SQL, [from, to]);
  }

  /** Top entities of one rollup metric over UTC days, with artist names for artists and orb transitions `from>to`. */
  async topFromRollups(entityType: string, metric: string, from: Date, to: Date, limit: number): Promise<TopRow[]> {
    const rows = await this.sql.query<{ entity_id: string; total: unknown }>(
      `SELECT entity_id, sum(value) AS total FROM coliseum_metrics
       WHERE entity_type = ? AND metric = ? AND period = 'day' AND bucket_start >= date_trunc('day', ?::timestamptz, 'UTC') AND bucket_start <= ?
       GROUP BY entity_id ORDER BY total DESC, entity_id LIMIT ${Math.max(1, Math.min(100, Math.floor(limit)))}`,
      [entityType, metric, from, to],
    );
    const ids = [...new Set(rows.flatMap((r) => r.entity_id.split('>')))];
    const found = ids.length
      ? await this.sql.query<{ id: string; name: string }>('SELECT id, name FROM artists WHERE id IN (SELECT jsonb_array_elements_text(?::jsonb))', [
          JSON.stringify(ids),
        ])
      : [];
    const names = new Map(found.map((f) => [f.id, f.name]));
    return rows.map((r) => {
      const parts = r.entity_id.split('>');
      const name = parts.every((p) => names.has(p)) ? parts.map((p) => names.get(p)).join(' → ') : null;
      return { id: r.entity_id, name, count: n(r.total) };
    });
  }

  /** Average seconds per station visit of each artist in `artistIds` over (from, to]; artists with no measured visit are absent. */
  async avgTimeSpent(artistIds: string[], from: Date, to: Date, capSeconds: number): Promise<Map<string, { avgSeconds: number; measured: number }>> {
    const out = new Map<string, { avgSeconds: number; measured: number }>();
    if (artistIds.length === 0) return out;
    const rows = await this.sql.query<{ id: string; avg_seconds: unknown; measured: unknown }>(DWELL_SQL, [from, to, capSeconds, JSON.stringify(artistIds)]);
    for (const r of rows) out.set(r.id, { avgSeconds: n(r.avg_seconds), measured: n(r.measured) });
    return out;
  }

  /** Per artist visited in the range: station visits, orb taps and captures; the `scan` most visited. */
  async stationEngagement(
    from: Date,
    to: Date,
    scan: number,
  ): Promise<Array<{ id: string; name: string | null; visits: number; orbTaps: number; captures: number }>> {
    const rows = await this.sql.query<{ id: string; name: string | null; visits: unknown; taps: unknown; captures: unknown }>(
      `WITH m AS (
         SELECT CASE WHEN entity_type = 'orb_transition' THEN split_part(entity_id, '>', 1) ELSE entity_id END AS artist_id,
                sum(value) FILTER (WHERE entity_type = 'artist' AND metric = 'station_visits') AS visits,
                sum(value) FILTER (WHERE entity_type = 'orb_transition') AS taps,
                sum(value) FILTER (WHERE entity_type = 'artist' AND metric = 'captures') AS captures
           FROM coliseum_metrics
          WHERE ((entity_type = 'artist' AND metric IN ('station_visits', 'captures')) OR (entity_type = 'orb_transition' AND metric = 'transitions'))
            AND period = 'day' AND bucket_start >= date_trunc('day', ?::timestamptz, 'UTC') AND bucket_start <= ?
          GROUP BY 1)
       SELECT m.artist_id AS id, a.name, m.visits, m.taps, m.captures FROM m LEFT JOIN artists a ON a.id = m.artist_id
        WHERE m.visits > 0 ORDER BY m.visits DESC, m.artist_id LIMIT ${Math.max(1, Math.min(1000, Math.floor(scan)))}`,
      [from, to],
    );
    return rows.map((r) => ({ id: r.id, name: r.name ?? null, visits: n(r.visits), orbTaps: n(r.taps), captures: n(r.captures) }));
  }
}
