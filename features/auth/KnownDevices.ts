/**
 * A signed token does not prove its device still exists or was not revoked, so each verified token's device is looked
 * up and kept for AUTH_DEVICE_CACHE_TTL_MS; a revocation drops it on every process at once, a deletion within the TTL.
 */
import { LRUCache } from 'lru-cache';
import { AuthTokenError, type AccessIdentity, type VerifiedIdentity } from '../../systems/auth/identity.js';
import type { AccessTokens } from './tokens.js';
import type { DeviceRepository } from '../../persistence/auth/DeviceRepository.js';

const unknownDevice = (): AuthTokenError =>
  new AuthTokenError(
    'TOKEN_INVALID',
    'the access token names a device this server does not know (never signed in, removed, or signed out because its refresh token was reused): sign in again with POST /api/auth/device',
  );

/** Verifies access tokens like AccessTokens, then checks that their device exists, is their user's and was not revoked since. */
export class VerifiedTokens implements Pick<AccessTokens, 'verify'> {
  private readonly known: LRUCache<string, { userId: string; generation: number }>;

  constructor(
    private readonly tokens: Pick<AccessTokens, 'verify'>,
    private readonly owners: Pick<DeviceRepository, 'deviceOf'>,
    settings: { cacheEntries: number; cacheTtlMs: number },
  ) {
    this.known = new LRUCache({ max: settings.cacheEntries, ttl: settings.cacheTtlMs });
  }

  /** @throws AuthTokenError (TOKEN_MISSING, TOKEN_EXPIRED, TOKEN_INVALID, also for an unknown or revoked device); a database error as it is. */
  async verify(token: string | null | undefined): Promise<VerifiedIdentity> {
    const identity = await this.tokens.verify(token);
    let device = this.known.get(identity.deviceId);
    // A newer generation than the one kept: the device signed in again after a revocation this process missed.
    if (!device || device.userId !== identity.userId || device.generation < identity.generation) {
      device = (await this.owners.deviceOf(identity.deviceId)) ?? undefined;
      if (device) this.known.set(identity.deviceId, device);
    }
    if (!device || device.userId !== identity.userId || device.generation !== identity.generation) throw unknownDevice();
    return identity;
  }

  /** Whether the device `identity` names still exists, is its user's and has its generation, read now (no cache). */
  async stillValid(identity: AccessIdentity & { generation?: number }): Promise<boolean> {
    this.forget(identity.deviceId);
    const device = await this.owners.deviceOf(identity.deviceId);
    if (device) this.known.set(identity.deviceId, device);
    return device !== null && device.userId === identity.userId && device.generation === (identity.generation ?? 0);
  }

  /** Drops what is known of a device (it was revoked): its next token is checked against the database. */
  forget(deviceId: string): void {
    this.known.delete(deviceId);
  }
}
