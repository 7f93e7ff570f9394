import { ConfigError } from '../errors.js';
import { optionalString, url, type Env } from './parse.js';

/** A password pasted into a URL breaks it on `@ : / ? # %`, so deployments keep it in DATABASE_PASSWORD. */
export function databaseUrl(env: Env): string | undefined {
  /**
   * Postgres URL; unset = embedded PostgreSQL in `EMBEDDED_PG_DIR` (`.data/postgres`) on `EMBEDDED_PG_PORT` (54329)
   * @default unset: an embedded PostgreSQL in EMBEDDED_PG_DIR on EMBEDDED_PG_PORT
   */
  const raw = url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  /**
   * the Postgres password, kept out of `DATABASE_URL` (which then names a user and no password): any character works, percent-encoded at boot
   * @default unset: the password, if any, is in DATABASE_URL
   */
  const password = optionalString(env, 'DATABASE_PASSWORD');
  if (password === undefined) return raw;
  if (raw === undefined)
    throw new ConfigError(
      'DATABASE_PASSWORD',
      'is set but DATABASE_URL is not. Set DATABASE_URL without a password (postgres://user@host:5432/db), or unset DATABASE_PASSWORD for the embedded database.',
    );
  const parsed = new URL(raw);
  if (parsed.password !== '')
    throw new ConfigError(
      'DATABASE_PASSWORD',
      'is set and DATABASE_URL holds a password too. Remove the password from DATABASE_URL (postgres://user@host:5432/db) and keep it in DATABASE_PASSWORD only.',
    );
  if (parsed.username === '')
    throw new ConfigError('DATABASE_URL', 'names no user, so DATABASE_PASSWORD has none to go with. Example: postgres://postgres@host:5432/deepstream');
  // The drivers (pg, MikroORM) decode the URL's password with decodeURIComponent.
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}
