/**
 * The aggregation jobs' reads and writes, paging over sessions and artists in sets; formulas stay in
 * systems/session/sessionMetrics.ts. Each page is one transaction, so a crash never half-applies it.
 * Counters come from the coliseum rollups, never a passport scan (except one day of unique visitors).
 */
import type { Sql } from '../db.js';
import type { Contribution, SessionMetrics, UserProfile } from '../../systems/session/sessionMetrics.js';

/** An active session with what it contributed at its previous aggregation. */
export interface ActiveSession {
  id: string;
  userId: string;
  startedAtMs: number;
  lastActiveMs: number;
  interactions: number;
  orbsExplored: number;
  sensorEngagements: number;
  previous: Contribution | null;
}

export interface SessionMetricsRow extends SessionMetrics {
  sessionId: string;
  userId: string;
}

export class AnalyticsRepository {
  constructor(readonly sql: Sql) {}

  /** Sessions active since `activeSince` and started after `startedSince`, by id after `afterId`. */
  async activeSessions(activeSince: Date, startedSince: Date, afterId: string | null, limit: number): Promise<ActiveSession[]> {
    // Times as the driver's Date would give them (whole milliseconds); `previous` only once aggregated.
    return this.sql.query<ActiveSession>(
      `SELECT s.id::text AS id, s.user_id::text AS "userId", floor(extract(epoch FROM s.started_at) * 1000)::float8 AS "startedAtMs",
              floor(extract(epoch FROM s.last_active) * 1000)::float8 AS "lastActiveMs", s.total_interactions::float8 AS interactions,
              s.total_orbs_explored::float8 AS "orbsExplored", s.sensor_engagement_count::float8 AS "sensorEngagements",
              CASE WHEN m.duration_seconds IS NOT NULL
                THEN json_build_object('durationSeconds', m.duration_seconds::float8, 'orbsPerInteraction', m.orbs_per_interaction::float8) END AS previous
         FROM sessions s LEFT JOIN session_metrics m ON m.session_id = s.id
        WHERE s.last_active > ? AND s.started_at > ? AND (?::uuid IS NULL OR s.id > ?::uuid)
        ORDER BY s.id LIMIT ?`,
      [activeSince, startedSince, afterId, afterId, limit],
    );
  }

  /** The 9.2.d profile columns of some users. */
  async profiles(tx: Sql, userIds: string[]): Promise<Map<string, UserProfile>> {
    const rows = await tx.query<{ id: string; t: number; a: number; c: number }>(
      `SELECT id::text AS id, total_session_seconds AS t, avg_orb_exploration AS a, session_count AS c FROM users
        WHERE id IN (SELECT jsonb_array_elements_text(?::jsonb)::uuid) FOR UPDATE`,
      [JSON.stringify(userIds)],
    );
    return new Map(rows.map((r) => [r.id, { totalSessionSeconds: Number(r.t), avgOrbExploration: Number(r.a), sessionCount: Number(r.c) }]));
  }

  /** One page's session metrics and the users' new profiles, in one transaction. */
  async saveAggregation(metrics: SessionMetricsRow[], profiles: Map<string, UserProfile>, processedAt: Date, tx: Sql): Promise<void> {
    // The metrics rows as they are: the recordset takes their property names as its columns.
    await tx.query(
      `INSERT INTO session_metrics AS m (session_id, user_id, duration_seconds, interactions_per_minute, orbs_per_interaction, sensor_engagement_rate, session_quality, immersion_level, processed_at)
       SELECT x."sessionId", x."userId", x."durationSeconds", x."interactionsPerMinute", x."orbsPerInteraction", x."sensorEngagementRate", x.quality, x.immersion, ?
         FROM jsonb_to_recordset(?::jsonb) AS x("sessionId" uuid, "userId" uuid, "durationSeconds" float8, "interactionsPerMinute" float8,
           "orbsPerInteraction" float8, "sensorEngagementRate" float8, quality text, immersion text)
       ON CONFLICT (session_id) DO UPDATE SET duration_seconds = excluded.duration_seconds, interactions_per_minute = excluded.interactions_per_minute,
         orbs_per_interaction = excluded.orbs_per_interaction, sensor_engagement_rate = excluded.sensor_engagement_rate,
         session_quality = excluded.session_quality, immersion_level = excluded.immersion_level, processed_at = excluded.processed_at`,
      [processedAt, JSON.stringify(metrics)],
    );
    const users = [...profiles].map(([id, p]) => ({ id, t: p.totalSessionSeconds, a: p.avgOrbExploration, c: p.sessionCount }));
    await tx.query(
      `UPDATE users u SET total_session_seconds = x.t, avg_orb_exploration = x.a, session_count = x.c
         FROM jsonb_to_recordset(?::jsonb) AS x(id uuid, t float8, a float8, c int) WHERE u.id = x.id`,
      [JSON.stringify(users)],
    );
  }

