/** Identity rules: device secret and refresh token shapes, who a verified token names, token errors. */
import { AppError } from '../errors.js';

/**
 * A device secret: ≥ 32 random bytes the client keeps (Keychain, localStorage), base64url or hex. It is the
 * device's password: the server stores only its SHA-256.
 */
export const DEVICE_SECRET_RE = /^[A-Za-z0-9_-]{43,128}$/;
export const DEVICE_SECRET_RULE = '43-128 characters of A-Z, a-z, 0-9, "_" or "-" (32+ random bytes as base64url or hex)';

/** Server-generated (32 random bytes, base64url); the alphabet bounds what we look up. */
export const REFRESH_TOKEN_RE = /^[A-Za-z0-9_-]{43,128}$/;

/** Rooms and routes take identity from here only. */
export interface AccessIdentity {
  userId: string;
  deviceId: string;
}

/** With the token generation it was signed for: older than the device's is revoked. */
export interface VerifiedIdentity extends AccessIdentity {
  generation: number;
}

export function deviceSecretProblem(value: unknown): string | null {
  if (typeof value !== 'string') return `is required: a string of ${DEVICE_SECRET_RULE}`;
  if (value.length < 43)
    return `is ${value.length} characters; it needs at least 43 (${DEVICE_SECRET_RULE}). Generate 32 random bytes once per install and keep them`;
  if (value.length > 128) return `is ${value.length} characters; at most 128 allowed`;
  if (!DEVICE_SECRET_RE.test(value)) return `has characters outside A-Z, a-z, 0-9, "_" and "-"; encode the random bytes as base64url or hex`;
  return null;
}

export type AuthTokenErrorCode = 'TOKEN_MISSING' | 'TOKEN_INVALID' | 'TOKEN_EXPIRED';

/** The message says what the client should do. */
export class AuthTokenError extends AppError<AuthTokenErrorCode> {}

const TOKEN_MESSAGES: Record<AuthTokenErrorCode, string> = {
  TOKEN_MISSING:
    'an access token is required: call POST /api/auth/device with your device secret, then send the token (Authorization: Bearer …, or client.auth.token for rooms)',
  TOKEN_EXPIRED: 'the access token has expired: call POST /api/auth/refresh with your refresh token (or POST /api/auth/device again) and retry',
  TOKEN_INVALID: 'the access token is not valid here (bad signature, issuer, audience or claims): authenticate again with POST /api/auth/device',
};

/** Room join rejections and HTTP 401s share these. */
export const tokenProblem = (code: AuthTokenErrorCode): AuthTokenError => new AuthTokenError(code, TOKEN_MESSAGES[code]);
