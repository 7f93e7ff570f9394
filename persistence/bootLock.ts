import pg from 'pg';

/** Advisory lock key serialising boot-time schema and seed work across processes (ASCII "DSBOOT" as a number). */
export const BOOT_LOCK = 75_507_256_034_132n;

/**
 * Holds a Postgres advisory lock through `work`, so processes booting at once on an empty database migrate and
 * seed once (two raced `CREATE EXTENSION pg_trgm` and the second died).
 */
export async function withBootLock<T>(url: string, work: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: 'boot-lock' });
  await client.connect();
  // A connection Postgres drops while we wait must not become an unhandled 'error' event.
  client.on('error', () => undefined);
  try {
    await client.query('SELECT pg_advisory_lock($1)', [BOOT_LOCK.toString()]);
    return await work();
  } finally {
    // Closing the session releases the lock too; unlock first so a waiting process starts at once.
    await client.query('SELECT pg_advisory_unlock($1)', [BOOT_LOCK.toString()]).catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}
