/**
 * The notification inbox and settings (low-rate CRUD); {@link insertNotification} writes one with its push outbox rows,
 * also inside a direct share's transaction.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Notification, NotificationSetting } from '../entities/notifications.js';
import { MediaId } from '../entities/mediaid.js';
import type { Stored } from '../entities/index.js';
import type { Orm } from '../orm.js';
import { sqlFor, textArrayLiteral, unitOfWork, type Sql } from '../db.js';
import type { Notice, NotificationPreferences, NotificationType, PushKind } from '../../systems/notifications/index.js';
import { TopTells } from './topTells.js';

export type NotificationRecord = Omit<Stored<Notification>, 'userId'> & { fromName: string | null };

/** A notification to write: its inbox entry when `inApp`, its pushes to the user's registrations of `pushKinds`. */
export interface NewNotification {
  userId: string;
  type: NotificationType;
  fromUserId: string | null;
  shareId: string | null;
  message: string | null;
  artistId: string | null;
  notice: Notice;
  createdAt: Date;
  inApp: boolean;
  /** Push kinds with credentials on this server, when the user's push channel is open for this kind; empty: no push. */
  pushKinds: readonly PushKind[];
}

/** What was written: the inbox entry (null when in-app is closed), and the pushes queued or refused by the outbox bound. */
export interface WrittenNotification {
  record: NotificationRecord | null;
  pushesQueued: number;
  /** The outbox held `maxPending` rows already: no push was queued (the entry still is in the inbox). */
  outboxFull: boolean;
}

/** The settings row as the top-recommendation rule reads it. */
export type NotificationSettingsRow = Pick<Stored<NotificationSetting>, 'lastTopArtistId' | 'lastTopAt'> & { preferences: NotificationPreferences };
/** The top-recommendation rule: the notification to write for this settings row, or null. */
type Decide = (settings: NotificationSettingsRow) => NewNotification | null;

export class NotificationRepository {
  private readonly sql: Sql;
  private readonly tells: TopTells;

  constructor(
    private readonly orm: Orm,
    /** Pending pushes at most in the outbox (PUSH_QUEUE_MAX): beyond it a notification queues no push. */
    private readonly maxPendingPushes: number,
  ) {
    this.sql = sqlFor(orm);
    this.tells = new TopTells(this.sql, maxPendingPushes);
  }

