/**
 * What a run costs in Postgres: the database's committed and rolled-back transactions (pg_stat_database) read at
 * the start and at the end of the steady window. Every statement outside a transaction is one, so on the hot paths
 * this counts statements; the report divides by the active sessions and the window (statements per active
 * session-second, which should not grow with sessions). The jobs process shares the database and is counted too.
 */
import pg from 'pg';

export interface PostgresSummary {
  available: boolean;
  reason?: string;
  transactions?: number;
  perSec?: number;
  /** Transactions ÷ (active sessions × window seconds). */
  perActiveSessionSecond?: number | null;
}

const READ = `SELECT (xact_commit + xact_rollback)::text AS n FROM pg_stat_database WHERE datname = current_database()`;

export class PostgresSampler {
  private start: number | null = null;
  private end: number | null = null;
  private failure: string | undefined;

  constructor(private readonly databaseUrl: string) {}

  markStart(): Promise<void> {
    return this.read().then((n) => void (this.start = n));
  }

  markEnd(): Promise<void> {
    return this.read().then((n) => void (this.end = n));
  }

  summarize(windowSec: number, activeSessions: number): PostgresSummary {
    if (this.start === null || this.end === null) return { available: false, reason: this.failure ?? 'the window was not read' };
    const transactions = this.end - this.start;
    const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;
    return {
      available: true,
      transactions,
      perSec: round(transactions / windowSec, 1),
      perActiveSessionSecond: activeSessions > 0 ? round(transactions / activeSessions / windowSec, 4) : null,
    };
  }

  /** The counter, or null (the reason kept) when Postgres could not be read. */
  private async read(): Promise<number | null> {
    const client = new pg.Client({ connectionString: this.databaseUrl });
    try {
      await client.connect();
      // Statistics reach pg_stat_database within a second of a commit; the read's own transaction is one more.
      const { rows } = await client.query<{ n: string }>(READ);
      return Number(rows[0]?.n ?? NaN);
    } catch (err) {
      this.failure = (err as Error).message;
      return null;
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}
