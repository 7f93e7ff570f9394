import { readFileSync } from 'node:fs';
import { registerScraped } from '../metrics.js';
import { ConfigError } from '../errors.js';
import { NotificationRepository } from '../../persistence/notifications/NotificationRepository.js';
import { PushDeviceRepository } from '../../persistence/notifications/PushDeviceRepository.js';
import { PushOutbox } from '../../persistence/notifications/PushOutbox.js';
import { ApnsSender } from '../../persistence/notifications/ApnsSender.js';
import { WebPushSender } from '../../persistence/notifications/WebPushSender.js';
import { Notifications } from '../../features/notifications/Notifications.js';
import { Notifier } from '../../features/notifications/Notifier.js';
import { LiveInbox } from '../../features/notifications/LiveInbox.js';
import { PushDevices } from '../../features/notifications/PushDevices.js';
import { PushWorker, type PushSenders } from '../../features/notifications/PushWorker.js';
import { Limit } from '../../features/limits/Limits.js';
import type { PushKind } from '../../systems/notifications/index.js';
import type { NotificationsPort } from '../../rooms/session/notifications.js';
import type { NotificationsConfig } from '../config/notifications.js';
import { NOTIFICATION_ROUTES } from '../http/notificationsRoutes.js';
import { mount } from '../http/route.js';
import type { FeatureParts, WireContext } from './context.js';

export interface NotificationsWiring extends FeatureParts {
  notifier: Notifier;
  /** The session room's port: live entries, the unread ones at a join, marking read. */
  roomPort: NotificationsPort;
}

/**
 * Notifications: the inbox and opt-outs, live delivery to sessions on every process (the backplane's
 * `notifications:live` channel), and push delivery through the outbox's workers, with APNs and Web Push
 * each on only when its credentials are set (the boot log says which).
 */
export async function wire(ctx: WireContext): Promise<NotificationsWiring> {
  const { config, log } = ctx;
  const settings = config.notifications;
  const repo = new NotificationRepository(ctx.orm, settings.push.queueMax);
  const notifications = new Notifications(repo);
  const live = new LiveInbox(ctx.backplane, log.child({ component: 'notifications' }));
  await live.start();
  ctx.life.add('notifications-live', () => live.stop());
  const senders = await pushSenders(settings);
  const enabled = (Object.keys(senders) as PushKind[]).filter((k) => senders[k]);
  const pushLog = log.child({ component: 'push' });
  pushLog.info(
    {
      apns: senders.apns ? settings.push.apns!.origin : 'off: set APNS_KEY_FILE, APNS_KEY_ID, APNS_TEAM_ID, APNS_TOPIC',
      webPush: senders.webpush ? 'on' : 'off: set WEBPUSH_VAPID_*',
    },
    enabled.length
      ? `push channels on: ${enabled.join(', ')}`
      : 'push channels off (no APNs or Web Push credentials): notifications reach the inbox and live sessions only',
  );
  const devices = new PushDeviceRepository(ctx.orm);
  const worker = new PushWorker(
    new PushOutbox(ctx.sql),
    devices,
    senders,
    {
      ...settings.push,
      backoff: { baseMs: settings.push.backoffBaseMs, maxMs: settings.push.backoffMaxMs },
      failedRetentionMs: settings.push.failedRetentionHours * 3_600_000,
    },
    pushLog,
  );
  ctx.life.add('push-worker', async () => {
    await worker.stop();
    senders.apns?.close();
    senders.webpush?.close();
  });
  const notifier = new Notifier({
    repo,
    live,
    perRecipient: new Limit(ctx.backplane, 'notify-recipient', settings.perRecipientPerHour, 3600, 'notifications to this listener'),
    pushKinds: enabled,
    topIntervalMs: settings.topRecommendationIntervalSec * 1000,
    pushesQueued: () => worker.kick(),
    log: log.child({ component: 'notifications' }),
  });
  registerMetrics(ctx, notifier, live, worker);
  const roomPort: NotificationsPort = {
    enter: (userId, listener) => live.enter(userId, listener),
    unread: (userId) => notifications.unread(userId, settings.joinUnreadMax),
    markRead: (userId, ids) => notifications.markRead(userId, ids),
    joinUnreadMax: settings.joinUnreadMax,
  };
  return {
    notifier,
    roomPort,
    routes: mount(NOTIFICATION_ROUTES, {
      notifications,
      devices: new PushDevices(devices, { enabled, maxPerUser: settings.push.devicesPerUser, webPushHosts: settings.push.webPushHosts }),
      auth: ctx.auth,
      push: { enabled, vapidPublicKey: senders.webpush ? settings.push.webPush!.publicKey : null },
    }),
    start: () => (enabled.length > 0 ? worker.start() : undefined), // without a channel it would only poll, and fail pushes another process can send
  };
}

/** The adapters whose credentials are set; a key that cannot sign stops the boot naming its variable. */
async function pushSenders(settings: NotificationsConfig): Promise<PushSenders & { apns?: ApnsSender; webpush?: WebPushSender }> {
  const { apns, webPush, timeoutMs } = settings.push;
  const senders: { apns?: ApnsSender; webpush?: WebPushSender } = {};
  if (apns) {
    let keyPem: string;
    try {
      keyPem = readFileSync(apns.keyFile, 'utf8');
    } catch (err) {
      throw new ConfigError(
        'APNS_KEY_FILE',
        `cannot read ${apns.keyFile} (${(err as NodeJS.ErrnoException).code}); point it at the .p8 key from the Apple developer account.`,
      );
    }
    const sender = new ApnsSender({ ...apns, keyPem, timeoutMs });
    await sender.check().catch((err: Error) => {
      throw new ConfigError('APNS_KEY_FILE', `${apns.keyFile} is not a P-256 PKCS#8 key APNs tokens can be signed with (${err.message}).`);
    });
    senders.apns = sender;
  }
  if (webPush) {
    try {
      senders.webpush = new WebPushSender({ ...webPush, timeoutMs });
    } catch (err) {
      throw new ConfigError(
        'WEBPUSH_VAPID_PUBLIC_KEY',
        `the VAPID keys or subject are refused (${(err as Error).message}); generate a pair with \`npx web-push generate-vapid-keys\`.`,
      );
    }
  }
  return senders;
}

function registerMetrics({ metrics }: WireContext, notifier: Notifier, live: LiveInbox, worker: PushWorker): void {
  registerScraped(metrics.registry, {
    ds_notifications_total: [
      'Notifications by outcome on this process: created (inbox or push), top_told (a new top recommendation), outbox_full (not pushed: PUSH_QUEUE_MAX)',
      () => {
        const s = notifier.stats();
        return { created: s.created, top_told: s.topTold, outbox_full: s.outboxFull };
      },
      'outcome',
    ],
    ds_pushes_total: [
      'Pushes handled by this process by outcome: sent, retried (backoff), failed (for good or out of tries), gone (the registration was dead and removed)',
      () => worker.stats(),
      'outcome',
    ],
    ds_notification_live_sessions: ['Live sessions this process hands new notifications to', () => live.sessions],
  });
}
