import { randomUUID } from 'node:crypto';
import { sqlFor, textArrayLiteral, type Sql } from '../db.js';
import { StatementBatch } from '../statementBatch.js';
import { writeCounterSaves, type CounterSaveBatch } from './counterSaveBatch.js';
import type { Orm } from '../orm.js';
import { Session } from '../entities/session.js';
import { Artist } from '../entities/catalog.js';
import { canResume, DEFAULT_STATION, welcomeMessage } from '../../systems/session/sessionRules.js';
import { AppError } from '../../systems/errors.js';

/** A resume the row does not count yet is its first. */
const FIRST_RESUME = 1;
const TIP_SQL = `UPDATE users SET seen_parallax_tip = true WHERE id = ANY(?::uuid[]) AND NOT seen_parallax_tip RETURNING id::text AS id`;

/** Who joins and how; `userId` and `deviceId` come from a verified access token, never from the client. */
export interface JoinRequest {
  userId: string;
  deviceId: string;
  deviceModel?: string;
  appVersion?: string;
  lastSessionId?: string;
  /** A resume credential's generation: `lastSessionId` resumes only while its row counts that many resumes. */
  resumeGeneration?: number;
}

export interface JoinedSession {
  sessionId: string;
  userId: string;
  isFirstLaunch: boolean;
  resumed: boolean;
  message: string;
  frequency: number;
  city: string | null;
  /** Times this session was resumed; 0 for a new session. */
  resumeCount: number;
  /** When the user's latest session was last active before this join (time away, updates since); null on a first session. */
  lastActiveMs: number | null;
  /** The user has had the parallax tip. */
  seenParallaxTip: boolean;
  /** Seconds of sensor use saved by all the user's sessions (this one included when resumed). */
  userSensorSeconds: number;
}

/** The room holding a session: the id and the resume that gave it the session (a later resume takes it over). */
export type SessionHolder = Pick<JoinedSession, 'sessionId' | 'resumeCount'>;

/** The tallies a resumed session continues from. */
export type SavedCounters = Pick<SessionCounters, 'interactions' | 'swipes' | 'orbsExplored' | 'captures' | 'sensorEngagements'> & { sensorSeconds: number };

export interface SessionCounters {
  frequency: number;
  artistId: string | null;
  interactions: number;
  swipes: number;
  orbsExplored: number;
  captures: number;
  sensorEngagements: number;
  /** Seconds of sensor use this session; left as stored when undefined. */
  sensorSeconds?: number;
}

/** A resume credential's generation is behind its session's row: another resume spent it (a replay, a second tab). */
export const STALE_RESUME_MESSAGE =
  'RESUME_STALE: this session was resumed again since this credential was issued (another tab or device holds it); join without `resume`';

/** The joining user does not exist (e.g. the database was reset while the signing key was kept). */
export class UnknownUserError extends AppError<'UNKNOWN_USER'> {
  constructor() {
    super('UNKNOWN_USER', 'the access token names a user this server does not know; sign in again with POST /api/auth/device');
  }
}

/** Sessions for an authenticated user: the join is an SQL hot path, the counters low-rate CRUD. */
export class SessionRepository {
  private readonly sql: Sql;
  /** Tips of a second in one UPDATE (one each was a fifth of a run's statements; a tip is no ack); of a user's calls there only the first flipped it. */
  private readonly tips = new StatementBatch<string, boolean>({
    write: async (ids) => {
      const flipped = new Set((await this.sql.query<{ id: string }>(TIP_SQL, [textArrayLiteral(ids)])).map((r) => r.id));
      return ids.map((id) => flipped.delete(id)); // a user's first call in the batch takes the flip; later ones find it gone
    },
    intervalMs: 1000,
    maxItems: 500,
    maxWaiting: 10_000,
  });

  /** With `counterSaves`, {@link saveCounters} joins the other sessions' saves in one statement. */
  constructor(
    private readonly orm: Orm,
    private readonly counterSaves?: CounterSaveBatch,
  ) {
    this.sql = sqlFor(orm);
  }

