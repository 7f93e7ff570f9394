/**
 * A told top recommendation as one statement: the settings row takes the new top, the inbox entry is written when
 * in-app is open, and pushes are queued unless the outbox is full. The tells of users without a settings row (a
 * recompute window's first tells arrive together) share one statement per flush; a tell over a row read first runs
 * alone, written only if that row is still the version read. The push outbox bound is read once per statement, so a
 * flush may pass it by its own pushes.
 */
import type { Sql } from '../db.js';
import { rounds, StatementBatch } from '../statementBatch.js';
import type { NewNotification } from './NotificationRepository.js';

/** What a tell statement answers. `told` false: the row was there (or changed), nothing was written, `current` is the row it saw. */
export interface TellOutcome {
  told: boolean;
  id: string | null;
  queued: number;
  devices: number;
  current: Record<string, unknown> | null;
}

/** Longest a first tell waits for the others of its recompute window (they arrive in one turn of the loop). */
const TELL_BATCH_MS = 10;
const TELL_BATCH_MAX = 200;
const TELL_BATCH_WAITING = 20_000;

/**
 * One row per tell (`i` its place), one tell per user. `onConflict` says when an existing settings row is written: never
 * (a first tell) or when it is still the version `v` the caller decided on.
 */
const tellsSql = (onConflict: string) => `WITH input AS MATERIALIZED (
    SELECT * FROM jsonb_to_recordset(?::jsonb) AS r(i int, u uuid, a text, at timestamptz, v text, type text, f uuid, s text, m text, ar text,
      title text, body text, link text, c timestamptz, inapp boolean, kinds text[])),
  told AS (
    INSERT INTO notification_settings AS s (user_id, last_top_artist_id, last_top_at, updated_at) SELECT u, a, at, at FROM input ORDER BY i
    ${onConflict}
    RETURNING s.user_id),
  entry AS (
    INSERT INTO notifications (user_id, type, from_user_id, share_id, message, artist_id, title, body, deep_link, created_at, read_at)
    SELECT n.u, n.type, n.f, n.s, n.m, n.ar, n.title, n.body, n.link, n.c, NULL FROM input n JOIN told t ON t.user_id = n.u WHERE n.inapp ORDER BY n.i
    RETURNING id, user_id),
  pushes AS (
    INSERT INTO push_outbox (device_id, notification_id, type, title, body, deep_link, due_at, created_at)
    SELECT d.id, e.id, n.type, n.title, n.body, n.link, n.c, n.c
    FROM input n JOIN told t ON t.user_id = n.u JOIN push_devices d ON d.user_id = n.u AND d.kind = ANY(n.kinds) LEFT JOIN entry e ON e.user_id = n.u
    WHERE (SELECT count(*) FROM push_outbox WHERE status = 'pending') < ?::int
    RETURNING device_id),
  queued AS (SELECT d.user_id, count(*)::int AS n FROM pushes p JOIN push_devices d ON d.id = p.device_id GROUP BY d.user_id)
SELECT n.i, t.user_id IS NOT NULL AS told, e.id::text AS id, coalesce(q.n, 0) AS queued,
  (SELECT count(*) FROM push_devices WHERE user_id = n.u AND kind = ANY(n.kinds))::int AS devices,
  CASE WHEN t.user_id IS NULL THEN (SELECT row_to_json(cur) FROM (SELECT *, xmin::text AS row_version FROM notification_settings WHERE user_id = n.u) cur) END
    AS current
FROM input n LEFT JOIN told t ON t.user_id = n.u LEFT JOIN entry e ON e.user_id = n.u LEFT JOIN queued q ON q.user_id = n.u
ORDER BY n.i`;

/** No row yet: a row written meanwhile is neither changed nor locked (DO NOTHING). */
const TELLS_IF_NEW = tellsSql('ON CONFLICT (user_id) DO NOTHING');
const TELL_IF_UNCHANGED = tellsSql(`ON CONFLICT (user_id) DO UPDATE SET last_top_artist_id = EXCLUDED.last_top_artist_id, last_top_at = EXCLUDED.last_top_at
    WHERE s.xmin::text = (SELECT v FROM input WHERE input.u = s.user_id)`);

interface Tell {
  artistId: string;
  at: Date;
  rowVersion: string | null;
  n: NewNotification;
}

const rowOf = ({ artistId, at, rowVersion, n }: Tell, i: number) => ({
  i,
  u: n.userId,
  a: artistId,
  at,
  v: rowVersion,
  type: n.type,
  f: n.fromUserId,
  s: n.shareId,
  m: n.message,
  ar: n.artistId,
  title: n.notice.title,
  body: n.notice.body,
  link: n.notice.deepLink,
  c: n.createdAt,
  inapp: n.inApp,
  kinds: n.pushKinds,
});

async function run(sql: Sql, text: string, tells: readonly Tell[], maxPendingPushes: number): Promise<TellOutcome[]> {
  const rows = await sql.query<TellOutcome & { i: number }>(text, [JSON.stringify(tells.map(rowOf)), maxPendingPushes]);
  return rows.map((r) => ({ told: r.told, id: r.id, queued: Number(r.queued), devices: Number(r.devices), current: r.current }));
}

/** A user's tells in rounds of one per user, in arrival order (a user's second waits for its first's statement). */
async function writeFirstTells(sql: Sql, tells: readonly Tell[], maxPendingPushes: number): Promise<TellOutcome[]> {
  const out: TellOutcome[] = new Array(tells.length);
  for (const round of rounds(tells, (t) => t.n.userId)) {
    const outcomes = await run(
      sql,
      TELLS_IF_NEW,
      round.map((i) => tells[i]),
      maxPendingPushes,
    );
    round.forEach((i, k) => (out[i] = outcomes[k]));
  }
  return out;
}

export class TopTells {
  private readonly batch: StatementBatch<Tell, TellOutcome>;

  constructor(
    private readonly sql: Sql,
    private readonly maxPendingPushes: number,
  ) {
    this.batch = new StatementBatch({
      write: (tells) => writeFirstTells(sql, tells, maxPendingPushes),
      intervalMs: TELL_BATCH_MS,
      maxItems: TELL_BATCH_MAX,
      maxWaiting: TELL_BATCH_WAITING,
    });
  }

  /** Written only if the user has no settings row (or `rowVersion` is still its version); settles after the commit. */
  async tell(artistId: string, at: Date, rowVersion: string | null, n: NewNotification): Promise<TellOutcome> {
    if (rowVersion === null) return this.batch.add({ artistId, at, rowVersion, n });
    const [outcome] = await run(this.sql, TELL_IF_UNCHANGED, [{ artistId, at, rowVersion, n }], this.maxPendingPushes);
    return outcome;
  }
}
