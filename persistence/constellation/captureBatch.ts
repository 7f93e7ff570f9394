/**
 * The captures of every session room of this process, gathered into one statement per flush: the
 * multi-row form of captureStatement.ts, each capture's star, lines, badges and outbox events committed
 * together, and its caller answered after that commit. One statement per capture was the largest share
 * of a load run's statements after the recomputes.
 */
import type { Sql } from '../db.js';
import { StatementBatch } from '../statementBatch.js';
import { sqlStateOf } from '../passport/errors.js';
import { CAPTURE_WITH_PASSPORT_SQL, passportRowsOf, STAR_COLUMNS } from './captureStatement.js';

/** One capture as a row of the statement's input: user, artist, position, time, path, session, op id, lines, badges, events. */
export interface CaptureParams {
  u: string;
  a: string;
  x: number;
  y: number;
  z: number;
  t: Date;
  p: readonly string[];
  s: string | null;
  o: string | null;
  c: ReadonlyArray<{ f: string; t: string; s: number; k: string }>;
  b: readonly string[];
  /** The passport rows (captureStatement.ts's {@link passportRowsOf}). */
  e: ReturnType<typeof passportRowsOf>;
}

/** What the capture statement answers, per capture. */
export interface CaptureRow {
  /** The star inserted (its columns), null when the user already had it. */
  star: unknown;
  connections: number;
  badges: string[];
  before: number;
  logged: string[];
}

/** Longest a capture waits for its statement to start: a capture is rare per session, so 10 ms gathers ≈ 0.6 statements per capture instead of 1. */
const CAPTURE_BATCH_MS = 10;
/** Captures per statement. */
const CAPTURE_BATCH_MAX = 200;
/** Captures waiting at most: past it the database is far behind and a capture fails rather than queue without bound. */
const CAPTURE_BATCH_WAITING = 20_000;

/**
 * Each capture's rows join it by user: a statement holds one capture per user (two of one user go in statements one
 * after the other, so the second counts the first star, as two single statements would). Per-row subplans over the
 * CTEs are avoided: Postgres guesses 100 rows per recordset, and a plan estimated past `jit_above_cost` was compiled
 * on every call (3.5 s a statement); this one is estimated at ≈ 4,400 whatever the batch size.
 */
const CAPTURES_SQL = `WITH input AS MATERIALIZED (
    SELECT * FROM jsonb_to_recordset(?::jsonb) AS r(i int, u uuid, a text, x float8, y float8, z float8, t timestamptz, p jsonb, s text, o text,
      c jsonb, b jsonb, e jsonb)),
  star AS (
    INSERT INTO constellation_stars (user_id, artist_id, x, y, z, captured_at, discovery_path, session_id, op_id)
    SELECT u, a, x, y, z, t, p, s, o FROM input ORDER BY i
    ON CONFLICT (user_id, artist_id) DO NOTHING
    RETURNING user_id, ${STAR_COLUMNS}),
  conns AS (
    INSERT INTO constellation_connections (user_id, from_artist_id, to_artist_id, strength, connection_type, created_at)
    SELECT n.u, c.f, c.t, c.s, c.k, n.t FROM input n JOIN star ON star.user_id = n.u
    CROSS JOIN LATERAL jsonb_to_recordset(n.c) AS c(f text, t text, s float8, k text)
    ON CONFLICT DO NOTHING RETURNING user_id),
  awarded AS (
    INSERT INTO user_badges (user_id, badge, earned_at)
    SELECT n.u, b.badge, n.t FROM input n JOIN star ON star.user_id = n.u CROSS JOIN LATERAL jsonb_array_elements_text(n.b) AS b(badge)
    ON CONFLICT (user_id, badge) DO NOTHING RETURNING user_id, badge),
  counted AS (SELECT n.u, (SELECT count(*)::int FROM constellation_stars cs WHERE cs.user_id = n.u) AS n FROM input n),
  outboxed AS (
    INSERT INTO passport_outbox (event_id, event)
    SELECT r.e, CASE WHEN r.k THEN jsonb_set(r.v, '{payload,totalStars}', to_jsonb(cn.n + 1)) ELSE r.v END
    FROM input n JOIN star ON star.user_id = n.u JOIN counted cn ON cn.u = n.u
    CROSS JOIN LATERAL jsonb_to_recordset(n.e) AS r(e uuid, v jsonb, b text, k boolean)
    LEFT JOIN awarded w ON w.user_id = n.u AND w.badge = r.b
    WHERE r.b IS NULL OR w.badge IS NOT NULL
    ON CONFLICT (event_id) DO NOTHING
    RETURNING event_id),
  lines AS (SELECT user_id, count(*)::int AS n FROM conns GROUP BY user_id),
  earned AS (SELECT user_id, json_agg(badge) AS badges FROM awarded GROUP BY user_id)
  SELECT n.i,
    (SELECT row_to_json(st) FROM (SELECT ${STAR_COLUMNS} FROM star WHERE star.user_id = n.u) st) AS star,
    coalesce(l.n, 0) AS connections,
    coalesce(e.badges, '[]'::json) AS badges,
    cn.n AS before,
    CASE WHEN n.i = (SELECT min(i) FROM input) THEN (SELECT coalesce(array_agg(event_id::text), '{}') FROM outboxed) ELSE '{}' END AS logged
  FROM input n JOIN counted cn ON cn.u = n.u LEFT JOIN lines l ON l.user_id = n.u LEFT JOIN earned e ON e.user_id = n.u
  ORDER BY n.i`;

