/**
 * The captures of every session room of this process, gathered into one statement per flush
 * (captureStatement.ts), each capture's star, lines, badges and outbox events committed together, with the lines
 * drawn on locks meanwhile, and each caller answered after that commit. One statement per capture was the largest share of a load run's
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

/** A line drawn on a lock (ConstellationRepository.connectOnLock): user, from, to, strength, kind, time. */
export interface LineParams {
  u: string;
  f: string;
  t: string;
  s: number;
  k: string;
  at: Date;
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

type Item = { capture: CaptureParams; line?: never } | { line: LineParams; capture?: never };
/** A capture's row, a line's answer (drawn or not), or the error its statement failed with. */
type Outcome = { row: CaptureRow } | { drawn: boolean } | { error: unknown };

/**
 * A user's capture and lock line may share a statement: the line joins stars the room already knew as stored, never the
 * capture beside it, so it reads the same stars either way (and a user's line arrives with that user's next capture).
 */
const keyOf = (item: Item): string => (item.capture ? `c${item.capture.u}` : `l${item.line.u}`);

async function writeItems(sql: Sql, items: readonly Item[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = new Array(items.length);
  for (const round of rounds(items, keyOf)) {
    try {
      for (const [i, outcome] of await statement(sql, round, items)) outcomes[i] = outcome;
    } catch (error) {
      // One capture the database refuses (an unknown artist or user) fails its statement: each again alone, so it fails by itself.
      if (sqlStateOf(error)?.startsWith('23'))
        for (const i of round)
          outcomes[i] = await statement(sql, [i], items).then(
            (alone) => alone.get(i)!,
            (error: unknown) => ({ error }),
          );
      else for (const i of round) outcomes[i] = { error };
    }
  }
  return outcomes;
}

/** The captures and lines `round` names (indexes into `items`, one of each per user) in one statement, by index. */
async function statement(sql: Sql, round: readonly number[], items: readonly Item[]): Promise<Map<number, Outcome>> {
  const captures = round.flatMap((i) => (items[i].capture ? [{ i, ...items[i].capture }] : []));
  const lines = round.flatMap((i) => (items[i].line ? [{ i, ...items[i].line }] : []));
  const rows = await sql.query<Omit<CaptureRow, 'logged'> & { i: number; logged: string | null }>(CAPTURES_SQL, [
    JSON.stringify(captures),
    JSON.stringify(lines),
  ]);
  const [linesRow, ...captureRows] = rows; // the lines' row (index -1) sorts first
  // Every capture's events, on the first capture's row as one comma-separated text (a text[] parses into far more garbage): each caller keeps its own.
  const logged = captureRows[0]?.logged?.split(',') ?? [];
  const out = new Map<number, Outcome>(captureRows.map(({ i, ...row }) => [i, { row: { ...row, logged } }]));
  const drawn = new Set(linesRow.logged?.split(',').map(Number));
  for (const { i } of lines) out.set(i, { drawn: drawn.has(i) });
  return out;
}

/** One capture alone (in the caller's transaction `sql`, or retried apart from a refused batch). */
export async function captureOne(sql: Sql, params: CaptureParams): Promise<CaptureRow> {
  return unwrap<{ row: CaptureRow }>((await statement(sql, [0], [{ capture: params }])).get(0)!).row;
}

function unwrap<T extends Outcome>(outcome: Outcome): T {
  if ('error' in outcome) throw outcome.error;
  return outcome as T;
}

export class CaptureBatch {
  private readonly batch: StatementBatch<Item, Outcome>;

  constructor(sql: Sql) {
    this.batch = new StatementBatch({
      write: (items) => writeItems(sql, items),
      intervalMs: CAPTURE_BATCH_MS,
      maxItems: CAPTURE_BATCH_MAX,
      maxWaiting: CAPTURE_BATCH_WAITING,
    });
  }

  /** The capture's statement row, settled when the statement holding it commits. */
  async capture(params: CaptureParams): Promise<CaptureRow> {
    return unwrap<{ row: CaptureRow }>(await this.batch.add({ capture: params })).row;
  }

  /** True when the statement holding the line drew it (both stars there, the pair not joined yet), settled at its commit. */
  async line(params: LineParams): Promise<boolean> {
    return unwrap<{ drawn: boolean }>(await this.batch.add({ line: params })).drawn;
  }
}
