/**
 * {@link Sql} as named prepared statements on the ORM's pool: planned once per connection, parameters apart from the
 * text. A call runs inlined (values quoted in by MikroORM) when it has no parameters, an array parameter or `??`; when
 * Postgres could not type a parameter or the text holds several commands (remembered as inline-only, logged once);
 * or past `maxNamed` texts.
 */

/** SQLSTATEs where the inlined form may succeed: 42P18 indeterminate datatype, 42P08 ambiguous parameter, 42725 ambiguous function, 42883 undefined function or operator, 0A000 cached plan changed its result type. */
const RETRY_INLINED = new Set(['42P18', '42P08', '42725', '42883', '0A000']);

/** Text with `$1…$n` for the `?` placeholders, or null when it uses `??` (an identifier, inlined). */
export function numberedPlaceholders(sql: string): string | null {
  let out = '';
  let from = 0;
  let n = 0;
  for (let at = sql.indexOf('?'); at !== -1; at = sql.indexOf('?', from)) {
    if (at > 0 && sql[at - 1] === '\\') {
      out += sql.slice(from, at - 1) + '?';
      from = at + 1;
    } else if (sql[at + 1] === '?') {
      return null;
    } else {
      out += `${sql.slice(from, at)}$${++n}`;
      from = at + 1;
    }
  }
  return out + sql.slice(from);
}

/** A statement without parameters runs as a simple query (it may hold several commands). */
export function parameterisable(params: readonly unknown[]): boolean {
  if (params.length === 0) return false;
  for (const p of params) if (Array.isArray(p) || p === undefined) return false;
  return true;
}

/** Whether a prepared statement's failure may not happen inlined (see the header); other errors are the statement's own. */
export function retryInlined(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (typeof e?.code !== 'string') return false;
  return RETRY_INLINED.has(e.code) || (e.code === '42601' && typeof e.message === 'string' && e.message.includes('multiple commands'));
}

export interface Prepared {
  /** Statement name for `pg` (one per distinct text) and its numbered text. */
  name: string;
  text: string;
}

/** Names for statement texts, bounded; remembers texts that must stay inlined. */
export class StatementNames {
  private readonly named = new Map<string, Prepared>();
  private readonly inlineOnly = new Set<string>();
  /** Names ever issued: never reused (a connection keeps what it prepared), and bounded by `maxNamed`. */
  private issued = 0;

  constructor(private readonly maxNamed: number) {}

  /** The prepared form of `sql`, or null when it runs inlined. */
  prepared(sql: string): Prepared | null {
    const known = this.named.get(sql);
    if (known) return known;
    if (this.inlineOnly.has(sql) || this.issued >= this.maxNamed) return null;
    const text = numberedPlaceholders(sql);
    if (text === null) {
      this.markInlineOnly(sql);
      return null;
    }
    const prepared = { name: `ds_${++this.issued}`, text };
    this.named.set(sql, prepared);
    return prepared;
  }

  /** From now on `sql` runs inlined; true the first time (log it once). */
  markInlineOnly(sql: string): boolean {
    if (this.inlineOnly.has(sql)) return false;
    if (this.inlineOnly.size < this.maxNamed) this.inlineOnly.add(sql);
    this.named.delete(sql);
    return true;
  }
}
