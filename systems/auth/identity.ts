/**
 * Identity rules (pure): what a device secret and a refresh token must look like, who a verified
 * access token names, and the errors a token check raises. Signing, hashing and storage live in
 * src/auth/ and persistence/auth/.
 */
import { AppError } from '../errors.js';

/**
 * A device secret: at least 32 random bytes the client generates once and keeps (Keychain,
 * localStorage), sent as base64url or hex — 43 to 128 characters of A–Z a–z 0–9 `_` `-`.
 * It is the device's password: the server stores only its SHA-256.
 */
export const DEVICE_SECRET_RE = /^[A-Za-z0-9_-]{43,128}$/;
export const DEVICE_SECRET_RULE = '43-128 characters of A-Z, a-z, 0-9, "_" or "-" (32+ random bytes as base64url or hex)';

/** Refresh tokens are server-generated (32 random bytes, base64url); the same alphabet bounds what we look up. */
export const REFRESH_TOKEN_RE = /^[A-Za-z0-9_-]{43,128}$/;

/** Who a verified access token speaks for. Rooms and routes take identity from here only. */
export interface AccessIdentity {
  userId: string;
  deviceId: string;
}

/** A verified identity with the device's token generation its token was signed for: an older one than the device's is revoked. */
export interface VerifiedIdentity extends AccessIdentity {
  generation: number;
}

/** The problem with a candidate device secret, or null when it follows {@link DEVICE_SECRET_RE}. */
export function deviceSecretProblem(value: unknown): string | null {
  if (typeof value !== 'string') return `is required: a string of ${DEVICE_SECRET_RULE}`;
  if (value.length < 43)
    return `is ${value.length} characters; it needs at least 43 (${DEVICE_SECRET_RULE}). Generate 32 random bytes once per install and keep them`;
  if (value.length > 128) return `is ${value.length} characters; at most 128 allowed`;
  if (!DEVICE_SECRET_RE.test(value)) return `has characters outside A-Z, a-z, 0-9, "_" and "-"; encode the random bytes as base64url or hex`;
  return null;
}

export type AuthTokenErrorCode = 'TOKEN_MISSING' | 'TOKEN_INVALID' | 'TOKEN_EXPIRED';

/** An access token was absent, forged/garbled, or expired. The message says what the client should do. */
export class AuthTokenError extends AppError<AuthTokenErrorCode> {}

/** The standard message for each token problem (room join rejections and HTTP 401s share them). */
export function tokenProblem(code: AuthTokenErrorCode): AuthTokenError {
  switch (code) {
    case 'TOKEN_MISSING':
      return new AuthTokenError(
        code,
        'an access token is required: call POST /api/auth/device with your device secret, then send the token (Authorization: Bearer …, or client.auth.token for rooms)',
      );
    case 'TOKEN_EXPIRED':
      return new AuthTokenError(
        code,
        'the access token has expired: call POST /api/auth/refresh with your refresh token (or POST /api/auth/device again) and retry',
      );
    case 'TOKEN_INVALID':
      return new AuthTokenError(
        code,
        'the access token is not valid here (bad signature, issuer, audience or claims): authenticate again with POST /api/auth/device',
      );
  }
}
