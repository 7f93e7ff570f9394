/**
 * The fast passport sink: binary COPY into a per-connection staging table, id claims, then one INSERT … SELECT under
 * the passport lock, several batches in flight. Claims and locked inserts each run in call order, so ids commit in id
 * order across processes and a processor reading `id > cursor` never skips a row.
 *
 * A claim may wait for another transaction's claim of the same id; a JSON/Sql sink (an upgrade's mixed fleet) claims
 * under the lock, which could close a cycle Postgres cannot see: `lock_timeout` (5 s) ends it and the batch retries.
 *
 * Batches under `copyMinEvents` skip the COPY: one statement (sinks.ts `insertSql`). A live server's batches are small,
 * and four round trips cost 1.4–4× the CPU of one statement (`npm run bench:passport-flush`).
 */
import pg from 'pg';
import type { Logger } from 'pino';
import { from as copyFrom } from 'pg-copy-streams';
import type { PassportEvent } from '../../systems/passport/events.js';
import { CopyEncoder, STAGE_COLUMNS } from './copyEncoding.js';
import {
  CLAIM_CONFLICT,
  DEAD_LETTER_SQL,
  ENTRY_COLUMNS,
  idsOf,
  insertSql,
  PASSPORT_INSERT_LOCK,
  STORED_IDS,
  storedIds,
  toRowsJson,
  type PassportSink,
} from './sinks.js';

const CREATE_STAGE = `CREATE TEMP TABLE IF NOT EXISTS passport_stage (
  n int4, e uuid, t text, c text, u uuid, s text, d text, o timestamptz, r timestamptz, et text, ei text, p jsonb, src text
) ON COMMIT DELETE ROWS`;

/** A wait for a lock or another claim longer than this fails the batch, which is retried (see above). */
const LOCK_TIMEOUT_MS = 5000;

const COPY_STAGE = `COPY passport_stage (${STAGE_COLUMNS}) FROM STDIN (FORMAT binary)`;

/**
 * Claims staged ids in id order (two claimers never wait on each other in a cycle), drops staged duplicates, and
 * answers the ids an earlier attempt of the same flight claimed (CLAIM_CONFLICT).
 */
const CLAIM_STAGED = `WITH claimed AS (
    INSERT INTO passport_event_ids (event_id, received_at, flight_id) SELECT s.e, s.r, $1::uuid FROM passport_stage s ORDER BY s.e
    ${CLAIM_CONFLICT}),
  gone AS (DELETE FROM passport_stage s WHERE NOT EXISTS (SELECT 1 FROM claimed f WHERE f.event_id = s.e AND f.fresh))
  ${idsOf('claimed WHERE NOT fresh')}`;

/** The insert from the staging table; the lock CTE comes first (see insertSql in sinks.ts). */
const INSERT_FROM_STAGE = `WITH lock AS MATERIALIZED (SELECT pg_advisory_xact_lock(${PASSPORT_INSERT_LOCK}) AS held),
  ins AS (
    INSERT INTO passport_entries (${ENTRY_COLUMNS})
    SELECT x.e, x.t, x.c, x.u, x.s, x.d, x.o, x.r, x.et, x.ei, COALESCE(x.p, '{}'::jsonb), x.src
    FROM lock CROSS JOIN passport_stage x
    ORDER BY x.n
    RETURNING event_id)
  ${STORED_IDS}`;
const INSERT_AND_COMMIT = `${INSERT_FROM_STAGE};\nCOMMIT`;

export interface CopySinkOptions {
  url: string;
  log: Logger;
  /** A statement running longer fails and is retried (a hung connection must not stall the log): PASSPORT_QUERY_TIMEOUT_MS. */
  queryTimeoutMs: number;
  /** Batches in flight at once, one pooled connection each (PASSPORT_FLUSH_CONCURRENCY). */
  concurrency: number;
  /** Batches with fewer events go in one JSON statement instead of the COPY (PASSPORT_COPY_MIN_EVENTS); 0 = always COPY. */
  copyMinEvents: number;
}

/** The one-statement insert of a small batch (the rows as one JSON parameter). */
const SMALL_BATCH_INSERT = insertSql('$1', '$2');

