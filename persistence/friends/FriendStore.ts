/** The friend graph, one row per direction. Each change is one statement, so two listeners asking each other at once both end as friends. */
import type { Sql } from '../db.js';

export type FriendRowState = 'requested' | 'friends' | 'blocked';

/** One row of a user's list, with the other's MediaID display name. */
export interface FriendRow {
  userId: string;
  otherId: string;
  state: FriendRowState;
  at: Date;
  name: string | null;
}

/** What lies between two users: each direction's row, and whether the other exists at all. */
export interface Relation {
  mine: FriendRowState | null;
  theirs: FriendRowState | null;
  exists: boolean;
  /** My rows that count against my bound (friends and requests I sent). */
  counted: number;
}

export class FriendStore {
  constructor(private readonly sql: Sql) {}

  async relation(me: string, them: string): Promise<Relation> {
    const [row] = await this.sql.query<{ mine: FriendRowState | null; theirs: FriendRowState | null; exists: boolean; counted: number }>(
      `SELECT (SELECT state FROM friends WHERE user_id = ?::uuid AND other_id = ?::uuid) AS mine,
              (SELECT state FROM friends WHERE user_id = ?::uuid AND other_id = ?::uuid) AS theirs,
              EXISTS (SELECT 1 FROM users WHERE id = ?::uuid) AS exists,
              (SELECT count(*)::int FROM friends WHERE user_id = ?::uuid AND state <> 'blocked') AS counted`,
      [me, them, them, me, them, me],
    );
    return { mine: row?.mine ?? null, theirs: row?.theirs ?? null, exists: row?.exists === true, counted: Number(row?.counted ?? 0) };
  }

  /** My request to them; false when a row of mine towards them was there already. */
  async request(me: string, them: string, at: Date): Promise<boolean> {
    const rows = await this.sql.query(
      `INSERT INTO friends (user_id, other_id, state, at) VALUES (?::uuid, ?::uuid, 'requested', ?) ON CONFLICT DO NOTHING RETURNING 1`,
      [me, them, at],
    );
    return rows.length > 0;
  }

  /** Both directions become friends, unless one blocked the other meanwhile. */
  async befriend(a: string, b: string, at: Date): Promise<void> {
    await this.sql.query(
      `INSERT INTO friends (user_id, other_id, state, at)
       SELECT x, y, 'friends', ? FROM (VALUES (?::uuid, ?::uuid), (?::uuid, ?::uuid)) v (x, y)
       WHERE NOT EXISTS (SELECT 1 FROM friends WHERE state = 'blocked' AND ((user_id, other_id) = (?::uuid, ?::uuid) OR (user_id, other_id) = (?::uuid, ?::uuid)))
       ON CONFLICT (user_id, other_id) DO UPDATE SET state = 'friends', at = excluded.at WHERE friends.state = 'requested'`,
      [at, a, b, b, a, a, b, b, a],
    );
  }

  /** Friendship or requests either way are gone (blocks stay); true when something was. */
  async remove(me: string, them: string): Promise<boolean> {
    const rows = await this.sql.query(
      `DELETE FROM friends WHERE state <> 'blocked' AND ((user_id = ?::uuid AND other_id = ?::uuid) OR (user_id = ?::uuid AND other_id = ?::uuid)) RETURNING 1`,
      [me, them, them, me],
    );
    return rows.length > 0;
  }

  /** I block them: their rows towards me go (a block of theirs stays), mine becomes `blocked`. */
  async block(me: string, them: string, at: Date): Promise<void> {
    await this.sql.query(
      `WITH gone AS (DELETE FROM friends WHERE user_id = ?::uuid AND other_id = ?::uuid AND state <> 'blocked')
       INSERT INTO friends (user_id, other_id, state, at) VALUES (?::uuid, ?::uuid, 'blocked', ?)
       ON CONFLICT (user_id, other_id) DO UPDATE SET state = 'blocked', at = excluded.at`,
      [them, me, me, them, at],
    );
  }

  async unblock(me: string, them: string): Promise<boolean> {
    const rows = await this.sql.query(`DELETE FROM friends WHERE user_id = ?::uuid AND other_id = ?::uuid AND state = 'blocked' RETURNING 1`, [me, them]);
    return rows.length > 0;
  }

  /** My rows and the requests others sent me, newest first, at most `limit`. */
  async list(me: string, limit: number): Promise<FriendRow[]> {
    const rows = await this.sql.query<{ user_id: string; other_id: string; state: FriendRowState; at: Date; name: string | null }>(
      `SELECT f.user_id, f.other_id, f.state, f.at, nullif(btrim(m.display_name), '') AS name
       FROM friends f LEFT JOIN media_ids m ON m.user_id = CASE WHEN f.user_id = ?::uuid THEN f.other_id ELSE f.user_id END
       WHERE f.user_id = ?::uuid OR (f.other_id = ?::uuid AND f.state = 'requested')
       ORDER BY f.at DESC LIMIT ?`,
      [me, me, me, limit],
    );
    return rows.map((r) => ({ userId: r.user_id, otherId: r.other_id, state: r.state, at: new Date(r.at), name: r.name }));
  }

  /** `a` and one of `others` blocked one another (either way); one statement however many. */
  async blocks(a: string, others: readonly string[]): Promise<boolean> {
    const ids = `{${others.join(',')}}`;
    const sql = `SELECT 1 FROM friends WHERE state = 'blocked' AND ((user_id = ?::uuid AND other_id = ANY(?::uuid[])) OR (other_id = ?::uuid AND user_id = ANY(?::uuid[]))) LIMIT 1`;
    return (await this.sql.query(sql, [a, ids, a, ids])).length > 0;
  }

  /** `a`'s row towards `b` has this state. */
  async is(a: string, b: string, state: FriendRowState): Promise<boolean> {
    const rows = await this.sql.query(`SELECT 1 FROM friends WHERE user_id = ?::uuid AND other_id = ?::uuid AND state = ?`, [a, b, state]);
    return rows.length > 0;
  }

  /** A user's MediaID display name, or null. */
  async name(userId: string): Promise<string | null> {
    const [row] = await this.sql.query<{ name: string | null }>(`SELECT nullif(btrim(display_name), '') AS name FROM media_ids WHERE user_id = ?::uuid`, [
      userId,
    ]);
    return row?.name ?? null;
  }
}
