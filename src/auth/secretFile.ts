import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AuthConfig } from '../config/config.js';
import { ConfigError } from '../errors.js';
import type { Logger } from '../logger.js';

/**
 * AUTH_SECRET, else one generated on first boot into `secretFile` (mode 0600) and read back later, so tokens
 * survive restarts of the embedded single-process setup. (With REDIS_URL, config requires AUTH_SECRET.)
 */
export function resolveAuthSecret(auth: AuthConfig, log: Logger): string {
  if (auth.secret) return auth.secret;
  const { value, generated, file } = secretInFile(auth.secretFile, 'AUTH_SECRET_FILE', 'AUTH_SECRET');
  if (generated)
    log.warn({ file }, 'AUTH_SECRET is unset: generated an access-token key into the secret file (fine for one process; set AUTH_SECRET in production)');
  else log.info({ file }, 'access-token key read from the secret file');
  return value;
}

/**
 * ADMIN_TOKEN, else the one kept in ADMIN_TOKEN_FILE (`npm start` sets it so a laptop's /ops works out of the box),
 * else none (admin surfaces off). The log names the file, never the token.
 */
export function resolveAdminToken(config: { adminToken?: string; adminTokenFile?: string }, log: Logger): string | undefined {
  if (config.adminToken || !config.adminTokenFile) return config.adminToken;
  const { value, generated, file } = secretInFile(config.adminTokenFile, 'ADMIN_TOKEN_FILE', 'ADMIN_TOKEN');
  log.warn(
    { file },
    `ADMIN_TOKEN is unset: ${generated ? 'generated an admin token into' : 'using the admin token in'} this file (read it with: cat ${config.adminTokenFile}); set ADMIN_TOKEN in production`,
  );
  return value;
}

/** Generated (48 random bytes, base64url, mode 0600) when the file does not exist. */
function secretInFile(name: string, variable: string, direct: string): { value: string; generated: boolean; file: string } {
  const file = path.resolve(name);
  const existing = readSecret(file, variable, direct);
  if (existing !== null) return { value: existing, generated: false, file };
  // The file is private; its folder is not: `.data/` also holds the embedded PostgreSQL, whose server runs as
  // `postgres` when we are root and must reach it.
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  // Written to a private temp file, then linked into place: the link fails if another process got there first
  // (its secret wins), and nobody reads a half-written one.
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, `${secret}\n`, { mode: 0o600 });
  try {
    fs.linkSync(temp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return { value: readSecret(file, variable, direct) ?? secret, generated: false, file };
    throw err;
  } finally {
    fs.rmSync(temp, { force: true });
  }
  return { value: secret, generated: true, file };
}

function readSecret(file: string, variable: string, direct: string): string | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8').trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  if (text.length < 32) {
    throw new ConfigError(
      variable,
      `${file} holds a secret shorter than 32 characters. Delete the file to generate a new one (what the old one signed or opened stops working), or set ${direct}.`,
    );
  }
  return text;
}
