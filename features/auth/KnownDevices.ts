/**
 * An access token proves who signed it, not that its device still exists: a token signed with the
 * server's key for a device that was never created (or was deleted since) must not let anyone write
 * rows with no user behind them. Every verified token's device is looked up once and the answer kept
 * for a short while (AUTH_DEVICE_CACHE_TTL_MS): a deleted device's tokens stop working within that time.
 */
import { LRUCache } from 'lru-cache';
import { AuthTokenError, type AccessIdentity } from '../../systems/auth/identity.js';
import type { AccessTokens } from './tokens.js';

/** Where a device's owner is read (persistence/auth/DeviceRepository). */
export interface DeviceOwners {
  ownerOf(deviceId: string): Promise<string | null>;
}

export interface KnownDevicesSettings {
  cacheEntries: number;
  cacheTtlMs: number;
}

/** Verifies access tokens like AccessTokens, then checks that their device exists and is their user's. */
export class VerifiedTokens implements Pick<AccessTokens, 'verify'> {
  private readonly known: LRUCache<string, string>;

  constructor(
    private readonly tokens: Pick<AccessTokens, 'verify'>,
    private readonly owners: DeviceOwners,
    settings: KnownDevicesSettings,
  ) {
    this.known = new LRUCache({ max: settings.cacheEntries, ttl: settings.cacheTtlMs });
  }

  /** @throws AuthTokenError (TOKEN_MISSING, TOKEN_EXPIRED, TOKEN_INVALID, also for an unknown device); a database error as it is. */
  async verify(token: string | null | undefined): Promise<AccessIdentity> {
    const identity = await this.tokens.verify(token);
    if (this.known.get(identity.deviceId) === identity.userId) return identity;
    const owner = await this.owners.ownerOf(identity.deviceId);
    if (owner !== identity.userId) {
      throw new AuthTokenError('TOKEN_INVALID', 'the access token names a device this server does not know (never signed in, or removed): sign in again with POST /api/auth/device');
    }
    this.known.set(identity.deviceId, owner);
    return identity;
  }
}
