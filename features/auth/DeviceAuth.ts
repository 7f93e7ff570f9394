import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { AppError } from '../../systems/errors.js';
import type { Logger } from 'pino';
import { AuthTokenError, type AccessIdentity, type AuthTokenErrorCode } from '../../systems/auth/identity.js';
import type { DeviceRepository } from '../../persistence/auth/DeviceRepository.js';
import type { AccessTokens } from './tokens.js';

/** No valid credentials (HTTP 401 with `WWW-Authenticate: Bearer`). `tokenError` names an access-token problem. */
export class UnauthorizedError extends AppError {
  constructor(
    message: string,
    readonly tokenError?: AuthTokenErrorCode,
  ) {
    super('UNAUTHORIZED', message);
  }

  static from(err: AuthTokenError): UnauthorizedError {
    return new UnauthorizedError(err.message, err.code);
  }
}

/** What `POST /api/auth/device` and `POST /api/auth/refresh` answer. */
export interface SignedIn extends AccessIdentity {
  accessToken: string;
  expiresInSec: number;
  refreshToken: string;
}

export interface DeviceSignIn {
  deviceSecret: string;
  deviceModel?: string;
  /** The `Authorization: Bearer` token sent along (links a new device to that user), or null. */
  bearer: string | null;
  /** Runs before a new user is created (not for a known device or a linked one); throws to refuse the sign-up. */
  beforeSignUp?: () => Promise<void>;
  /** Runs before a new device is linked to `userId`; throws to refuse the link. */
  beforeLink?: (userId: string) => Promise<void>;
}

export interface DeviceAuthOptions {
  refreshTtlDays: number;
  /**
   * Told after every successful sign-in with the secret's hash, so votes held by that device become the user's.
   * It must not throw: its failures are its own to log and retry.
   */
  afterSignIn?: (secretHash: string, identity: AccessIdentity) => Promise<void>;
  /** Told when a device is revoked (a used refresh token presented again): features/auth/DeviceRevocations.ts. */
  onDeviceRevoked?: (deviceId: string, generation: number) => void;
  /** Live devices (used within the refresh-token lifetime) one user may have; linking one more is DEVICE_LIMIT. */
  maxDevicesPerUser: number;
  now?: () => number;
}

/** SHA-256, hex: device secrets and refresh tokens are 32+ random bytes, so no slow hash is needed. */
export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * Device sign-in and refresh-token rotation. The same secret always yields the same user; a new secret makes a new
 * user, unless the call carries an access token, which links the device to that user.
 */
export class DeviceAuth {
  private readonly now: () => number;

  constructor(
    private readonly devices: DeviceRepository,
    private readonly tokens: AccessTokens,
    private readonly log: Logger,
    private readonly options: DeviceAuthOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  async signIn(input: DeviceSignIn): Promise<SignedIn & { isNewUser: boolean; created: boolean }> {
    const now = new Date(this.now());
    const secretHash = sha256(input.deviceSecret);
    const deviceModel = input.deviceModel ?? null;
    // A token that came along must be valid: the caller meant to link, never to silently get a new user.
    const caller = input.bearer === null ? null : await this.verifyBearer(input.bearer);
    for (let attempt = 0; attempt < 2; attempt++) {
      const known = await this.devices.findBySecretHash(secretHash);
      if (known) {
        if (caller && caller.userId !== known.userId) {
          throw new AppError('CONFLICT', 'this device secret is already bound to another account; generate a new secret for this device to link it');
        }
        await this.devices.touchDevice(known.id, input.deviceModel ?? null, now);
        this.log.info({ userId: known.userId, deviceId: known.id }, 'device signed in');
        await this.options.afterSignIn?.(secretHash, { userId: known.userId, deviceId: known.id });
        return { ...(await this.issue({ userId: known.userId, deviceId: known.id, generation: known.generation }, now)), isNewUser: false, created: false };
      }
      const identity = { userId: caller?.userId ?? randomUUID(), deviceId: randomUUID() };
      const device = { ...identity, secretHash, deviceModel, now };
      if (caller) await input.beforeLink?.(caller.userId);
      else await input.beforeSignUp?.();
      const outcome = caller
        ? await this.devices.addDevice(device, {
            max: this.options.maxDevicesPerUser,
            activeSince: new Date(now.getTime() - this.options.refreshTtlDays * 86_400_000),
          })
        : await this.devices.createUserWithDevice(device);
      if (outcome === 'device_limit')
        throw new AppError(
          'DEVICE_LIMIT',
          `this account already has ${this.options.maxDevicesPerUser} devices signed in (the most allowed); a device stops counting once it has been unused (no sign-in, no refresh) for ${this.options.refreshTtlDays} days. Sign in with the secret of one of its devices instead`,
        );
      if (outcome === 'unknown_user')
        throw new UnauthorizedError("the access token names a user this server does not know; sign in with that user's device secret first");
      if (outcome === 'created') {
        this.log.info({ ...identity, linked: caller !== null }, caller ? 'device linked to user' : 'new user signed up');
        await this.options.afterSignIn?.(secretHash, identity);
        return { ...(await this.issue(identity, now)), isNewUser: caller === null, created: true };
      }
      // secret_taken: a concurrent first call bound this secret a moment ago; look again.
    }
    throw new AppError('CONFLICT', 'this device secret was bound concurrently; retry the call');
  }

  async refresh(refreshToken: string): Promise<SignedIn> {
    const now = new Date(this.now());
    const outcome = await this.devices.consumeRefreshToken(sha256(refreshToken), now);
    if (outcome.status === 'rotated') return this.issue({ userId: outcome.userId, deviceId: outcome.deviceId, generation: outcome.generation }, now);
    if (outcome.status === 'reused') {
      this.log.warn(
        { userId: outcome.userId, deviceId: outcome.deviceId },
        'a used refresh token was presented again: revoked the device (its tokens, and its live sessions everywhere)',
      );
      this.options.onDeviceRevoked?.(outcome.deviceId, outcome.generation);
      throw new UnauthorizedError(
        'this refresh token was already used; this device is now signed out (its tokens revoked, its live sessions closed). Sign in again with POST /api/auth/device',
      );
    }
    throw new UnauthorizedError(`this refresh token is ${outcome.status === 'expired' ? 'expired' : 'not known'}; sign in again with POST /api/auth/device`);
  }

  private async verifyBearer(token: string): Promise<AccessIdentity> {
    try {
      return await this.tokens.verify(token, this.now());
    } catch (err) {
      if (err instanceof AuthTokenError) throw UnauthorizedError.from(err);
      throw err;
    }
  }

  private async issue(identity: AccessIdentity & { generation?: number }, now: Date): Promise<SignedIn> {
    const { userId, deviceId } = identity;
    const refreshToken = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + this.options.refreshTtlDays * 86_400_000);
    await this.devices.saveRefreshToken({ tokenHash: sha256(refreshToken), userId, deviceId, now, expiresAt });
    const { accessToken, expiresInSec } = await this.tokens.issue(identity, now.getTime());
    return { userId, deviceId, accessToken, expiresInSec, refreshToken };
  }
}
