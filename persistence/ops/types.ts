/** The DIA (admin) reads' port; the rows they answer are the console's views (./views.ts). */
import type { OpsActivityPage, OpsSystemCounts, OpsTimelinePage, OpsUser, OpsUserDetail, OpsUserPage } from './views.js';

export interface TimelineQuery {
  /** Cursor from a previous page (`nextCursor`). */
  before?: string;
  /** 1–200; default 50. */
  limit?: number;
  /** Only these event types. */
  types?: string[];
}

/** The DIA reads; persistence/ops/OpsRepository implements it over Postgres. */
export interface DiaReader {
  findUsers(query: string, limit?: number): Promise<OpsUser[]>;
  /** Every user, most recently seen first, a page at a time. */
  listUsers(query: { before?: string; limit?: number }): Promise<OpsUserPage>;
  userDetail(userId: string): Promise<OpsUserDetail | null>;
  timeline(userId: string, query: TimelineQuery): Promise<OpsTimelinePage>;
  /** Events of the user that arrived after passport id `after` (null: the newest), within `windowSec` of `nowMs` by event time. */
  activity(userId: string, query: { after: string | null; limit: number; windowSec: number; nowMs: number }): Promise<OpsActivityPage>;
  systemCounts(nowMs: number): Promise<OpsSystemCounts>;
}
