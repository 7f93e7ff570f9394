/** Abuse limits around identity. Sybil accounts would make every per-user bound moot, so a new user costs its address a sign-up point. */
import type { Backplane } from '../../persistence/backplane/Backplane.js';
import { Limit } from './Limits.js';

/**
 * One row per limit: its key, config setting, window in seconds and what a refusal counts. `links`: new devices linked
 * to one user (a Bearer token on `POST /api/auth/device` with a new secret).
 */
const LIMITS = {
  signups: ['signups', 'signupsPerAddressPerHour', 3600, 'sign-ups from this address'],
  signins: ['signins', 'signinsPerSecretPerMinute', 60, 'sign-ins with this device secret'],
  refreshes: ['refreshes', 'refreshesPerAddressPerMinute', 60, 'token refreshes from this address'],
  adminFailures: ['admin-failures', 'adminFailuresPerAddressPerMinute', 60, 'wrong admin tokens from this address'],
  links: ['links', 'linksPerUserPerMinute', 60, 'new devices linked to this account'],
} as const;

export type AuthLimits = Readonly<Record<keyof typeof LIMITS, Limit>>;

export function authLimits(backplane: Backplane, settings: Record<(typeof LIMITS)[keyof typeof LIMITS][1], number>): AuthLimits {
  const limits = Object.entries(LIMITS).map(([key, [name, setting, windowSec, words]]) => [
    key,
    new Limit(backplane, name, settings[setting], windowSec, words),
  ]);
  return Object.fromEntries(limits) as AuthLimits;
}
