/**
 * What a notification says and to whom it may go (pure): the seed's words for a direct share (000 step
 * 16.4: "{sender_name} shared their constellation", the message, the share's link) and for the top
 * recommendation (step 12.10: "New artist to explore", "{artist_name} - {reason}",
 * "deepstream://station/{station}"), the kind each type belongs to, and the channels a user's settings
 * leave open for it.
 */

/** The types an inbox entry can have (the `notifications.type` check, migration 028). */
export const NOTIFICATION_TYPES = ['constellation_share', 'top_recommendation', 'friend_request', 'ride_invite'] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

/** What a user opts out of, per kind: `shares` is everything another listener sends (a share, a friend request, a ride invite). */
export const NOTIFICATION_KINDS = ['shares', 'recommendations'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** Where a notification goes: the inbox and live session (`inApp`), or the user's push registrations (`push`). */
export const NOTIFICATION_CHANNELS = ['inApp', 'push'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

export const KIND_OF: Readonly<Record<NotificationType, NotificationKind>> = {
  constellation_share: 'shares',
  top_recommendation: 'recommendations',
  friend_request: 'shares',
  ride_invite: 'shares',
};

/** A user's opt-outs: true = the channel is open for that kind (every channel is open until the user closes it). */
export type NotificationPreferences = Record<NotificationKind, Record<NotificationChannel, boolean>>;

export const DEFAULT_PREFERENCES: NotificationPreferences = {
  shares: { inApp: true, push: true },
  recommendations: { inApp: true, push: true },
};

/** The text a notification is told with, in the inbox, live and in a push. */
export interface Notice {
  title: string;
  body: string | null;
  deepLink: string | null;
}

/** Longest title and body kept (the columns' checks); a longer one is cut at a word with an ellipsis. */
export const MAX_TITLE_CHARS = 200;
export const MAX_BODY_CHARS = 400;

/** What a share's page is called where the sender gave no display name (as the share page says). */
export const ANONYMOUS_SENDER = 'A listener';

/** Seed 16.4: a direct share's notice. */
export function shareNotice(senderName: string | null, message: string | null, shareId: string): Notice {
  const name = senderName?.trim() || ANONYMOUS_SENDER;
  return {
    title: cut(`${name} shared their constellation`, MAX_TITLE_CHARS),
    body: message ? cut(message, MAX_BODY_CHARS) : null,
    deepLink: `/shared/${shareId}`,
  };
}

/** A friend request's notice; its link opens the friends list. */
export function friendRequestNotice(senderName: string | null): Notice {
  return { title: cut(`${senderName?.trim() || ANONYMOUS_SENDER} wants to be friends`, MAX_TITLE_CHARS), body: null, deepLink: '/play?friends' };
}

/** A ride invite's notice; its link joins the ride. */
export function rideInviteNotice(senderName: string | null, code: string): Notice {
  return { title: cut(`${senderName?.trim() || ANONYMOUS_SENDER} invites you to ride along`, MAX_TITLE_CHARS), body: null, deepLink: `/play?ride=${code}` };
}

/** The top recommendation as the notice needs it. */
export interface TopRecommendation {
  artistId: string;
  artistName: string;
  reason: string;
  /** The artist's station on the dial, or null for an artist off the dial. */
  station: number | null;
}

/** Seed 12.10: the top recommendation's notice; an artist off the dial gets no station link. */
export function topRecommendationNotice(top: TopRecommendation): Notice {
  return {
    title: 'New artist to explore',
    body: cut(`${top.artistName} - ${top.reason}`, MAX_BODY_CHARS),
    deepLink: top.station === null ? null : `deepstream://station/${top.station}`,
  };
}

/** The channels open for a notification of `type` under `prefs`. */
export function openChannels(prefs: NotificationPreferences, type: NotificationType): { inApp: boolean; push: boolean } {
  const kind = prefs[KIND_OF[type]];
  return { inApp: kind.inApp, push: kind.push };
}

/**
 * Whether a freshly computed top recommendation is told (step 12.10, rate-bounded, never repeated): a
 * different artist than the one last told, and at least `minIntervalMs` after the last one told.
 */
export function shouldTellTop(
  top: string | null,
  last: { artistId: string | null; atMs: number | null },
  nowMs: number,
  minIntervalMs: number,
): 'tell' | 'same' | 'too_soon' | 'none' {
  if (top === null) return 'none';
  if (top === last.artistId) return 'same';
  if (last.atMs !== null && nowMs - last.atMs < minIntervalMs) return 'too_soon';
  return 'tell';
}

/** `text` cut to at most `max` characters (code points), at a word when one ends in the last fifth, with an ellipsis. */
export function cut(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  const head = chars.slice(0, max - 1).join('');
  const space = head.lastIndexOf(' ');
  return `${space > (max * 4) / 5 ? head.slice(0, space) : head}…`;
}
