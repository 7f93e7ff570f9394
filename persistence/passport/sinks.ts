/**
 * A passport batch reaches Postgres in ONE statement: take the advisory lock {@link PASSPORT_INSERT_LOCK}, claim each id
 * in `passport_event_ids`, insert only the new ones. The lock makes ids commit in id order across processes, so a
 * processor reading `id > cursor` never skips a row. The id table exists because a partitioned unique index must
 * include `received_at`, and a retry received later would pass it.
 *
 * Sinks: `createCopySink` (copySink.ts, production; with `copyMinEvents` past every batch, the benchmarks' one-statement
 * baseline) and {@link sqlSink} (through MikroORM, for tests and small deployments).
 */
import type { Logger } from 'pino';
import type { Sql } from '../db.js';
import type { PassportEvent } from '../../systems/passport/events.js';
import { isDataError } from './errors.js';

/** Where the writer sends batches. */
export interface PassportSink {
  /**
   * Resolves to the ids this call stored (the rest were duplicates); concurrent calls commit in call order. `flightId`
   * names the batch across retries: ids an earlier attempt claimed count as stored, so an ambiguous failure never hides
   * committed events from the live boards.
   */
  insert(events: readonly PassportEvent[], flightId?: string | null): Promise<readonly string[]>;
  /** Keeps an event Postgres refused even alone, with the reason. */
  deadLetter(eventId: string | null, eventJson: string, error: string): Promise<void>;
  /** Most inserts the writer may have in flight at once on this sink. Default 1. */
  readonly concurrency?: number;
}

/** Advisory lock key serialising passport inserts (ASCII "PASSPORT" folded into a bigint). */
export const PASSPORT_INSERT_LOCK = 5_063_719_304_225_877n;

export const ENTRY_COLUMNS =
  'event_id, event_type, event_category, user_id, session_id, device_id, occurred_at, received_at, entity_type, entity_id, payload, source';

/**
 * `param`/`flight` are the placeholders (`$1`/`$2` for pg, `?` for MikroORM). The lock CTE is joined into every
 * source row, so it is taken before any claim or identity draw and held to the implicit commit. Duplicates keep their
 * first occurrence.
 */
export function insertSql(param: string, flight: string): string {
  return `WITH lock AS MATERIALIZED (SELECT pg_advisory_xact_lock(${PASSPORT_INSERT_LOCK}) AS held),
  src AS MATERIALIZED (
    SELECT DISTINCT ON (r.e) r.* FROM lock CROSS JOIN ROWS FROM (jsonb_to_recordset(${param}::jsonb)
      AS (e uuid, t text, c text, u uuid, s text, d text, o float8, r float8, et text, ei text, p jsonb, src text)) WITH ORDINALITY AS r(e, t, c, u, s, d, o, r, et, ei, p, src, n)
    ORDER BY r.e, r.n),
  claimed AS (
    INSERT INTO passport_event_ids (event_id, received_at, flight_id) SELECT e, to_timestamp(r / 1000.0), ${flight}::uuid FROM src
    ${CLAIM_CONFLICT}),
  ins AS (
    INSERT INTO passport_entries (${ENTRY_COLUMNS})
    SELECT x.e, x.t, x.c, x.u, x.s, x.d, to_timestamp(x.o / 1000.0), to_timestamp(x.r / 1000.0), x.et, x.ei, COALESCE(x.p, '{}'::jsonb), x.src
    FROM src x JOIN claimed f ON f.event_id = x.e AND f.fresh
    ORDER BY x.n
    RETURNING event_id)
  ${idsOf('claimed WHERE NOT fresh', 'ins')}`;
}

/**
 * A duplicate unless the same flight claimed it (then `fresh` false). DO UPDATE, not a snapshot read: it waits for and
 * sees a claim whose commit was still in progress.
 */
export const CLAIM_CONFLICT = `ON CONFLICT (event_id) DO UPDATE SET flight_id = excluded.flight_id WHERE passport_event_ids.flight_id = excluded.flight_id
    RETURNING event_id, (xmax = 0) AS fresh`;

/**
 * The `event_id`s of the sources as one row's comma-separated text, not a text[]: pg parses an array character by
 * character, ≈ 12× its size in garbage per flush; one string and a split cost a fraction.
 */
export const idsOf = (...sources: string[]): string =>
  `SELECT concat_ws(',', ${sources.map((from) => `(SELECT string_agg(event_id::text, ',') FROM ${from})`).join(', ')}) AS ids`;

/** Ids of the rows an insert CTE named `ins` stored (one row whatever the batch size). */
export const STORED_IDS = idsOf('ins');

/** The ids out of the one row {@link idsOf} returns. */
export const storedIds = (row: { ids: string } | undefined): readonly string[] => (row?.ids ? row.ids.split(',') : []);

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

export const DEAD_LETTER_SQL = (p: [string, string, string]) =>
  `INSERT INTO passport_dead_letters (event_id, event_json, error) VALUES (${p[0]}, ${p[1]}, ${p[2]})`;

/** One statement on purpose: a MikroORM/Kysely transaction whose connection dies leaks it. */
export function sqlSink(sql: Sql): PassportSink {
  const insert = insertSql('?', '?');
  return {
    insert: async (events, flightId = null) => {
      const [row] = await sql.query<{ ids: string }>(insert, [toRowsJson(events), flightId]);
      return storedIds(row);
    },
    deadLetter: async (eventId, eventJson, error) => {
      await sql.query(DEAD_LETTER_SQL(['?', '?', '?']), [eventId, eventJson, error]);
    },
  };
}

/**
 * On a data error, splits the batch until the bad events are isolated, dead-letters those and stores the rest; other
 * errors are thrown for the writer to retry. `deadLettered` spans the batch's retries, so a dead event is never sent
 * again (without it, a flaky connection restarted the bisection and a drain timed out).
 */
export async function insertIsolating(
  sink: PassportSink,
  batch: PassportEvent[],
  log: Logger,
  flightId: string | null = null,
  deadLettered: Set<PassportEvent> = new Set(),
): Promise<{ stored: readonly string[]; dead: number }> {
  const pending = deadLettered.size === 0 ? batch : batch.filter((e) => !deadLettered.has(e));
  const known = batch.length - pending.length;
  if (pending.length === 0) return { stored: [], dead: known };
  try {
    return { stored: await sink.insert(pending, flightId), dead: known };
  } catch (err) {
    if (!isDataError(err)) throw err;
    if (pending.length === 1) {
      const event = pending[0];
      const message = (err as Error).message;
      await sink.deadLetter(typeof event?.eventId === 'string' ? event.eventId : null, JSON.stringify(event), message);
      deadLettered.add(event);
      log.error({ eventId: event?.eventId, eventType: event?.eventType, err: message }, 'Postgres refused a passport event; kept in passport_dead_letters');
      return { stored: [], dead: known + 1 };
    }
    const mid = pending.length >> 1;
    const a = await insertIsolating(sink, pending.slice(0, mid), log, flightId, deadLettered);
    const b = await insertIsolating(sink, pending.slice(mid), log, flightId, deadLettered);
    return { stored: [...a.stored, ...b.stored], dead: known + a.dead + b.dead };
  }
}
