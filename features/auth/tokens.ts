import { errors, jwtVerify, SignJWT } from 'jose';
import { tokenProblem, type AccessIdentity, type VerifiedIdentity } from '../../systems/auth/identity.js';
import { UUID_RE } from '../../systems/passport/payloads.js';

/** `iss` of every access token this server signs. */
export const TOKEN_ISSUER = 'deepstream-realtime';
/** `aud`: the DeepStream client API (rooms and user-scoped HTTP routes). */
export const TOKEN_AUDIENCE = 'deepstream-client';
/** Longer strings are not parsed at all (ours are ~300 characters). */
const MAX_TOKEN_LENGTH = 2048;

/**
 * Short-lived HS256 access tokens: `sub` user, `did` device, `gen` the device's token generation. Verification
 * throws an {@link AuthTokenError} whose message tells the client what to do.
 */
export class AccessTokens {
  /** Imported once: jose imports a raw Uint8Array key again on every sign and verify. */
  private readonly key: Promise<CryptoKey>;

  constructor(
    secret: string,
    readonly ttlSec: number,
    private readonly now: () => number = Date.now,
  ) {
    if (secret.length < 32) throw new Error('the access-token secret must be at least 32 characters');
    this.key = crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
  }

  /** `generation`: the device's token generation (a revocation raises it; older tokens are then refused). */
  async issue(identity: AccessIdentity & { generation?: number }, nowMs = this.now()) {
    const iat = Math.floor(nowMs / 1000);
    const accessToken = await new SignJWT({ did: identity.deviceId, gen: identity.generation ?? 0 })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(identity.userId)
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setIssuedAt(iat)
      .setExpirationTime(iat + this.ttlSec)
      .sign(await this.key);
    return { accessToken, expiresInSec: this.ttlSec };
  }

  /**
   * The identity a token names, with the device generation it was signed for (0 for a token without one), or an
   * AuthTokenError (TOKEN_MISSING, TOKEN_EXPIRED, TOKEN_INVALID).
   */
  async verify(token: string | null | undefined, nowMs = this.now()): Promise<VerifiedIdentity> {
    if (typeof token !== 'string' || token === '') throw tokenProblem('TOKEN_MISSING');
    if (token.length > MAX_TOKEN_LENGTH) throw tokenProblem('TOKEN_INVALID');
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, await this.key, {
        algorithms: ['HS256'],
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        requiredClaims: ['sub', 'did', 'iat', 'exp'],
        currentDate: new Date(nowMs),
      }));
    } catch (err) {
      throw tokenProblem(err instanceof errors.JWTExpired ? 'TOKEN_EXPIRED' : 'TOKEN_INVALID');
    }
    const { sub, did, gen = 0 } = payload;
    if (typeof sub !== 'string' || !UUID_RE.test(sub) || typeof did !== 'string' || !UUID_RE.test(did)) throw tokenProblem('TOKEN_INVALID');
    if (typeof gen !== 'number' || !Number.isSafeInteger(gen) || gen < 0) throw tokenProblem('TOKEN_INVALID');
    return { userId: sub.toLowerCase(), deviceId: did.toLowerCase(), generation: gen };
  }
}
