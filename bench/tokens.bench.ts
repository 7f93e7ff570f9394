/**
 * Access-token cost per join: jose signing and verifying an HS256 token with the raw
 * secret bytes (it imports the key again on every call; what features/auth/tokens.ts did before) against the
 * same with an HMAC CryptoKey imported once (what it does now), same run, same claims.
 *   npm run bench:tokens [-- rounds]
 * Benchmarks may not import src/ (README "Layout"), so the two key forms are built here the same way
 * AccessTokens builds them.
 */
import { jwtVerify, SignJWT } from 'jose';

const SECRET = 'bench-secret-'.padEnd(48, 'x');
const ISSUER = 'deepstream-realtime';
const AUDIENCE = 'deepstream-client';
const N = 5000;
const identity = { userId: '3f1c1b52-8d38-4f38-9d0b-2f7c0c9d1a11', deviceId: '4f1c1b52-8d38-4f38-9d0b-2f7c0c9d1a12' };
const rawKey = new TextEncoder().encode(SECRET);
const importedKey = await crypto.subtle.importKey('raw', rawKey, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);

async function round(key: Uint8Array | CryptoKey): Promise<void> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = await new SignJWT({ did: identity.deviceId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(identity.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + 900)
    .sign(key);
  await jwtVerify(jwt, key, { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE });
}

/** CPU µs per issue + verify over N rounds. */
async function measure(key: Uint8Array | CryptoKey): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < N; i++) await round(key);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / N;
}

const rounds = Number(process.argv[2] ?? 3);
await measure(rawKey); // warm-up
await measure(importedKey);
for (let r = 1; r <= rounds; r++) {
  const raw = await measure(rawKey);
  const imported = await measure(importedKey);
  process.stdout.write(
    `round ${r}: issue+verify CPU µs, raw key ${raw.toFixed(1)} · imported key ${imported.toFixed(1)} · ${(raw / imported).toFixed(2)}× less\n`,
  );
}
