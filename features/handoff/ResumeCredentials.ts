import { errors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { AppError } from '../../systems/errors.js';
import { UUID_RE } from '../../systems/passport/payloads.js';
import type { ResumeClaim } from '../../systems/handoff/snapshot.js';
import { TOKEN_ISSUER } from '../auth/tokens.js';

/** `aud` of a resume credential: never accepted where an access token is expected, nor the reverse. */
export const RESUME_AUDIENCE = 'deepstream-resume';
const MAX_CREDENTIAL_LENGTH = 2048;
const uuid = z.string().regex(UUID_RE);
const CLAIMS = z.object({ sub: uuid, sid: uuid, did: uuid, gen: z.number().int().min(0) });

/** Refusals with their matchmaking status: INVALID/EXPIRED/FORBIDDEN/STALE → join without `resume`; BUSY → retry after `retryAfterMs`. */
export const RESUME_REFUSALS = {
  RESUME_INVALID: 400,
  RESUME_EXPIRED: 401,
  RESUME_FORBIDDEN: 403,
  RESUME_STALE: 409,
  RESUME_BUSY: 503,
} as const;
export type ResumeRefusal = keyof typeof RESUME_REFUSALS;

export class ResumeError extends AppError<ResumeRefusal> {
  constructor(code: ResumeRefusal, message: string, retryAfterMs?: number) {
    super(
      code,
      retryAfterMs === undefined ? message : `${message} (retryAfterMs=${retryAfterMs})`,
      undefined,
      retryAfterMs === undefined ? undefined : Math.ceil(retryAfterMs / 1000),
    );
  }
}

/** Who a credential was issued to, and for which holder of the session. */
export type CredentialSubject = ResumeClaim & { deviceId: string };

/**
 * HS256 tokens with their own audience naming session, user, device and the holder's generation. Useless without an
 * access token of the same user, so a leaked credential does not move a session.
 */
export class ResumeCredentials {
  private readonly key: Promise<CryptoKey>;

  constructor(
    secret: string,
    readonly ttlSec: number,
  ) {
    this.key = crypto.subtle.importKey('raw', new TextEncoder().encode(`resume:${secret}`), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
  }

  async issue(subject: CredentialSubject, nowMs: number): Promise<string> {
    const iat = Math.floor(nowMs / 1000);
    return new SignJWT({ sid: subject.sessionId, did: subject.deviceId, gen: subject.generation })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(subject.userId)
      .setIssuer(TOKEN_ISSUER)
      .setAudience(RESUME_AUDIENCE)
      .setIssuedAt(iat)
      .setExpirationTime(iat + this.ttlSec)
      .sign(await this.key);
  }

  /** The claim `credential` makes for `userId` (the access token's), or a ResumeError saying why not. */
  async verify(credential: string, userId: string, nowMs: number): Promise<CredentialSubject> {
    if (credential.length > MAX_CREDENTIAL_LENGTH) throw invalid();
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(credential, await this.key, {
        algorithms: ['HS256'],
        issuer: TOKEN_ISSUER,
        audience: RESUME_AUDIENCE,
        requiredClaims: ['sub', 'sid', 'did', 'gen', 'exp'],
        currentDate: new Date(nowMs),
      }));
    } catch (err) {
      if (err instanceof errors.JWTExpired)
        throw new ResumeError(
          'RESUME_EXPIRED',
          `RESUME_EXPIRED: the resume credential expired (they last ${this.ttlSec} s); join without \`resume\`, with \`lastSessionId\``,
        );
      throw invalid();
    }
    const claims = CLAIMS.safeParse(payload);
    if (!claims.success) throw invalid();
    const { sub, sid, did, gen } = claims.data;
    if (sub.toLowerCase() !== userId)
      throw new ResumeError('RESUME_FORBIDDEN', "RESUME_FORBIDDEN: this resume credential belongs to another user's session; join without `resume`");
    return { userId, sessionId: sid.toLowerCase(), deviceId: did.toLowerCase(), generation: gen };
  }
}

const invalid = () =>
  new ResumeError('RESUME_INVALID', 'RESUME_INVALID: the resume credential is not one this server issued (damaged or forged); join without `resume`');
