import { randomUUID } from 'node:crypto';
import type { Sql } from '../db.js';
import { canResume, DEFAULT_STATION, welcomeMessage } from '../../systems/sessionRules.js';

export interface JoinRequest {
  deviceId: string;
  userId?: string;
  deviceModel?: string;
  appVersion?: string;
  lastSessionId?: string;
}

export interface JoinedSession {
  sessionId: string;
  userId: string;
  isFirstLaunch: boolean;
  resumed: boolean;
  message: string;
  frequency: number;
  city: string | null;
}

export interface SessionCounters {
  frequency: number;
  artistId: string | null;
  interactions: number;
  swipes: number;
  orbsExplored: number;
  captures: number;
  sensorEngagements: number;
}

/** Users found by device and sessions created or resumed (seed 000 steps 1 and 14). */
export class SessionRepository {
  constructor(private readonly sql: Sql) {}

  /** Finds or creates the user, then resumes `lastSessionId` if it is recent and theirs, else starts a session. */
  async join(request: JoinRequest, nowMs: number): Promise<JoinedSession> {
    return this.sql.transaction(async (tx) => {
      const now = new Date(nowMs);
      const [created] = await tx.query<{ id: string }>(
        `INSERT INTO users (id, device_id, first_launch, created_at, last_seen_at) VALUES (?, ?, true, ?, ?)
         ON CONFLICT (device_id) DO NOTHING RETURNING id`,
        [request.userId ?? randomUUID(), request.deviceId, now, now],
      );
      const [user] = await tx.query<{ id: string; city: string | null }>(`SELECT id, city FROM users WHERE device_id = ?`, [request.deviceId]);
      const isFirstLaunch = created !== undefined;
      if (!isFirstLaunch) await tx.query(`UPDATE users SET first_launch = false, last_seen_at = ? WHERE id = ?`, [now, user.id]);

      const previous = await this.latestSession(tx, user.id, request.lastSessionId);
      const lastActiveMs = previous ? new Date(previous.lastActive).getTime() : null;
      const timeAway = lastActiveMs === null ? null : nowMs - lastActiveMs;
      if (previous && lastActiveMs !== null && canResume(lastActiveMs, nowMs)) {
        await tx.query(`UPDATE sessions SET last_active = ?, ended_at = NULL WHERE id = ?`, [now, previous.id]);
        return { sessionId: previous.id, userId: user.id, isFirstLaunch, resumed: true, message: welcomeMessage(false, timeAway), frequency: previous.frequency, city: user.city };
      }
      const sessionId = randomUUID();
      const frequency = previous?.frequency ?? DEFAULT_STATION;
      await tx.query(
        `INSERT INTO sessions (id, user_id, device_id, device_model, app_version, started_at, last_active, current_frequency) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        [sessionId, user.id, request.deviceId, request.deviceModel ?? null, request.appVersion ?? null, now, now, frequency],
      );
      return { sessionId, userId: user.id, isFirstLaunch, resumed: false, message: welcomeMessage(isFirstLaunch, timeAway), frequency, city: user.city };
    });
  }

  /** The named session when it is this user's, otherwise their most recent one. */
  private async latestSession(tx: Sql, userId: string, lastSessionId: string | undefined) {
    type Row = { id: string; lastActive: Date | string; frequency: number };
    const columns = `id, last_active AS "lastActive", current_frequency::float8 AS frequency`;
    if (lastSessionId) {
      const [named] = await tx.query<Row>(`SELECT ${columns} FROM sessions WHERE id = ?::uuid AND user_id = ?`, [lastSessionId, userId]);
      if (named) return named;
    }
    const [latest] = await tx.query<Row>(`SELECT ${columns} FROM sessions WHERE user_id = ? ORDER BY last_active DESC LIMIT 1`, [userId]);
    return latest ?? null;
  }

  /** Writes the room's counters when a session ends (or periodically); `ended` marks it closed. */
  async saveCounters(sessionId: string, counters: SessionCounters, nowMs: number, ended: boolean): Promise<void> {
    await this.sql.query(
      `UPDATE sessions SET last_active = ?, current_frequency = ?, current_artist_id = ?, total_interactions = ?, total_swipes = ?,
         total_orbs_explored = ?, total_captures = ?, sensor_engagement_count = ?, ended_at = ? WHERE id = ?`,
      [new Date(nowMs), counters.frequency, counters.artistId, counters.interactions, counters.swipes, counters.orbsExplored, counters.captures, counters.sensorEngagements, ended ? new Date(nowMs) : null, sessionId],
    );
  }

  async session(sessionId: string) {
    const [row] = await this.sql.query<Record<string, unknown>>(`SELECT * FROM sessions WHERE id = ?::uuid`, [sessionId]);
    return row ?? null;
  }
}
