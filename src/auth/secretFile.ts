import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AuthConfig } from '../config/config.js';
import { ConfigError } from '../errors.js';
import type { Logger } from '../logger.js';

/**
 * The access-token key: AUTH_SECRET when set; otherwise the one generated on the first boot into
 * `secretFile` (48 random bytes, base64url, mode 0600) and read back on later boots, so tokens
 * survive restarts of the embedded single-process setup. (With REDIS_URL, config requires AUTH_SECRET.)
 */
export function resolveAuthSecret(auth: AuthConfig, log: Logger): string {
  if (auth.secret) return auth.secret;
  const file = path.resolve(auth.secretFile);
  const existing = readSecret(file);
  if (existing !== null) {
    log.info({ file }, 'access-token key read from the secret file');
    return existing;
  }
  // The file is private (0600); its folder is not: `.data/` also holds the embedded PostgreSQL, whose
  // server runs as the `postgres` user when we are root and must be able to reach it.
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  // Written whole to a private temp file, then linked into place: the link fails if another process
  // got there first (then its key wins), and nobody ever reads a half-written key.
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, `${secret}\n`, { mode: 0o600 });
  try {
    fs.linkSync(temp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return readSecret(file) ?? secret;
    throw err;
  } finally {
    fs.rmSync(temp, { force: true });
  }
  log.warn({ file }, 'AUTH_SECRET is unset: generated an access-token key into the secret file (fine for one process; set AUTH_SECRET in production)');
  return secret;
}

function readSecret(file: string): string | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8').trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  if (text.length < 32) {
    throw new ConfigError('AUTH_SECRET_FILE', `${file} holds a key shorter than 32 characters. Delete the file to generate a new one (every issued token becomes invalid), or set AUTH_SECRET.`);
  }
  return text;
}
