import pg from 'pg';

/** Advisory-lock class of job locks (ASCII "JOBS"), so they never collide with other advisory locks. */
const JOB_LOCK_CLASS = 0x4a4f4253;

/** One advisory lock per job on a connection of its own that never idles out, so a crashed process releases its locks. */
export class JobLocks {
  private readonly pool: pg.Pool;

  constructor(url: string, onLost: (err: Error) => void) {
    this.pool = new pg.Pool({ connectionString: url, max: 1, idleTimeoutMillis: 0, application_name: 'job-scheduler' });
    this.pool.on('error', onLost);
  }

  /** Takes the job's lock if no process holds it; false when one does. */
  async tryLock(name: string): Promise<boolean> {
    const { rows } = await this.pool.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [JOB_LOCK_CLASS, name]);
    return rows[0]?.ok === true;
  }

  async unlock(name: string): Promise<void> {
    await this.pool.query('SELECT pg_advisory_unlock($1, hashtext($2))', [JOB_LOCK_CLASS, name]);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
