/**
 * Checks on untrusted strings and parsed-JSON numbers, for the HTTP edge and room handlers. Postgres cannot hold NUL
 * and a lone surrogate cannot be UTF-8: either accepted at the edge fails later (INTERNAL, a dead-lettered row).
 * Paths are dotted (`events.3.payload.artistId`); the value itself is `(body)`.
 */
import type { ErrorDetail } from './errors.js';

/** As own keys they shadow methods code calls on plain objects. */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));

const NON_FINITE_MESSAGE = 'is a number too large for JSON to hold (it parsed as Infinity and would be stored as null); send a finite number or a string';
const NUL_MESSAGE = 'contains a NUL (\\u0000) character, which cannot be stored; remove it';
const SURROGATE_MESSAGE = 'contains an unpaired UTF-16 surrogate (e.g. \\ud800 without its pair); send well-formed Unicode';

/** null when it can be accepted. */
export function stringProblem(text: string): string | null {
  if (text.includes('\u0000')) return NUL_MESSAGE;
  // A native scan for lone surrogates (Node 20+).
  if (!(text as string & { isWellFormed(): boolean }).isWellFormed()) return SURROGATE_MESSAGE;
  return null;
}

/** No paths built: a clean value costs one pass; only a failing one is walked again by {@link walk} to name the field. */
function anyBad(value: unknown, badKey: (key: string) => boolean, badString: (text: string) => boolean, badNumber: (n: number) => boolean = never): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const current = stack.pop();
    if (typeof current === 'string') {
      if (badString(current)) return true;
    } else if (typeof current === 'number') {
      if (badNumber(current)) return true;
    } else if (Array.isArray(current)) {
      for (let i = 0; i < current.length; i++) stack.push(current[i]);
    } else if (current !== null && typeof current === 'object') {
      for (const key of Object.keys(current)) {
        if (badKey(key)) return true;
        stack.push((current as Record<string, unknown>)[key]);
      }
    }
  }
  return false;
}

const hasStringProblem = (text: string): boolean => stringProblem(text) !== null;
const never = (): boolean => false;

export function joinPath(parent: string, key: string | number): string {
  return parent ? `${parent}.${key}` : String(key);
}

type Visit = (key: string, value: unknown, path: string) => ErrorDetail | null;

/** Without recursion; returns the first problem `visit` reports. */
function walk(value: unknown, root: string, visit: Visit): ErrorDetail | null {
  // Pre-order: the first problem in document order is the one reported.
  const stack: Array<[string | null, unknown, string]> = [[null, value, root]];
  while (stack.length > 0) {
    const [key, current, path] = stack.pop()!;
    if (key !== null) {
      const problem = visit(key, current, path);
      if (problem) return problem;
    }
    if (current === null || typeof current !== 'object') continue;
    const entries: Array<[string, unknown]> = Array.isArray(current) ? current.map((v, i) => [String(i), v]) : Object.entries(current);
    for (let i = entries.length - 1; i >= 0; i--) stack.push([entries[i][0], entries[i][1], joinPath(path, entries[i][0])]);
  }
  return null;
}

/** A NUL or a lone surrogate in a value or key; `root` prefixes the paths (e.g. `payload`). */
export function findBadText(value: unknown, root = ''): ErrorDetail | null {
  if (!anyBad(value, hasStringProblem, hasStringProblem)) return null;
  if (typeof value === 'string') {
    const message = stringProblem(value);
    return message ? { field: root || '(body)', message } : null;
  }
  return walk(value, root, (key, child, path) => {
    const keyMessage = stringProblem(key);
    if (keyMessage) return { field: path, message: `has a key that ${keyMessage}` };
    const message = typeof child === 'string' ? stringProblem(child) : null;
    return message ? { field: path, message } : null;
  });
}

const nonFinite = (value: unknown): boolean => typeof value === 'number' && !Number.isFinite(value);

const badKey = (key: string): boolean => RESERVED_KEYS.has(key) || hasStringProblem(key);

/**
 * Unstorable text; a reserved key (`__proto__`, `constructor`, …: they break code that merges or inspects options); a number
 * beyond JSON's range (`JSON.parse('1e400')` gives Infinity, which `JSON.stringify` later writes as null: a client's value
 * silently changed). In that order; one pass over a clean body.
 */
export function findJsonProblem(value: unknown, root = ''): ErrorDetail | null {
  if (!anyBad(value, badKey, hasStringProblem, nonFinite)) return null;
  if (nonFinite(value)) return { field: root || '(body)', message: NON_FINITE_MESSAGE };
  return (
    findBadText(value, root) ??
    walk(value, root, (key, _child, path) =>
      RESERVED_KEYS.has(key) ? { field: path, message: `"${key}" is a reserved name (it shadows a built-in object member); rename the field` } : null,
    ) ??
    walk(value, root, (_key, child, path) => (nonFinite(child) ? { field: path, message: NON_FINITE_MESSAGE } : null))
  );
}

/** Counts brackets outside strings, so a hostile body is refused before any recursive parse sees it. */
export function jsonDepthExceeds(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** "a", "a and b", "a, b and c": how the pages and reports list words in a sentence. */
export const andList = (words: readonly string[]): string =>
  words.length > 1 ? `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}` : (words[0] ?? '');

/** The five markup characters as numeric references. */
export const escapeMarkup = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** NFC, whitespace runs as one space, trimmed: "Lagos " and a decomposed "Ìbàdàn" count once. Case is kept for display. */
export function normalizeCity(name: string): string {
  return name.normalize('NFC').replace(/\s+/g, ' ').trim();
}