/** {@link CAPTURE_WITH_PASSPORT_SQL}'s parameters for one capture. */
function singleParams(r: CaptureParams): unknown[] {
  return [r.u, r.a, r.x, r.y, r.z, r.t, JSON.stringify(r.p), r.s, r.o, r.u, r.t, JSON.stringify(r.c), r.u, r.t, JSON.stringify(r.b), r.u, JSON.stringify(r.e)];
}

/** Rounds in which each user appears once, in arrival order. */
function rounds(items: readonly CaptureParams[]): number[][] {
  const out: number[][] = [];
  const seen = new Map<string, number>(); // user → captures of it placed so far, the round of its next
  items.forEach((p, i) => {
    const r = seen.get(p.u) ?? 0;
    seen.set(p.u, r + 1);
    (out[r] ??= []).push(i);
  });
  return out;
}

/** A capture's row, or the error its statement failed with. */
type Outcome = { row: CaptureRow } | { error: unknown };

async function writeCaptures(sql: Sql, items: readonly CaptureParams[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = new Array(items.length);
  for (const round of rounds(items)) {
    if (round.length === 1) {
      outcomes[round[0]] = await single(sql, items[round[0]]);
      continue;
    }
    try {
      const rows = await sql.query<CaptureRow & { i: number }>(CAPTURES_SQL, [JSON.stringify(round.map((i) => ({ i, ...items[i] })))]);
      const logged = rows.flatMap((r) => r.logged); // every capture's events, on the first row: each caller keeps its own
      for (const { i, ...row } of rows) outcomes[i] = { row: { ...row, logged } };
    } catch (error) {
      // One capture the database refuses (an unknown artist or user) fails its statement: each again alone, so it fails by itself.
      if (sqlStateOf(error)?.startsWith('23')) for (const i of round) outcomes[i] = await single(sql, items[i]);
      else for (const i of round) outcomes[i] = { error };
    }
  }
  return outcomes;
}

function single(sql: Sql, params: CaptureParams): Promise<Outcome> {
  return captureOne(sql, params).then(
    (row) => ({ row }),
    (error: unknown) => ({ error }),
  );
}

/** One capture in its own statement (or in the caller's transaction `sql`). */
export async function captureOne(sql: Sql, params: CaptureParams): Promise<CaptureRow> {
  const [row] = await sql.query<CaptureRow>(CAPTURE_WITH_PASSPORT_SQL, singleParams(params));
  return row;
}

export class CaptureBatch {
  private readonly batch: StatementBatch<CaptureParams, Outcome>;

  constructor(sql: Sql) {
    this.batch = new StatementBatch({
      write: (items) => writeCaptures(sql, items),
      intervalMs: CAPTURE_BATCH_MS,
      maxItems: CAPTURE_BATCH_MAX,
      maxWaiting: CAPTURE_BATCH_WAITING,
    });
  }

  /** The capture's statement row, settled when the statement holding it commits. */
  async capture(params: CaptureParams): Promise<CaptureRow> {
    const outcome = await this.batch.add(params);
    if ('error' in outcome) throw outcome.error;
    return outcome.row;
  }
}
