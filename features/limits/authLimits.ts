/** Abuse limits around identity. Sybil accounts would make every per-user bound moot, so a new user costs its address a sign-up point. */
import type { Backplane } from '../../persistence/backplane/Backplane.js';
import { Limit } from './Limits.js';

export interface AuthLimitSettings {
  signupsPerAddressPerHour: number;
  signinsPerSecretPerMinute: number;
  refreshesPerAddressPerMinute: number;
  adminFailuresPerAddressPerMinute: number;
  linksPerUserPerMinute: number;
}

export class AuthLimits {
  readonly signups: Limit;
  readonly signins: Limit;
  readonly refreshes: Limit;
  readonly adminFailures: Limit;
  /** New devices linked to one user (a Bearer token on `POST /api/auth/device` with a new secret). */
  readonly links: Limit;

  constructor(backplane: Backplane, settings: AuthLimitSettings) {
    this.signups = new Limit(backplane, 'signups', settings.signupsPerAddressPerHour, 3600, 'sign-ups from this address');
    this.signins = new Limit(backplane, 'signins', settings.signinsPerSecretPerMinute, 60, 'sign-ins with this device secret');
    this.refreshes = new Limit(backplane, 'refreshes', settings.refreshesPerAddressPerMinute, 60, 'token refreshes from this address');
    this.adminFailures = new Limit(backplane, 'admin-failures', settings.adminFailuresPerAddressPerMinute, 60, 'wrong admin tokens from this address');
    this.links = new Limit(backplane, 'links', settings.linksPerUserPerMinute, 60, 'new devices linked to this account');
  }
}
