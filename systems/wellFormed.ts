/**
 * Text a client may send must survive Postgres and JSON round trips: no NUL (Postgres text refuses
 * it) and no lone UTF-16 surrogate (not encodable as UTF-8; jsonb refuses it).
 */
// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const NUL_OR_LONE_SURROGATE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `text` cannot be stored, or null when it can. */
export function textProblem(text: string): string | null {
  const match = NUL_OR_LONE_SURROGATE.exec(text);
  if (!match) return null;
  return match[0] === '\u0000' ? 'contains a NUL character (\\u0000); remove it' : 'contains a lone UTF-16 surrogate (not valid Unicode); send well-formed UTF-8';
}

/**
 * The first string (key or value) in a decoded JSON/msgpack value that cannot be stored, with its
 * field path (`a.b.0`), or null. Walks at most `maxNodes` nodes (then reports the value as too large).
 */
export function findBadText(value: unknown, maxNodes = 100_000): { field: string; message: string } | null {
  let budget = maxNodes;
  const walk = (v: unknown, path: string): { field: string; message: string } | null => {
    if (--budget < 0) return { field: path || '(value)', message: `has more than ${maxNodes} parts; send less` };
    if (typeof v === 'string') {
      const problem = textProblem(v);
      return problem ? { field: path || '(value)', message: problem } : null;
    }
    if (v === null || typeof v !== 'object') return null;
    const entries: Array<[string, unknown]> = Array.isArray(v) ? v.map((item, i) => [String(i), item]) : Object.entries(v);
    for (const [key, item] of entries) {
      const field = path ? `${path}.${key}` : key;
      const keyProblem = textProblem(key);
      if (keyProblem) return { field, message: `key ${keyProblem}` };
      const found = walk(item, field);
      if (found) return found;
    }
    return null;
  };
  return walk(value, '');
}
