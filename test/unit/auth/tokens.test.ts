import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { SignJWT, decodeJwt, decodeProtectedHeader } from 'jose';
import { AccessTokens, TOKEN_AUDIENCE, TOKEN_ISSUER } from '../../../features/auth/tokens.js';
import { AuthTokenError } from '../../../systems/auth/identity.js';

const SECRET = 'unit-test-secret-0123456789-0123456789';
const T0 = Date.parse('2025-01-06T15:00:00Z');
const identity = { userId: randomUUID(), deviceId: randomUUID() };

async function rejectsWith(work: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(work, (err: unknown) => err instanceof AuthTokenError && err.code === code && /POST \/api\/auth\//.test(err.message));
}

/** A token signed with `key` and the given claims, bypassing AccessTokens (forgeries, other issuers). */
function forge(
  key: string,
  claims: { sub?: string; did?: string; gen?: unknown; iss?: string; aud?: string; iat?: number; exp?: number },
  alg = 'HS256',
): Promise<string> {
  const jwt = new SignJWT({
    ...(claims.did === undefined ? {} : { did: claims.did }),
    ...(claims.gen === undefined ? {} : { gen: claims.gen }),
  }).setProtectedHeader({ alg });
  if (claims.sub) jwt.setSubject(claims.sub);
  if (claims.iss) jwt.setIssuer(claims.iss);
  if (claims.aud) jwt.setAudience(claims.aud);
  if (claims.iat !== undefined) jwt.setIssuedAt(claims.iat);
  if (claims.exp !== undefined) jwt.setExpirationTime(claims.exp);
  return jwt.sign(new TextEncoder().encode(key));
}

describe('access tokens (jose HS256)', () => {
  const tokens = new AccessTokens(SECRET, 900, () => T0);
  const iat = Math.floor(T0 / 1000);

  it('signs sub = userId, did = deviceId, gen = the device generation, iss, aud, iat and exp = iat + ttl', async () => {
    const { accessToken, expiresInSec } = await tokens.issue(identity);
    assert.equal(expiresInSec, 900);
    assert.deepEqual(decodeProtectedHeader(accessToken), { alg: 'HS256', typ: 'JWT' });
    assert.deepEqual(decodeJwt(accessToken), {
      sub: identity.userId,
      did: identity.deviceId,
      gen: 0,
      iss: TOKEN_ISSUER,
      aud: TOKEN_AUDIENCE,
      iat,
      exp: iat + 900,
    });
  });

  it('carries the device generation it was signed for; a token without one is generation 0, a malformed one is refused', async () => {
    const { accessToken } = await tokens.issue({ ...identity, generation: 3 });
    assert.deepEqual(await tokens.verify(accessToken), { ...identity, generation: 3 });
    const good = { sub: identity.userId, did: identity.deviceId, iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, iat, exp: iat + 900 };
    assert.deepEqual(await tokens.verify(await forge(SECRET, good)), { ...identity, generation: 0 });
    await rejectsWith(tokens.verify(await forge(SECRET, { ...good, gen: -1 })), 'TOKEN_INVALID');
    await rejectsWith(tokens.verify(await forge(SECRET, { ...good, gen: '1' })), 'TOKEN_INVALID');
  });

  it('verifies its own token back to the identity', async () => {
    const { accessToken } = await tokens.issue(identity);
    assert.deepEqual(await tokens.verify(accessToken), { ...identity, generation: 0 });
    assert.deepEqual(await tokens.verify(accessToken, T0 + 899_000), { ...identity, generation: 0 }, 'valid until the last second');
  });

  it('refuses an expired token with TOKEN_EXPIRED (the client should refresh)', async () => {
    const { accessToken } = await tokens.issue(identity);
    await rejectsWith(tokens.verify(accessToken, T0 + 900_000), 'TOKEN_EXPIRED');
    await rejectsWith(tokens.verify(accessToken, T0 + 86_400_000), 'TOKEN_EXPIRED');
  });

  it('refuses a missing token with TOKEN_MISSING', async () => {
    await rejectsWith(tokens.verify(undefined), 'TOKEN_MISSING');
    await rejectsWith(tokens.verify(null), 'TOKEN_MISSING');
    await rejectsWith(tokens.verify(''), 'TOKEN_MISSING');
  });

  it('refuses tokens signed with another key, tampered, or garbled with TOKEN_INVALID', async () => {
    const { accessToken } = await tokens.issue(identity);
    await rejectsWith(new AccessTokens('another-secret-0123456789-0123456789', 900, () => T0).verify(accessToken), 'TOKEN_INVALID');
    const [header, , signature] = accessToken.split('.');
    const otherPayload = Buffer.from(
      JSON.stringify({ sub: randomUUID(), did: identity.deviceId, iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, iat, exp: iat + 900 }),
    ).toString('base64url');
    await rejectsWith(tokens.verify(`${header}.${otherPayload}.${signature}`), 'TOKEN_INVALID');
    await rejectsWith(tokens.verify('not-a-jwt'), 'TOKEN_INVALID');
    await rejectsWith(tokens.verify('x'.repeat(5000)), 'TOKEN_INVALID');
  });

  it('refuses alg "none", a wrong issuer or audience, missing claims, and ids that are not UUIDs', async () => {
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${Buffer.from(JSON.stringify({ sub: identity.userId, did: identity.deviceId, iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, iat, exp: iat + 900 })).toString('base64url')}.`;
    await rejectsWith(tokens.verify(unsigned), 'TOKEN_INVALID');
    const good = { sub: identity.userId, did: identity.deviceId, iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, iat, exp: iat + 900 };
    assert.deepEqual(await tokens.verify(await forge(SECRET, good)), { ...identity, generation: 0 }, 'the forge helper makes valid tokens from valid claims');
    await rejectsWith(tokens.verify(await forge(SECRET, { ...good, iss: 'someone-else' })), 'TOKEN_INVALID');
    await rejectsWith(tokens.verify(await forge(SECRET, { ...good, aud: 'another-api' })), 'TOKEN_INVALID');
    await rejectsWith(tokens.verify(await forge(SECRET, { ...good, did: undefined })), 'TOKEN_INVALID');
    await rejectsWith(tokens.verify(await forge(SECRET, { ...good, exp: undefined })), 'TOKEN_INVALID');
    await rejectsWith(tokens.verify(await forge(SECRET, { ...good, sub: 'dev-1234' })), 'TOKEN_INVALID');
    await rejectsWith(tokens.verify(await forge(SECRET, good, 'HS512')), 'TOKEN_INVALID');
  });

  it('refuses a key shorter than 32 characters', () => {
    assert.throws(() => new AccessTokens('short', 900), /at least 32/);
  });
});
