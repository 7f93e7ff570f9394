/**
 * `custom_leaderboards`: the definitions of leaderboards operators create, edit and delete in /ops
 * (a few rows, ever). Scores are not stored here: a custom board reads the counter board it names.
 */
import type { Sql } from '../db.js';
import type { LeaderboardWindow } from '../../systems/leaderboard/windows.js';

const COLUMNS = `id, title, base, time_window AS "window", entity_ids AS "entityIds", to_json(created_at)#>>'{}' AS "createdAt", to_json(updated_at)#>>'{}' AS "updatedAt"`;

/** A leaderboard an operator defined (features/leaderboard/customLeaderboards.ts reads its rows). */
export interface CustomLeaderboard {
  /** `custom.<slug>`. */
  id: string;
  title: string;
  /** The counter board whose scores it ranks. */
  base: string;
  window: LeaderboardWindow;
  /** When not empty, the only entities listed (up to 50), ranked among themselves. */
  entityIds: string[];
  createdAt: string;
  updatedAt: string;
}

/** Most definitions listed: the ops page reads every board's rows. */
export const MAX_CUSTOM_LEADERBOARDS = 100;

const toBoard = (r: Record<string, unknown>): CustomLeaderboard => ({
  id: String(r.id),
  title: String(r.title),
  base: String(r.base),
  window: String(r.window) as CustomLeaderboard['window'],
  entityIds: (r.entityIds as string[] | null) ?? [],
  createdAt: new Date(String(r.createdAt)).toISOString(),
  updatedAt: new Date(String(r.updatedAt)).toISOString(),
});

export class CustomLeaderboardStore {
  constructor(private readonly sql: Sql) {}

  async list(): Promise<CustomLeaderboard[]> {
    return (
      await this.sql.query<Record<string, unknown>>(`SELECT ${COLUMNS} FROM custom_leaderboards ORDER BY created_at, id LIMIT ${MAX_CUSTOM_LEADERBOARDS}`)
    ).map(toBoard);
  }

  async get(id: string): Promise<CustomLeaderboard | null> {
    const [row] = await this.sql.query<Record<string, unknown>>(`SELECT ${COLUMNS} FROM custom_leaderboards WHERE id = ?`, [id]);
    return row ? toBoard(row) : null;
  }

  /** Null when a board with this id exists already. */
  async create(b: Omit<CustomLeaderboard, 'createdAt' | 'updatedAt'>): Promise<CustomLeaderboard | null> {
    const [row] = await this.sql.query<Record<string, unknown>>(
      `INSERT INTO custom_leaderboards (id, title, base, time_window, entity_ids) VALUES (?, ?, ?, ?, ?::text[]) ON CONFLICT (id) DO NOTHING RETURNING ${COLUMNS}`,
      [b.id, b.title, b.base, b.window, toArray(b.entityIds)],
    );
    return row ? toBoard(row) : null;
  }

  /** Null when no board has this id. */
  async update(id: string, b: Omit<CustomLeaderboard, 'id' | 'createdAt' | 'updatedAt'>): Promise<CustomLeaderboard | null> {
    const [row] = await this.sql.query<Record<string, unknown>>(
      `UPDATE custom_leaderboards SET title = ?, base = ?, time_window = ?, entity_ids = ?::text[], updated_at = now() WHERE id = ? RETURNING ${COLUMNS}`,
      [b.title, b.base, b.window, toArray(b.entityIds), id],
    );
    return row ? toBoard(row) : null;
  }

  async remove(id: string): Promise<boolean> {
    return (await this.sql.query(`DELETE FROM custom_leaderboards WHERE id = ? RETURNING id`, [id])).length > 0;
  }
}

/** A Postgres text[] literal: the driver would expand a JS array into several parameters. */
function toArray(items: readonly string[]): string {
  return `{${items.map((s) => `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}
