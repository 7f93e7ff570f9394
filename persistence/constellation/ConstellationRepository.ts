/**
 * Durable constellations: stars, lines and badges. A capture is one statement with its passport events, idempotent
 * per (user, artist). Placement math lives in systems/constellation/constellation.ts.
 */
import { isoSql, type Sql } from '../db.js';
import { sqlStateOf } from '../passport/errors.js';
import { AppError } from '../../systems/errors.js';
import type { Badge } from '../../systems/session/badges.js';
import type { PassportEvent } from '../../systems/passport/events.js';
import type { Point3 as StarPosition, StarConnection as ConnectionInput } from '../../systems/constellation/constellation.js';
import { CaptureBatch, captureOne, type CaptureRow } from './captureBatch.js';
import { loggedEvents, passportRowsOf, STAR_COLUMNS, type CapturePassportRow } from './captureStatement.js';

export type { Point3 as StarPosition, StarConnection as ConnectionInput } from '../../systems/constellation/constellation.js';

export interface CaptureRequest {
  userId: string;
  sessionId: string | null;
  artistId: string;
  position: StarPosition;
  /** Artist ids the listener travelled through, oldest first. */
  discoveryPath: string[];
  connections: ConnectionInput[];
  /** Badges this capture earns (computed by the caller from the star count); stored only if the star is new. */
  badges: Badge[];
  /** Offline-sync operation id, kept for tracing. */
  opId?: string;
  /** When it was captured; defaults to the repository clock (offline replays pass the client time). */
  capturedAtMs?: number;
  /** Passport events written to the outbox in the same statement, only if the star is new (captureStatement.ts). */
  passport?: readonly CapturePassportRow[];
}

export interface StarRecord {
  id: string;
  artistId: string;
  position: StarPosition;
  capturedAt: string;
  discoveryPath: string[];
  sessionId: string | null;
}

export interface ConnectionRecord extends ConnectionInput {
  createdAt: string;
}

export type CaptureResult =
  | {
      status: 'captured';
      star: StarRecord;
      totalStars: number;
      badgesAwarded: Badge[];
      connectionsAdded: number;
      /** The passport events stored with the star in the outbox (badge events of awarded badges, `totalStars` set): queue them after the commit. */
      logged: PassportEvent[];
    }
  | { status: 'already'; message: 'Already in your constellation'; star: StarRecord; totalStars: number; badgesAwarded: [] };

export type ConstellationErrorCode = 'UNKNOWN_ARTIST' | 'UNKNOWN_USER' | 'INVALID_CAPTURE';

/** A capture the database cannot accept, with the fix in the message. */
export class ConstellationStoreError extends AppError<ConstellationErrorCode> {
  override readonly name = 'ConstellationStoreError';
}

interface StarRow {
  id: string | number;
  artist_id: string;
  x: number;
  y: number;
  z: number;
  captured_at: Date | string;
  discovery_path: unknown;
  session_id: string | null;
}

const CONNECTION_TYPES = new Set(['discovery_path', 'genre_similarity']);

export class ConstellationRepository {
  private readonly batch: CaptureBatch;

  constructor(
    private readonly sql: Sql,
    private readonly now: () => number = Date.now,
  ) {
    this.batch = new CaptureBatch(sql);
  }

  /**
   * One statement (a hot path: every round trip queues on the pool under load). Already captured → the existing
   * star with status `already`.
   * @throws ConstellationStoreError UNKNOWN_ARTIST / UNKNOWN_USER / INVALID_CAPTURE.
   */
  async capture(request: CaptureRequest, tx?: Sql): Promise<CaptureResult> {
    validateCapture(request);
    const db = tx ?? this.sql;
    const capturedAt = new Date(request.capturedAtMs ?? this.now());
    const badges = [...new Set(request.badges)];
    const rows = request.passport ?? [];
    const params = {
      u: request.userId,
      a: request.artistId,
      ...request.position,
      t: capturedAt,
      p: request.discoveryPath,
      s: request.sessionId,
      o: request.opId ?? null,
      c: request.connections.map((c) => ({ f: c.from, t: c.to, s: c.strength, k: c.type })),
      b: badges,
      e: passportRowsOf(rows),
    };
    // Data-modifying CTEs (captureStatement.ts): lines, badges and passport rows only when the star went in. Outside a
    // caller's transaction, in the next statement of the process's capture batch.
    const row: CaptureRow = await (tx ? captureOne(tx, params) : this.batch.capture(params)).catch(mapForeignKey);
    if (!row.star) {
      const [existing] = await db.query<StarRow>(`SELECT ${STAR_COLUMNS} FROM constellation_stars WHERE user_id = ? AND artist_id = ?`, [
        request.userId,
        request.artistId,
      ]);
      return {
        status: 'already',
        message: 'Already in your constellation',
        star: toStar(existing),
        totalStars: await this.countStars(request.userId, db),
        badgesAwarded: [],
      };
    }
    const awarded = new Set(row.badges);
    const totalStars = Number(row.before) + 1;
    return {
      status: 'captured',
      star: toStar(row.star as StarRow),
      totalStars,
      badgesAwarded: badges.filter((b) => awarded.has(b)),
      connectionsAdded: Number(row.connections),
      logged: loggedEvents(rows, awarded, new Set(row.logged), totalStars),
    };
  }