  /** Artists by station visits in the hour buckets since `since`, most first. */
  async trendingArtists(since: Date, limit: number): Promise<Array<{ artistId: string; visits: number }>> {
    return this.sql.query(
      `SELECT entity_id AS "artistId", sum(value)::float8 AS visits FROM coliseum_metrics
        WHERE entity_type = 'artist' AND metric = 'station_visits' AND period = 'hour' AND bucket_start >= date_trunc('hour', ?::timestamptz, 'UTC')
        GROUP BY entity_id ORDER BY sum(value) DESC, entity_id LIMIT ?`,
      [since, limit],
    );
  }

  /** came_from → artist paths by visits in the day buckets since `since`. */
  async popularPaths(since: Date, limit: number): Promise<Array<{ cameFrom: string; artistId: string; count: number }>> {
    const rows = await this.sql.query<{ entity_id: string; n: string }>(
      `SELECT entity_id, sum(value)::text AS n FROM coliseum_metrics
        WHERE entity_type = 'artist_path' AND metric = 'visits' AND period = 'day' AND bucket_start >= date_trunc('day', ?::timestamptz, 'UTC')
        GROUP BY entity_id ORDER BY sum(value) DESC, entity_id LIMIT ?`,
      [since, limit],
    );
    return rows.map((r) => {
      const [cameFrom, artistId] = r.entity_id.split('>');
      return { cameFrom, artistId, count: Number(r.n) };
    });
  }

  /** Bottleneck inputs: per artist visited since `since`, unique visiting sessions and orb taps made there. */
  async stationEngagement(since: Date): Promise<Array<{ artistId: string; uniqueVisitors: number; orbTaps: number }>> {
    return this.sql.query(
      `WITH v AS (
         SELECT payload->>'artistId' AS artist_id, count(DISTINCT session_id)::int AS visitors FROM passport_entries
          WHERE received_at >= ? AND event_type = 'station.visited' AND payload->>'artistId' IS NOT NULL GROUP BY 1),
       t AS (
         SELECT split_part(entity_id, '>', 1) AS artist_id, sum(value) AS taps FROM coliseum_metrics
          WHERE entity_type = 'orb_transition' AND metric = 'transitions' AND period = 'hour' AND bucket_start >= date_trunc('hour', ?::timestamptz, 'UTC') GROUP BY 1)
       SELECT v.artist_id AS "artistId", v.visitors AS "uniqueVisitors", COALESCE(t.taps, 0)::float8 AS "orbTaps"
         FROM v JOIN artists a ON a.id = v.artist_id LEFT JOIN t ON t.artist_id = v.artist_id`,
      [since, since],
    );
  }

  /** One low-engagement alert per artist and day (a repeat the same day is ignored). Returns how many were new. */
  async raiseAlerts(alerts: Array<{ artistId: string; value: number }>, day: string): Promise<number> {
    if (alerts.length === 0) return 0;
    const rows = await this.sql.query(
      `INSERT INTO content_alerts (alert_type, artist_id, metric, value, day)
       SELECT 'low_engagement', x.artist_id, 'orb_exploration', x.value, ?::date FROM jsonb_to_recordset(?::jsonb) AS x(artist_id text, value float8)
       ON CONFLICT ON CONSTRAINT content_alerts_once_a_day DO NOTHING RETURNING 1`,
      [day, JSON.stringify(alerts.map((a) => ({ artist_id: a.artistId, value: a.value })))],
    );
    return rows.length;
  }

  /** Stores a computed metric for every process to read. */
  async saveSnapshot(key: string, value: unknown, at: Date): Promise<void> {
    await this.sql.query(
      `INSERT INTO metric_snapshots (key, value, computed_at) VALUES (?, ?::jsonb, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, computed_at = excluded.computed_at`,
      [key, JSON.stringify(value), at],
    );
  }

  async snapshot<T>(key: string): Promise<{ value: T; computedAt: string } | null> {
    const [row] = await this.sql.query<{ value: T; computed_at: Date }>(`SELECT value, computed_at FROM metric_snapshots WHERE key = ?`, [key]);
    return row
      ? { value: typeof row.value === 'string' ? (JSON.parse(row.value) as T) : row.value, computedAt: new Date(row.computed_at).toISOString() }
      : null;
  }
}
