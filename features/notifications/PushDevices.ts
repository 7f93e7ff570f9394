/**
 * Push registrations (APNs tokens, Web Push subscriptions on a WEBPUSH_ENDPOINT_HOSTS host), refused when the channel has
 * no credentials here, bounded by PUSH_DEVICES_PER_USER.
 */
import { AppError } from '../../systems/errors.js';
import { APNS_TOKEN_RE, endpointHostAllowed, webPushSubscriptionSchema, type PushKind } from '../../systems/notifications/index.js';
import type { PushDeviceRecord, PushDeviceRepository } from '../../persistence/notifications/PushDeviceRepository.js';

export class PushDeviceError extends AppError<'VALIDATION_FAILED' | 'PUSH_DISABLED' | 'DEVICE_LIMIT' | 'NOT_FOUND'> {}

export type PushDeviceView = ReturnType<typeof view>;

/** What a client registers: `{ apns: { deviceToken } }` or `{ webPush: <PushSubscription JSON> }`, already shaped by the route's schema. */
export type PushRegistration = { kind: 'apns'; deviceToken: string } | { kind: 'webpush'; subscription: unknown };

export interface PushDevicesSettings {
  /** Push kinds with credentials on this server. */
  enabled: readonly PushKind[];
  maxPerUser: number;
  /** Hosts (and their subdomains) a Web Push endpoint may be on. */
  webPushHosts: readonly string[];
}

export class PushDevices {
  constructor(
    private readonly repo: Pick<PushDeviceRepository, 'register' | 'list' | 'remove'>,
    private readonly settings: PushDevicesSettings,
    private readonly now: () => number = Date.now,
  ) {}

  /** Registers (or refreshes) one registration of the user. @throws PushDeviceError */
  async register(userId: string, registration: PushRegistration): Promise<{ device: PushDeviceView; created: boolean }> {
    if (!this.settings.enabled.includes(registration.kind))
      throw new PushDeviceError(
        'PUSH_DISABLED',
        `${registration.kind === 'apns' ? 'APNs' : 'Web Push'} is not configured on this server; notifications still reach the inbox and live sessions`,
      );
    const parsed = this.parse(registration);
    const outcome = await this.repo.register({ userId, ...parsed, at: new Date(this.now()) }, this.settings.maxPerUser);
    if (outcome === 'limit')
      throw new PushDeviceError(
        'DEVICE_LIMIT',
        `at most ${this.settings.maxPerUser} push registrations per user; remove one (DELETE /api/notifications/devices/{id}) first`,
      );
    return { device: view(outcome.device), created: outcome.created };
  }

  async list(userId: string): Promise<PushDeviceView[]> {
    return (await this.repo.list(userId)).map(view);
  }

  /** @throws PushDeviceError NOT_FOUND when the user has no registration with this id. */
  async remove(userId: string, id: string): Promise<void> {
    if (!(await this.repo.remove(userId, id)))
      throw new PushDeviceError('NOT_FOUND', 'you have no push registration with this id', [{ field: 'id', message: 'unknown' }]);
  }

  private parse(r: PushRegistration): { kind: PushKind; address: string; keys: { p256dh: string; auth: string } | null } {
    if (r.kind === 'apns') {
      if (!APNS_TOKEN_RE.test(r.deviceToken)) throw invalid('apns.deviceToken', 'must be the APNs device token as hex (64 or more hex digits)');
      return { kind: 'apns', address: r.deviceToken.toLowerCase(), keys: null };
    }
    const parsed = webPushSubscriptionSchema.safeParse(r.subscription);
    if (!parsed.success)
      throw new PushDeviceError(
        'VALIDATION_FAILED',
        'invalid Web Push subscription; send PushSubscription.toJSON()',
        parsed.error.issues.slice(0, 10).map((i) => ({ field: ['webPush', ...i.path].join('.'), message: i.message })),
      );
    if (!endpointHostAllowed(new URL(parsed.data.endpoint), this.settings.webPushHosts))
      throw invalid('webPush.endpoint', `is not on a push service this server sends to (${this.settings.webPushHosts.join(', ')})`);
    return { kind: 'webpush', address: parsed.data.endpoint, keys: { p256dh: parsed.data.keys.p256dh, auth: parsed.data.keys.auth } };
  }
}

function invalid(field: string, message: string): PushDeviceError {
  return new PushDeviceError('VALIDATION_FAILED', `invalid push registration: ${field} ${message}`, [{ field, message }]);
}

/** A registration as its owner sees it; a subscription's endpoint is shown by its host only (the path is a capability). */
function view(d: PushDeviceRecord) {
  return {
    id: d.id,
    kind: d.kind,
    // The APNs token's last 8 characters, or the Web Push endpoint's host.
    label: d.kind === 'apns' ? `…${d.address.slice(-8)}` : new URL(d.address).host,
    createdAt: d.createdAt.toISOString(),
    lastSeenAt: d.lastSeenAt.toISOString(),
  };
}
