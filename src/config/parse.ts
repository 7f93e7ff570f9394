/** Typed readers of environment variables: each names the variable and the fix when a value is wrong. */
import { Cron } from 'croner';
import { ConfigError } from '../errors.js';

export type Env = Record<string, string | undefined>;

/** The facts docs/CONFIG.md is generated from. */
export interface ConfigRead {
  name: string;
  kind: 'integer' | 'number' | 'cron' | 'boolean' | 'choice' | 'url' | 'prefix' | 'secret' | 'text' | 'origins';
  /** undefined: unset means off or generated. */
  fallback?: string | number | boolean | null;
  range?: [number, number];
  allowed?: readonly string[];
}

let recording: ConfigRead[] | null = null;

/** Runs `read` (a loadConfig call) and returns every variable it read, in order. */
export function recordReads(read: () => unknown): ConfigRead[] {
  const reads: ConfigRead[] = [];
  recording = reads;
  try {
    read();
  } finally {
    recording = null;
  }
  return reads;
}

/** The variable's value, the read noted for the docs (only while {@link recordReads} runs); undefined when unset or empty. */
export function valueOf(env: Env, read: ConfigRead): string | undefined {
  recording?.push(read);
  return env[read.name] || undefined;
}

/** The fallback when unset or empty. */
export function text(env: Env, name: string, fallback: string): string {
  return valueOf(env, { name, kind: 'text', fallback }) ?? fallback;
}

/** undefined when unset or empty. */
export function optionalText(env: Env, name: string): string | undefined {
  return valueOf(env, { name, kind: 'text' });
}

/** What an integer and a decimal accept, and how a message names them; everything else about the two readers is the same. */
const NUMBER_SHAPES = { integer: [/^-?\d+$/, 'an integer', 'a whole number'], number: [/^-?\d+(\.\d+)?$/, 'a number', 'a number'] } as const;

function numeric(kind: keyof typeof NUMBER_SHAPES) {
  const [shape, is, fix] = NUMBER_SHAPES[kind];
  return (env: Env, name: string, fallback: number, min: number, max: number): number => {
    const raw = valueOf(env, { name, kind, fallback, range: [min, max] });
    if (raw === undefined) return fallback;
    if (!shape.test(raw.trim()))
      throw new ConfigError(name, `"${raw}" is not ${is}. Set ${name} to ${fix} between ${min} and ${max}, or unset it for ${fallback}.`);
    const value = Number(raw);
    if (value < min || value > max)
      throw new ConfigError(name, `${value} is out of range. Set ${name} between ${min} and ${max}, or unset it for ${fallback}.`);
    return value;
  };
}
export const int = numeric('integer');
export const float = numeric('number');

/** Checked by croner at boot. */
export function cron(env: Env, name: string, fallback: string): string | null {
  const raw = valueOf(env, { name, kind: 'cron', fallback })?.trim();
  if (!raw) return fallback;
  if (raw === 'off') return null;
  try {
    new Cron(raw, { paused: true, timezone: 'Etc/UTC' }).stop();
  } catch (err) {
    throw new ConfigError(
      name,
      `"${raw}" is not a cron pattern (${(err as Error).message}). Use 5 fields like "*/5 * * * *", 6 with seconds, or "off" (default "${fallback}").`,
    );
  }
  return raw;
}

export function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = valueOf(env, { name, kind: 'boolean', fallback });
  if (raw === undefined) return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(name, `"${raw}" is not a boolean. Set ${name} to true or false, or unset it for ${fallback}.`);
}

export function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = valueOf(env, { name, kind: 'choice', fallback, allowed });
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `"${raw}" is not allowed. Set ${name} to one of: ${allowed.join(', ')} (default ${fallback}).`);
  }
  return raw as T;
}

export function url(env: Env, name: string, protocols: string[]): string | undefined {
  const raw = valueOf(env, { name, kind: 'url', allowed: protocols });
  if (raw === undefined) return undefined;
  const parsed = URL.parse(raw);
  if (!parsed) throw new ConfigError(name, `"${redact(raw)}" is not a URL. Example: ${protocols[0]}//host:port/…`);
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `protocol ${parsed.protocol} is not supported. Use one of: ${protocols.join(', ')}`);
  }
  return raw;
}

/** One variable bounded by another: throws naming `name`, the other variable, why, and the fix. */
export function bounded(name: string, value: number, relation: '≥' | '>' | '≤', otherName: string, other: number, why: string): void {
  if (relation === '≥' ? value >= other : relation === '>' ? value > other : value <= other) return;
  const [is, fix, move] =
    relation === '≤'
      ? ['above', `to at most ${other}`, 'raise']
      : relation === '>'
        ? ['not above', `above ${other}`, 'lower']
        : ['below', `to at least ${other}`, 'lower'];
  throw new ConfigError(name, `${value} is ${is} ${otherName} (${other}): ${why}. Set it ${fix}, or ${move} ${otherName}.`);
}

export function redact(raw: string): string {
  return raw.replace(/\/\/([^:@/]+):([^@/]+)@/, '//$1:***@');
}

export function prefix(env: Env, name: string, fallback: string): string {
  const raw = valueOf(env, { name, kind: 'prefix', fallback });
  if (raw === undefined) return fallback;
  if (!/^[A-Za-z0-9:_-]{1,64}$/.test(raw))
    throw new ConfigError(name, `"${raw}" must be 1-64 characters of letters, digits, ':', '_' or '-' (default ${fallback}).`);
  return raw;
}

export function optionalString(env: Env, name: string, minLength = 1): string | undefined {
  const raw = valueOf(env, { name, kind: 'secret', range: [minLength, Infinity] });
  if (raw === undefined) return undefined;
  if (raw.length < minLength) {
    throw new ConfigError(name, `must be at least ${minLength} characters long. Generate one with: openssl rand -hex 24`);
  }
  return raw;
}