  /**
   * Resumes `lastSessionId` if recent and theirs (else their latest), else starts a session. Two round trips, no
   * transaction: joins come in storms, and a failure half-way leaves at worst no new session, which the retry makes.
   */
  async join(request: JoinRequest, nowMs: number): Promise<JoinedSession> {
    const now = new Date(nowMs);
    type Row = {
      userId: string;
      city: string | null;
      firstLaunch: boolean;
      seenTip: boolean;
      sensorSeconds: number;
      sessionId: string | null;
      lastActive: Date | string | null;
      frequency: number | null;
    };
    // Of concurrent first joins, one sees first_launch true (the locked row); the named session is taken only if it is this user's.
    const [row] = await this.sql.query<Row>(
      `WITH u AS (
         UPDATE users SET first_launch = false, last_seen_at = ?
         FROM (SELECT id, first_launch FROM users WHERE id = ?::uuid FOR UPDATE) prev WHERE users.id = prev.id
         RETURNING users.id, users.city, users.seen_parallax_tip, prev.first_launch AS first)
       SELECT u.id AS "userId", u.city, u.first AS "firstLaunch", u.seen_parallax_tip AS "seenTip",
              (SELECT coalesce(sum(sensor_seconds), 0)::float8 FROM sessions WHERE user_id = u.id) AS "sensorSeconds",
              s.id AS "sessionId", s.last_active AS "lastActive", s.current_frequency::float8 AS frequency
       FROM u LEFT JOIN LATERAL (
         SELECT id, last_active, current_frequency FROM sessions WHERE user_id = u.id
         ORDER BY (id = ?::uuid) IS TRUE DESC, last_active DESC LIMIT 1) s ON true`,
      [now, request.userId, request.lastSessionId ?? null],
    );
    if (!row) throw new UnknownUserError();
    const { userId, city, firstLaunch: isFirstLaunch } = row;
    const lastActiveMs = row.lastActive === null ? null : new Date(row.lastActive).getTime();
    const timeAway = lastActiveMs === null ? null : nowMs - lastActiveMs;
    const common = { userId, isFirstLaunch, city, lastActiveMs, seenParallaxTip: row.seenTip === true, userSensorSeconds: Number(row.sensorSeconds ?? 0) };
    if (row.sessionId && lastActiveMs !== null && canResume(lastActiveMs, nowMs)) {
      // A credential's resume claims the row's count it was issued at, so it works once however late the snapshots land.
      const generation = request.resumeGeneration ?? null;
      const [resumed] = await this.sql.query<{ resume_count: number }>(
        `UPDATE sessions SET last_active = ?, ended_at = NULL, resume_count = resume_count + 1 WHERE id = ? AND (?::int IS NULL OR resume_count = ?) RETURNING resume_count`,
        [now, row.sessionId, generation, generation],
      );
      if (!resumed && generation !== null) throw new AppError('RESUME_STALE', STALE_RESUME_MESSAGE);
      return {
        ...common,
        sessionId: row.sessionId,
        resumed: true,
        message: welcomeMessage(false, timeAway),
        frequency: Number(row.frequency),
        resumeCount: Number(resumed?.resume_count ?? FIRST_RESUME),
      };
    }
    const sessionId = randomUUID();
    const frequency = row.frequency === null ? DEFAULT_STATION : Number(row.frequency);
    await this.sql.query(
      `INSERT INTO sessions (id, user_id, device_id, device_model, app_version, started_at, last_active, current_frequency) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [sessionId, userId, request.deviceId, request.deviceModel ?? null, request.appVersion ?? null, now, now, frequency],
    );
    return { ...common, sessionId, resumed: false, message: welcomeMessage(isFirstLaunch, timeAway), frequency, resumeCount: 0 };
  }

  /**
   * Writes the room's counters; `ended` marks it closed. Hand-written: every active session runs it, and nativeUpdate
   * cost several times the CPU. Only the latest resume's room writes: an older room ending later must not close the
   * live session. Returns false when nothing was written. The server batches it ({@link CounterSaveBatch}); alone,
   * it is a batch of one.
   */
  async saveCounters(holder: SessionHolder, counters: SessionCounters, nowMs: number, ended: boolean): Promise<boolean> {
    if (this.counterSaves) return this.counterSaves.add({ holder, counters, nowMs, ended });
    const [written] = await writeCounterSaves(this.sql, [{ holder, counters, nowMs, ended }]);
    return written;
  }

  /** The tallies a session has saved so far (a resumed session continues from them); null for an unknown session. */
  async countersOf(sessionId: string): Promise<SavedCounters | null> {
    const [row] = await this.sql.query<SavedCounters>(
      `SELECT total_interactions AS interactions, total_swipes AS swipes, total_orbs_explored AS "orbsExplored", total_captures AS captures,
              sensor_engagement_count AS "sensorEngagements", sensor_seconds::float8 AS "sensorSeconds" FROM sessions WHERE id = ?`,
      [sessionId],
    );
    return row ?? null;
  }

  /** True only for the call that flipped it (one tip per user, across devices). */
  markParallaxTipSeen(userId: string): Promise<boolean> {
    return this.tips.add(userId);
  }

  /** Shutdown: the tips waiting are written now, not lost with the process; later ones are refused (not shown). */
  closeTips(): Promise<void> {
    return this.tips.close();
  }

  /** Artists that joined the catalog after `sinceMs`. */
  async newArtistsSince(sinceMs: number): Promise<number> {
    return this.orm.em.fork().count(Artist, { createdAt: { $gt: new Date(sinceMs) } });
  }

  /** The session's last offline stretch (seconds, as reported) and when it synced. */
  async recordOfflineSync(sessionId: string, offlineSeconds: number | null, nowMs: number): Promise<void> {
    await this.orm.em
      .fork()
      .nativeUpdate(
        Session,
        { id: sessionId },
        { ...(offlineSeconds === null ? {} : { offlineSeconds: Math.round(offlineSeconds) }), lastSyncedAt: new Date(nowMs) },
      );
  }
}
