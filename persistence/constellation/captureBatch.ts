/**
 * The captures of every session room of this process, gathered into one statement per flush
 * (captureStatement.ts), each capture's star, lines, badges and outbox events committed together, and its
 * caller answered after that commit. One statement per capture was the largest share of a load run's
 * statements after the recomputes.
 */
import type { Sql } from '../db.js';
import { rounds, StatementBatch } from '../statementBatch.js';
import { sqlStateOf } from '../passport/errors.js';
import { CAPTURES_SQL, passportRowsOf } from './captureStatement.js';

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
const CAPTURE_BATCH_MAX = 200;
/** Captures waiting at most: past it the database is far behind and a capture fails rather than queue without bound. */
const CAPTURE_BATCH_WAITING = 20_000;

/** A capture's row, or the error its statement failed with. */
type Outcome = { row: CaptureRow } | { error: unknown };

async function writeCaptures(sql: Sql, items: readonly CaptureParams[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = new Array(items.length);
  for (const round of rounds(items, (p) => p.u)) {
    try {
      for (const { i, ...row } of await statement(sql, round, items)) outcomes[i] = { row };
    } catch (error) {
      // One capture the database refuses (an unknown artist or user) fails its statement: each again alone, so it fails by itself.
      if (sqlStateOf(error)?.startsWith('23'))
        for (const i of round)
          outcomes[i] = await captureOne(sql, items[i]).then(
            (row) => ({ row }),
            (error: unknown) => ({ error }),
          );
      else for (const i of round) outcomes[i] = { error };
    }
  }
  return outcomes;
}

/** The captures `round` names (indexes into `items`, one per user) in one statement; each answer names its index `i`. */
async function statement(sql: Sql, round: readonly number[], items: readonly CaptureParams[]): Promise<Array<CaptureRow & { i: number }>> {
  const rows = await sql.query<Omit<CaptureRow, 'logged'> & { i: number; logged: string | null }>(CAPTURES_SQL, [
    JSON.stringify(round.map((i) => ({ i, ...items[i] }))),
  ]);
  // Every capture's events, on the first row as one comma-separated text (a text[] parses into far more garbage): each caller keeps its own.
  const logged = rows[0]?.logged?.split(',') ?? [];
  return rows.map((r) => ({ ...r, logged }));
}

/** One capture alone (in the caller's transaction `sql`, or retried apart from a refused batch). */
export async function captureOne(sql: Sql, params: CaptureParams): Promise<CaptureRow> {
  const [row] = await statement(sql, [0], [params]);
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