  /**
   * The user's newest `limit` entries (older than `beforeId` when given; unread only with `unreadOnly`) and how many are
   * unread in all. A top recommendation whose artist the user has captured since is left out of both: it was told before
   * the capture (or raced it), and a pick the listener already holds is no pick.
   */
  async inbox(userId: string, limit: number, beforeId: string | null, unreadOnly = false): Promise<{ entries: NotificationRecord[]; unread: number }> {
    const where = `n.user_id = ?::uuid${beforeId === null ? '' : ' AND n.id < ?::bigint'}${unreadOnly ? ' AND n.read_at IS NULL' : ''} AND ${STILL_A_PICK}`;
    const rows = await this.sql.query<NotificationRow>(`SELECT ${NOTIFICATION_COLUMNS} FROM notifications n WHERE ${where} ORDER BY n.id DESC LIMIT ?::int`, [
      userId,
      ...(beforeId === null ? [] : [beforeId]),
      limit,
    ]);
    // Every session's join asks for the first unread page: short of a full page, it is the count, and the join saves a statement.
    const counted = async () => {
      const [c] = await this.sql.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM notifications n WHERE n.user_id = ?::uuid AND n.read_at IS NULL AND ${STILL_A_PICK}`,
        [userId],
      );
      return Number(c?.n ?? 0);
    };
    const unread = unreadOnly && beforeId === null && rows.length < limit ? rows.length : await counted();
    const senders = [...new Set(rows.map((r) => r.fromUserId).filter((id): id is string => !!id))];
    const names = new Map<string, string>();
    if (senders.length)
      for (const m of await this.orm.em.fork().find(MediaId, { userId: { $in: senders } }, { fields: ['userId', 'displayName'], disableIdentityMap: true }))
        if (m.displayName?.trim()) names.set(m.userId, m.displayName.trim());
    return { entries: rows.map((r) => recordOfRow(r, r.fromUserId ? (names.get(r.fromUserId) ?? null) : null)), unread };
  }

  /** Marks the user's entries read (the given ids, or all); another user's ids are ignored. Resolves to how many changed. */
  async markRead(userId: string, ids: string[] | 'all', at: Date): Promise<number> {
    const where = ids === 'all' ? { userId, readAt: null } : { userId, readAt: null, id: { $in: ids } };
    return this.orm.em.fork().nativeUpdate(Notification, where, { readAt: at });
  }

  /** Writes a notification and its pushes in one transaction. */
  async create(notification: NewNotification): Promise<WrittenNotification> {
    return unitOfWork(this.orm, (em) => insertNotification(em, notification, this.maxPendingPushes));
  }

  /** The user's opt-outs (every channel open when the user never chose). */
  async preferences(userId: string): Promise<NotificationPreferences> {
    const s = await this.orm.em.fork().findOne(NotificationSetting, { userId }, { disableIdentityMap: true });
    if (!s) return preferencesOfRow({});
    return { shares: { inApp: s.sharesInApp, push: s.sharesPush }, recommendations: { inApp: s.recommendationsInApp, push: s.recommendationsPush } };
  }

  /** Stores the user's opt-outs; the top recommendation last told is kept. */
  async savePreferences(userId: string, p: NotificationPreferences, at: Date): Promise<void> {
    await this.orm.em.fork().execute(
      `INSERT INTO notification_settings (user_id, shares_in_app, shares_push, recommendations_in_app, recommendations_push, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (user_id) DO UPDATE SET shares_in_app = EXCLUDED.shares_in_app, shares_push = EXCLUDED.shares_push,
           recommendations_in_app = EXCLUDED.recommendations_in_app, recommendations_push = EXCLUDED.recommendations_push, updated_at = EXCLUDED.updated_at`,
      [userId, p.shares.inApp, p.shares.push, p.recommendations.inApp, p.recommendations.push, at],
      'run',
    );
  }

  /**
   * `decide` reads the settings row and returns the notification to write, or null. A tell is one statement that writes
   * only if the row is still the version decided on (none, or its `xmin`); if it changed meanwhile, the rule decides
   * again on the locked row ({@link tellLocked}), so the top is told once. The first try assumes no row, so a new user's
   * first tell is one statement, shared with the other first tells of its flush (topTells.ts); a row it finds comes back
   * with the answer, and most recomputes stop there (nothing to tell, nothing written or locked).
   */
  async tellTop(userId: string, artistId: string, at: Date, decide: Decide): Promise<WrittenNotification | null> {
    const assumed = decide(settingsOfRow({}));
    let current: Row | undefined;
    if (assumed) {
      const first = await this.tellIf(artistId, at, null, assumed);
      if (first.written) return first.written;
      // Null: another transaction wrote the row after this statement's snapshot.
      if (!first.current) return this.tellLocked(userId, artistId, at, decide);
      current = first.current;
    } else [current] = await this.sql.query<Row>(`SELECT *, xmin::text AS row_version FROM notification_settings WHERE user_id = ?`, [userId]);
    const notification = decide(settingsOfRow(current ?? {}));
    if (!notification) return null;
    const told = await this.tellIf(artistId, at, (current?.row_version as string | undefined) ?? null, notification);
    return told.written ?? this.tellLocked(userId, artistId, at, decide);
  }

  /** One statement (a first tell shares it with the others of its flush); `current` is the row found when nothing was written. */
  private async tellIf(
    artistId: string,
    at: Date,
    rowVersion: string | null,
    n: NewNotification,
  ): Promise<{ written: WrittenNotification | null; current: Row | null }> {
    const row = await this.tells.tell(artistId, at, rowVersion, n);
    if (!row.told) return { written: null, current: row.current };
    const record = row.id === null ? null : { ...entryRow(n), id: row.id, fromName: null };
    return { written: { record, pushesQueued: row.queued, outboxFull: n.pushKinds.length > 0 && row.queued === 0 && row.devices > 0 }, current: null };
  }

  /** The rule decided again on the settings row locked, in one transaction. */
  private tellLocked(userId: string, artistId: string, at: Date, decide: Decide): Promise<WrittenNotification | null> {
    return unitOfWork(this.orm, async (em) => {
      await em.execute(`INSERT INTO notification_settings (user_id, updated_at) VALUES (?, ?) ON CONFLICT (user_id) DO NOTHING`, [userId, at], 'run');
      const [row] = await em.execute<Array<Record<string, unknown>>>(`SELECT * FROM notification_settings WHERE user_id = ? FOR UPDATE`, [userId]);
      if (!row) return null;
      const notification = decide(settingsOfRow(row));
      if (!notification) return null;
      await em.execute(`UPDATE notification_settings SET last_top_artist_id = ?, last_top_at = ? WHERE user_id = ?`, [artistId, at, userId], 'run');
      return insertNotification(em, notification, this.maxPendingPushes);
    });
  }
}

type Row = Record<string, unknown>;

/** The settings row as the top-recommendation rule reads it; a missing row (`{}`) is every channel open, nothing told. */
function settingsOfRow(row: Record<string, unknown>): NotificationSettingsRow {
  const lastTopAt = row.last_top_at ? new Date(row.last_top_at as string | Date) : null;
  return { preferences: preferencesOfRow(row), lastTopArtistId: (row.last_top_artist_id as string | null | undefined) ?? null, lastTopAt };
}

/** The inbox entry of a notification, as stored (the id is the store's). */
function entryRow(n: NewNotification) {
  return {
    userId: n.userId,
    type: n.type,
    fromUserId: n.fromUserId,
    shareId: n.shareId,
    message: n.message,
    artistId: n.artistId,
    title: n.notice.title,
    body: n.notice.body,
    deepLink: n.notice.deepLink,
    createdAt: n.createdAt,
    readAt: null,
  };
}

/** Inside `em`'s transaction; when the outbox holds `maxPending` pending rows, no push is queued. */
export async function insertNotification(em: EntityManager, n: NewNotification, maxPending: number): Promise<WrittenNotification> {
  let record: NotificationRecord | null = null;
  if (n.inApp) {
    const row = entryRow(n);
    const id = await em.insert(Notification, row);
    record = { ...row, id: String(id), fromName: null };
  }
  if (n.pushKinds.length === 0) return { record, pushesQueued: 0, outboxFull: false };
  const result = await em.execute<{ affectedRows: number }>(
    `INSERT INTO push_outbox (device_id, notification_id, type, title, body, deep_link, due_at, created_at)
     SELECT d.id, ?::bigint, ?, ?, ?, ?, ?, ? FROM push_devices d
     WHERE d.user_id = ? AND d.kind = ANY(?::text[]) AND (SELECT count(*) FROM push_outbox WHERE status = 'pending') < ?`,
    [
      record?.id ?? null,
      n.type,
      n.notice.title,
      n.notice.body,
      n.notice.deepLink,
      n.createdAt,
      n.createdAt,
      n.userId,
      textArrayLiteral(n.pushKinds),
      maxPending,
    ],
    'run',
  );
  const queued = Number(result.affectedRows ?? 0);
  if (queued > 0) return { record, pushesQueued: queued, outboxFull: false };
  // Nothing queued: the outbox was full if the user has a registration of these kinds.
  const [held] = await em.execute<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM push_devices WHERE user_id = ? AND kind = ANY(?::text[])`, [
    n.userId,
    textArrayLiteral(n.pushKinds),
  ]);
  return { record, pushesQueued: 0, outboxFull: Number(held?.n ?? 0) > 0 };
}

function preferencesOfRow(r: Record<string, unknown>): NotificationPreferences {
  return {
    shares: { inApp: r.shares_in_app !== false, push: r.shares_push !== false },
    recommendations: { inApp: r.recommendations_in_app !== false, push: r.recommendations_push !== false },
  };
}

/** An inbox row (`n`) is shown unless it is a top recommendation of an artist the user has captured. */
const STILL_A_PICK = `NOT (n.type = 'top_recommendation' AND EXISTS (SELECT 1 FROM constellation_stars c WHERE c.user_id = n.user_id AND c.artist_id = n.artist_id))`;

const NOTIFICATION_COLUMNS = `n.id::text AS id, n.type, n.from_user_id AS "fromUserId", n.share_id AS "shareId", n.message, n.artist_id AS "artistId", n.title,
  n.body, n.deep_link AS "deepLink", n.created_at AS "createdAt", n.read_at AS "readAt"`;

/** The columns as {@link NOTIFICATION_COLUMNS} names them; the times as the driver gives them. */
type NotificationRow = Omit<NotificationRecord, 'fromName' | 'createdAt' | 'readAt'> & { createdAt: Date | string; readAt: Date | string | null };

function recordOfRow(r: NotificationRow, fromName: string | null): NotificationRecord {
  return { ...r, fromName, createdAt: new Date(r.createdAt), readAt: r.readAt === null ? null : new Date(r.readAt) };
}
