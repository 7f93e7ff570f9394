/** Share links and their opens: one open per visitor per link per day (hashed with the day's random key), one statement. */
import { randomBytes } from 'node:crypto';
import { isoSql, type Sql } from '../db.js';
import type { LinkTargetType, ShareLink } from '../../systems/links/shareLinks.js';

export interface LinkState extends ShareLink {
  opens: number;
  /** Opens counted this hour (the per-link bound). */
  hourOpens: number;
  /** This visitor was counted on this link today already. */
  seenToday: boolean;
}

/** A UTC day as Postgres `date` text. */
export const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export class ShareLinkStore {
  constructor(private readonly sql: Sql) {}

  async create(link: ShareLink): Promise<void> {
    const params = [link.id, link.userId, link.targetType, link.targetId, link.channel, link.createdAt, link.expiresAt];
    await this.sql.query(
      `INSERT INTO share_links (id, user_id, target_type, target_id, channel, created_at, expires_at) VALUES (?, ?::uuid, ?, ?, ?, ?, ?)`,
      params,
    );
  }

  /** Whether an artist of the catalog or a Concierto event has this id (a track id is taken as given). */
  async targetExists(type: LinkTargetType, id: string): Promise<boolean> {
    if (type === 'track') return true;
    const table = type === 'artist' ? 'artists' : 'concierto_events';
    const rows = await this.sql.query(`SELECT 1 FROM ${table} WHERE id = ?`, [id]);
    return rows.length > 0;
  }

  /** The link with this hour's opens and whether `visitor` was counted on it today; null when unknown. */
  async find(id: string, atMs: number, visitor: Buffer | null = null): Promise<LinkState | null> {
    const at = new Date(atMs);
    const [row] = await this.sql.query<LinkState>(
      `SELECT l.id, l.user_id::text AS "userId", l.target_type AS "targetType", l.target_id AS "targetId", l.channel, ${isoSql('l.created_at')} AS "createdAt",
              ${isoSql('l.expires_at')} AS "expiresAt", l.opens::float8 AS opens,
              (CASE WHEN l.hour_start = date_trunc('hour', ?::timestamptz, 'UTC') THEN l.hour_opens ELSE 0 END)::float8 AS "hourOpens",
              EXISTS (SELECT 1 FROM share_link_opens o WHERE o.link_id = l.id AND o.day = ?::date AND o.visitor = ?::bytea) AS "seenToday"
         FROM share_links l WHERE l.id = ?`,
      [at, dayOf(atMs), visitor ?? Buffer.alloc(0), id],
    );
    return row ?? null;
  }

  /** The day's hashing key, made once (random 32 bytes) by whichever process asks first. */
  async dayKey(day: string): Promise<Buffer> {
    await this.sql.query(`INSERT INTO share_link_keys (day, key) VALUES (?::date, ?::bytea) ON CONFLICT (day) DO NOTHING`, [day, randomBytes(32)]);
    const [row] = await this.sql.query<{ key: Buffer }>(`SELECT key FROM share_link_keys WHERE day = ?::date`, [day]);
    return row!.key;
  }

  /** Counts one open of `visitor` today unless counted already; false when it was. */
  async countOpen(id: string, visitor: Buffer, atMs: number): Promise<boolean> {
    const at = new Date(atMs);
    const rows = await this.sql.query<{ id: string }>(
      `WITH seen AS (INSERT INTO share_link_opens (link_id, day, visitor) VALUES (?, ?::date, ?::bytea) ON CONFLICT DO NOTHING RETURNING link_id)
       UPDATE share_links l SET opens = l.opens + 1, last_opened_at = ?,
              hour_opens = CASE WHEN l.hour_start = date_trunc('hour', ?::timestamptz, 'UTC') THEN l.hour_opens + 1 ELSE 1 END,
              hour_start = date_trunc('hour', ?::timestamptz, 'UTC')
         FROM seen WHERE l.id = seen.link_id RETURNING l.id`,
      [id, dayOf(atMs), visitor, at, at, at],
    );
    return rows.length === 1;
  }
}