/** The COPY sink. Close it after `writer.stop()`. */
export function createCopySink(options: CopySinkOptions): PassportSink & { close(): Promise<void> } {
  const { concurrency, queryTimeoutMs, copyMinEvents } = options;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`copy sink concurrency must be a positive integer, got ${concurrency}`);
  if (!Number.isInteger(copyMinEvents) || copyMinEvents < 0) throw new Error(`copy sink copyMinEvents must be a non-negative integer, got ${copyMinEvents}`);
  const pool = new pg.Pool({
    connectionString: options.url,
    max: concurrency,
    idleTimeoutMillis: 30_000,
    query_timeout: queryTimeoutMs,
    // The COPY has no client-side timeout: the server ends a statement that hangs.
    statement_timeout: queryTimeoutMs,
    // The small-batch statement claims under the lock (see above); the COPY batches also SET LOCAL it.
    lock_timeout: LOCK_TIMEOUT_MS,
    application_name: 'passport-writer',
  });
  pool.on('error', (err) => options.log.warn({ err: err.message }, 'passport sink connection lost; the next flush reconnects'));
  pool.on('connect', (client) => client.on('error', (err) => options.log.debug({ err: err.message }, 'passport sink connection error')));
  // Per connection: its encoder (a reused buffer) and whether its staging table exists.
  const encoders = new WeakMap<pg.PoolClient, CopyEncoder>();
  // Settles once the previous batch committed (or failed): the locked statements run in call order.
  let turn: Promise<void> = Promise.resolve();
  // Settles once the previous batch claimed its ids (or failed): claims run in call order too.
  let claimTurn: Promise<void> = Promise.resolve();

  async function insert(events: readonly PassportEvent[], flightId: string | null = null): Promise<readonly string[]> {
    return events.length < copyMinEvents ? insertSmall(events, flightId) : insertByCopy(events, flightId);
  }

  /** One statement after every earlier batch committed; later batches claim once it has. */
  async function insertSmall(events: readonly PassportEvent[], flightId: string | null): Promise<readonly string[]> {
    const previous = turn;
    const previousClaim = claimTurn;
    let done!: () => void;
    const mine = new Promise<void>((resolve) => (done = resolve));
    turn = mine;
    claimTurn = mine;
    try {
      const rowsJson = toRowsJson(events);
      await previousClaim;
      await previous;
      // pool.query releases a failed connection with the error, so a dead one is never reused.
      const result = await pool.query<{ ids: string }>(SMALL_BATCH_INSERT, [rowsJson, flightId]);
      return storedIds(result.rows[0]);
    } finally {
      done();
    }
  }

  async function insertByCopy(events: readonly PassportEvent[], flightId: string | null): Promise<readonly string[]> {
    const previous = turn;
    const previousClaim = claimTurn;
    let myTurnDone!: () => void;
    let myClaimDone!: () => void;
    turn = new Promise<void>((resolve) => (myTurnDone = resolve));
    claimTurn = new Promise<void>((resolve) => (myClaimDone = resolve));
    let client: pg.PoolClient | undefined;
    let broken: Error | undefined;
    try {
      client = await pool.connect();
      let encoder = encoders.get(client);
      if (!encoder) {
        await client.query(CREATE_STAGE);
        encoder = new CopyEncoder();
        encoders.set(client, encoder);
      }
      const { data, rows } = encoder.encode(events);
      await client.query(`BEGIN; SET LOCAL lock_timeout = ${LOCK_TIMEOUT_MS}`);
      let earlier: readonly string[] = [];
      if (rows > 0) {
        await copy(client, data);
        await previousClaim;
        earlier = storedIds((await client.query<{ ids: string }>({ name: 'passport_claim_staged', text: CLAIM_STAGED, values: [flightId] })).rows[0]);
      }
      myClaimDone();
      await previous;
      if (rows === 0) {
        await client.query('COMMIT');
        return [];
      }
      // Insert and commit in one round trip (a simple query stops at the first error; the catch rolls back).
      const results = (await client.query(INSERT_AND_COMMIT)) as unknown as Array<pg.QueryResult<{ ids: string }>>;
      const inserted = storedIds(results[0]?.rows[0]);
      return earlier.length === 0 ? inserted : [...earlier, ...inserted];
    } catch (err) {
      if (client) await client.query('ROLLBACK').catch((rollbackErr: Error) => (broken = rollbackErr));
      throw err;
    } finally {
      myClaimDone();
      myTurnDone();
      // A connection that failed to roll back is destroyed, never reused.
      client?.release(broken);
    }
  }

  return {
    concurrency,
    insert,
    deadLetter: async (eventId, eventJson, error) => {
      await pool.query(DEAD_LETTER_SQL(['$1', '$2', '$3']), [eventId, eventJson, error]);
    },
    close: () => pool.end(),
  };
}

/** Streams one COPY payload; resolves when Postgres has taken it all. */
function copy(client: pg.PoolClient, data: Buffer): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const stream = client.query(copyFrom(COPY_STAGE));
    stream.on('error', reject);
    stream.on('finish', resolve);
    stream.end(data);
  });
}