  /**
   * The line between two stars the listener moved between, once: nothing when the pair is already joined either way
   * or either artist is not a star. Returns the line when this call created it.
   */
  async connectOnLock(userId: string, line: ConnectionInput, atMs = this.now()): Promise<ConnectionInput | null> {
    // In the next statement of the process's capture batch (the other rooms' captures and lines of the window).
    const drawn = await this.batch.line({ u: userId, f: line.from, t: line.to, s: line.strength, k: line.type, at: new Date(atMs) });
    return drawn ? { ...line } : null;
  }

  /** Stars and lines added after `sinceMs` from any device, newest last, at most `limit` of each. */
  async changesSince(
    userId: string,
    sinceMs: number,
    limit: number,
  ): Promise<{ stars: Array<{ artistId: string; position: StarPosition; capturedAt: string }>; connections: ConnectionRecord[] }> {
    const since = new Date(sinceMs);
    const [stars, connections] = await Promise.all([
      this.sql.query<{ artistId: string; position: StarPosition; capturedAt: string }>(
        `SELECT artist_id AS "artistId", ${POSITION} AS position, ${isoSql('captured_at')} AS "capturedAt" FROM constellation_stars
          WHERE user_id = ? AND captured_at > ? ORDER BY captured_at, id LIMIT ?`,
        [userId, since, limit],
      ),
      this.sql.query<ConnectionRecord>(
        `SELECT ${CONNECTION_COLUMNS} FROM constellation_connections WHERE user_id = ? AND created_at > ? ORDER BY created_at, id LIMIT ?`,
        [userId, since, limit],
      ),
    ]);
    return { stars, connections };
  }

  /**
   * Stars captured since `sinceMs` by the users whose constellations share the most artists with this one. Bounded
   * for a join: the user's 20 latest stars, at most 100 other holders per artist.
   */
  async socialUpdatesSince(userId: string, sinceMs: number, similarUsers: number): Promise<number> {
    const [row] = await this.sql.query<{ n: number }>(
      `WITH mine AS (SELECT artist_id FROM constellation_stars WHERE user_id = ? ORDER BY captured_at DESC, id DESC LIMIT 20),
       alike AS (
         SELECT o.user_id FROM mine m
         CROSS JOIN LATERAL (SELECT user_id FROM constellation_stars WHERE artist_id = m.artist_id AND user_id <> ? LIMIT 100) o
         GROUP BY o.user_id ORDER BY count(*) DESC, o.user_id LIMIT ?)
       SELECT count(*)::int AS n FROM constellation_stars s JOIN alike USING (user_id) WHERE s.captured_at > ?`,
      [userId, userId, similarUsers, new Date(sinceMs)],
    );
    return Number(row?.n ?? 0);
  }

  /** The whole constellation for the journal view, stars in capture order. */
  async constellationOf(userId: string): Promise<{ stars: StarRecord[]; connections: ConnectionRecord[]; badges: Array<{ badge: string; earnedAt: string }> }> {
    const stars = await this.sql.query<StarRow>(`SELECT ${STAR_COLUMNS} FROM constellation_stars WHERE user_id = ? ORDER BY captured_at, id`, [userId]);
    const connections = await this.sql.query<ConnectionRecord>(`SELECT ${CONNECTION_COLUMNS} FROM constellation_connections WHERE user_id = ? ORDER BY id`, [
      userId,
    ]);
    const badges = await this.sql.query<{ badge: string; earnedAt: string }>(
      `SELECT badge, ${isoSql('earned_at')} AS "earnedAt" FROM user_badges WHERE user_id = ? ORDER BY earned_at, badge`,
      [userId],
    );
    return { stars: stars.map(toStar), connections, badges };
  }

