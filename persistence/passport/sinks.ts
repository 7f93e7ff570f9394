/**
 * How a batch of passport events reaches Postgres: ONE statement per batch,
 * `INSERT ... SELECT FROM jsonb_to_recordset($json) ON CONFLICT (event_id) DO NOTHING`, which first
 * takes the transaction-scoped advisory lock {@link PASSPORT_INSERT_LOCK}. The lock makes passport
 * ids commit in id order across every writer process, so a processor reading `id > cursor` never
 * skips a row that commits later with a smaller id.
 *
 * Two sinks: {@link createPgSink} (a dedicated pg connection, real bind parameters; the fast path)
 * and {@link sqlSink} (through MikroORM's `Sql`, which inlines the JSON as an escaped literal; about
 * 40% slower, fine for tests and small deployments).
 */
import pg from 'pg';
import type { Logger } from 'pino';
import type { Sql } from '../db.js';
import type { PassportEvent } from '../../systems/passport/events.js';
import { isDataError } from './errors.js';

/** Where the writer sends batches. */
export interface PassportSink {
  /** Inserts the rows in one transaction; resolves to how many were new (the rest were duplicates). */
  insert(rowsJson: string): Promise<number>;
  /** Keeps an event Postgres refused even alone, with the reason. */
  deadLetter(eventId: string | null, eventJson: string, error: string): Promise<void>;
}

/** Advisory lock key serialising passport inserts (ASCII "PASSPORT" folded into a bigint). */
export const PASSPORT_INSERT_LOCK = 5_063_719_304_225_877n;

const COLUMNS = 'event_id, event_type, event_category, user_id, session_id, device_id, occurred_at, received_at, entity_type, entity_id, payload, source';

/**
 * The insert, with `param` where the one parameter goes (`$1` for pg, `?` for MikroORM). One
 * statement, no explicit transaction: the lock CTE is joined into every source row, so it is taken
 * before any identity value is drawn and held until the statement's implicit transaction commits.
 */
function insertSql(param: string): string {
  return `WITH lock AS MATERIALIZED (SELECT pg_advisory_xact_lock(${PASSPORT_INSERT_LOCK}) AS held),
  ins AS (
    INSERT INTO passport_entries (${COLUMNS})
    SELECT r.e, r.t, r.c, r.u, r.s, r.d, to_timestamp(r.o / 1000.0), to_timestamp(r.r / 1000.0), r.et, r.ei, COALESCE(r.p, '{}'::jsonb), r.src
    FROM lock CROSS JOIN jsonb_to_recordset(${param}::jsonb) AS r(e uuid, t text, c text, u uuid, s text, d text, o float8, r float8, et text, ei text, p jsonb, src text)
    ON CONFLICT (event_id) DO NOTHING
    RETURNING 1)
  SELECT count(*)::int AS n FROM ins`;
}

/** Compact row shape for the JSON parameter (short keys, times as ms: less to serialise and parse; Postgres makes them timestamps). */
export function toRowsJson(events: readonly PassportEvent[]): string {
  return JSON.stringify(
    events.map((e) => ({
      e: e.eventId,
      t: e.eventType,
      c: e.eventCategory,
      u: e.userId,
      s: e.sessionId,
      d: e.deviceId,
      o: e.occurredAt,
      r: e.receivedAt,
      et: e.entityType,
      ei: e.entityId,
      p: e.payload,
      src: e.source,
    })),
  );
}

const DEAD_LETTER_SQL = (p: [string, string, string]) => `INSERT INTO passport_dead_letters (event_id, event_json, error) VALUES (${p[0]}, ${p[1]}, ${p[2]})`;

/**
 * A sink over MikroORM's `Sql` (shares the ORM pool). A single statement on purpose: a MikroORM/Kysely
 * transaction whose connection dies leaks that pooled connection (Kysely skips release when ROLLBACK fails).
 */
export function sqlSink(sql: Sql): PassportSink {
  const insert = insertSql('?');
  return {
    insert: async (rowsJson) => {
      const [row] = await sql.query<{ n: number }>(insert, [rowsJson]);
      return Number(row?.n ?? 0);
    },
    deadLetter: async (eventId, eventJson, error) => {
      await sql.query(DEAD_LETTER_SQL(['?', '?', '?']), [eventId, eventJson, error]);
    },
  };
}

export interface PgSinkOptions {
  url: string;
  log: Logger;
  /** A statement running longer fails and is retried (a hung connection must not stall the log). Default 30 s. */
  queryTimeoutMs?: number;
  /** Shown in pg_stat_activity. */
  applicationName?: string;
}

/** A sink on its own single pg connection with bind parameters: the fast path. Close it after `writer.stop()`. */
export function createPgSink(options: PgSinkOptions): PassportSink & { close(): Promise<void> } {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: 1, // the writer runs one flush at a time
    idleTimeoutMillis: 30_000,
    query_timeout: options.queryTimeoutMs ?? 30_000,
    application_name: options.applicationName ?? 'passport-writer',
  });
  // An idle connection killed by the server must not become an unhandled 'error' event.
  pool.on('error', (err) => options.log.warn({ err: err.message }, 'passport sink connection lost; the next flush reconnects'));
  // A connection killed while checked out emits 'error' on the client too; the failed query reports it.
  pool.on('connect', (client) => client.on('error', (err) => options.log.debug({ err: err.message }, 'passport sink connection error')));
  const insert = insertSql('$1');
  return {
    // pool.query releases a failed connection with the error, so a dead one is never reused.
    insert: async (rowsJson) => Number((await pool.query<{ n: number }>(insert, [rowsJson])).rows[0]?.n ?? 0),
    deadLetter: async (eventId, eventJson, error) => {
      await pool.query(DEAD_LETTER_SQL(['$1', '$2', '$3']), [eventId, eventJson, error]);
    },
    close: () => pool.end(),
  };
}

/**
 * Inserts a batch; on a data error (Postgres refused the rows themselves) splits it until the offending
 * events are isolated, dead-letters those and stores the rest. `whileInFlight` runs once the first
 * insert is under way. Other errors (connection, timeout) are thrown: the writer retries the batch.
 */
export async function insertIsolating(sink: PassportSink, batch: PassportEvent[], json: string | undefined, log: Logger, whileInFlight?: () => void): Promise<{ inserted: number; dead: number }> {
  try {
    const pending = sink.insert(json ?? toRowsJson(batch));
    whileInFlight?.();
    return { inserted: await pending, dead: 0 };
  } catch (err) {
    if (!isDataError(err)) throw err;
    if (batch.length === 1) {
      const event = batch[0];
      const message = (err as Error).message;
      await sink.deadLetter(typeof event?.eventId === 'string' ? event.eventId : null, JSON.stringify(event), message);
      log.error({ eventId: event?.eventId, eventType: event?.eventType, err: message }, 'Postgres refused a passport event; kept in passport_dead_letters');
      return { inserted: 0, dead: 1 };
    }
    const mid = batch.length >> 1;
    const a = await insertIsolating(sink, batch.slice(0, mid), undefined, log);
    const b = await insertIsolating(sink, batch.slice(mid), undefined, log);
    return { inserted: a.inserted + b.inserted, dead: a.dead + b.dead };
  }
}