  /** Stars for placing the next one: artist and position, in capture order. */
  async starsOf(userId: string): Promise<Array<{ artistId: string; position: StarPosition }>> {
    return this.sql.query(`SELECT artist_id AS "artistId", ${POSITION} AS position FROM constellation_stars WHERE user_id = ? ORDER BY captured_at, id`, [
      userId,
    ]);
  }

  /** Stars (capture order) and badges in one round trip: what a session room loads on join. */
  async starsAndBadgesOf(userId: string): Promise<{ stars: Array<{ artistId: string; position: StarPosition }>; badges: string[] }> {
    const [row] = await this.sql.query<{ stars: Array<{ artistId: string; position: StarPosition }>; badges: string[] }>(
      `SELECT (SELECT coalesce(json_agg(json_build_object('artistId', artist_id, 'position', ${POSITION}) ORDER BY captured_at, id), '[]'::json)
                 FROM constellation_stars WHERE user_id = ?) AS stars,
              (SELECT coalesce(json_agg(badge ORDER BY earned_at, badge), '[]'::json) FROM user_badges WHERE user_id = ?) AS badges`,
      [userId, userId],
    );
    return row;
  }

  /** Awards badges not held yet; returns the newly awarded ones. */
  async awardBadges<B extends string>(userId: string, badges: readonly B[], atMs = this.now(), tx?: Sql): Promise<B[]> {
    if (badges.length === 0) return [];
    const rows = await (tx ?? this.sql)
      .query<{ badge: string }>(
        `INSERT INTO user_badges (user_id, badge, earned_at)
         SELECT ?, b.badge, ? FROM jsonb_array_elements_text(?::jsonb) WITH ORDINALITY AS b(badge, n) ORDER BY b.n
         ON CONFLICT (user_id, badge) DO NOTHING RETURNING badge`,
        [userId, new Date(atMs), JSON.stringify([...new Set(badges)])],
      )
      .catch(mapForeignKey);
    // The awarded ones, as the caller typed them, in the order asked.
    const awarded = new Set(rows.map((r) => r.badge));
    return [...new Set(badges)].filter((b) => awarded.has(b));
  }

  async countStars(userId: string, tx?: Sql): Promise<number> {
    const [row] = await (tx ?? this.sql).query<{ n: number }>(`SELECT count(*)::int AS n FROM constellation_stars WHERE user_id = ?`, [userId]);
    return Number(row?.n ?? 0);
  }
}

function validateCapture(r: CaptureRequest): void {
  const problems: string[] = [];
  if (!r.artistId) problems.push('artistId is empty');
  for (const axis of ['x', 'y', 'z'] as const) if (!Number.isFinite(r.position?.[axis])) problems.push(`position.${axis} is not a finite number`);
  r.connections.forEach((c, i) => {
    if (!(c.strength >= 0 && c.strength <= 1)) problems.push(`connections.${i}.strength must be in [0, 1]`);
    if (!CONNECTION_TYPES.has(c.type)) problems.push(`connections.${i}.type must be discovery_path or genre_similarity`);
    if (!c.from || !c.to) problems.push(`connections.${i} needs from and to`);
  });
  if (problems.length > 0) throw new ConstellationStoreError('INVALID_CAPTURE', `invalid capture: ${problems.join('; ')}`);
}

function mapForeignKey(err: unknown): never {
  if (sqlStateOf(err) === '23503') {
    const text = String((err as Error).message) + String((err as { constraint?: string }).constraint ?? '');
    if (text.includes('artist')) throw new ConstellationStoreError('UNKNOWN_ARTIST', 'no such artist in the catalog; capture an artist id from a station');
    throw new ConstellationStoreError('UNKNOWN_USER', 'no such user; join a session first so the user exists');
  }
  throw err;
}

const CONNECTION_COLUMNS = `from_artist_id AS "from", to_artist_id AS "to", strength, connection_type AS type, ${isoSql('created_at')} AS "createdAt"`;
/** A star's position as the answers nest it. */
const POSITION = `json_build_object('x', x, 'y', y, 'z', z)`;

function toStar(row: StarRow): StarRecord {
  const path = typeof row.discovery_path === 'string' ? (JSON.parse(row.discovery_path) as unknown) : row.discovery_path;
  return {
    id: String(row.id),
    artistId: row.artist_id,
    position: { x: Number(row.x), y: Number(row.y), z: Number(row.z) },
    capturedAt: new Date(row.captured_at).toISOString(),
    discoveryPath: Array.isArray(path) ? path.map(String) : [],
    sessionId: row.session_id,
  };
}
