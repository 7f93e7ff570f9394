/** What a notification says, the kind each type belongs to, and the channels a user's settings leave open. */

/** The `notifications.type` check constraint. */
export const NOTIFICATION_TYPES = ['constellation_share', 'top_recommendation', 'friend_request', 'ride_invite', 'asset_review'] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

/** Opted out of per kind: `shares` is everything another listener sends (a share, a friend request, a ride invite). */
export const NOTIFICATION_KINDS = ['shares', 'recommendations'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** `inApp`: the inbox and live session; `push`: the user's push registrations. */
export const NOTIFICATION_CHANNELS = ['inApp', 'push'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

/** An upload's review has no kind: the uploader asked for it by naming themselves, so no opt-out closes it. */
export const KIND_OF: Readonly<Record<Exclude<NotificationType, 'asset_review'>, NotificationKind>> = {
  constellation_share: 'shares',
  top_recommendation: 'recommendations',
  friend_request: 'shares',
  ride_invite: 'shares',
};

/** true = open (every channel is open until the user closes it). */
export type NotificationPreferences = Record<NotificationKind, Record<NotificationChannel, boolean>>;

/** In the inbox, live and in a push. */
export interface Notice {
  title: string;
  body: string | null;
  deepLink: string | null;
}

/** The columns' checks; longer is cut at a word with an ellipsis. */
export const MAX_TITLE_CHARS = 200;
export const MAX_BODY_CHARS = 400;

/** A listener who gave no display name, in notifications and on share pages. */
export const ANONYMOUS_LISTENER = 'A listener';

const notice = (title: string, body: string | null, deepLink: string | null): Notice => ({
  title: cut(title, MAX_TITLE_CHARS),
  body: body ? cut(body, MAX_BODY_CHARS) : null,
  deepLink,
});
const sender = (name: string | null): string => name?.trim() || ANONYMOUS_LISTENER;

export function shareNotice(senderName: string | null, message: string | null, shareId: string): Notice {
  return notice(`${sender(senderName)} shared their constellation`, message, `/shared/${shareId}`);
}

/** Its link opens the friends list. */
export function friendRequestNotice(senderName: string | null): Notice {
  return notice(`${sender(senderName)} wants to be friends`, null, '/play?friends');
}

/** Its link joins the ride. */
export function rideInviteNotice(senderName: string | null, code: string): Notice {
  return notice(`${sender(senderName)} invites you to ride along`, null, `/play?ride=${code}`);
}

export interface TopRecommendation {
  artistId: string;
  artistName: string;
  reason: string;
  /** null for an artist off the dial. */
  station: number | null;
}

/** Held, approved or rejected: the operator's note says why. */
export function assetReviewNotice(artistName: string, artistId: string, outcome: 'held' | 'approved' | 'rejected', why: string | null): Notice {
  const title = { held: 'is waiting for review', approved: 'is live', rejected: 'was not accepted' }[outcome];
  return notice(`Your image of ${artistName} ${title}`, why, outcome === 'approved' ? `/api/artists/${encodeURIComponent(artistId)}/assets` : null);
}

/** An artist off the dial gets no station link. */
export function topRecommendationNotice(top: TopRecommendation): Notice {
  return notice('New artist to explore', `${top.artistName} - ${top.reason}`, top.station === null ? null : `deepstream://station/${top.station}`);
}

export function openChannels(prefs: NotificationPreferences, type: keyof typeof KIND_OF): { inApp: boolean; push: boolean } {
  return { ...prefs[KIND_OF[type]] };
}

/** Rate-bounded, never repeated: another artist than the last told, at least `minIntervalMs` after it. */
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

/** Code points, cut at a word when one ends in the last fifth, with an ellipsis. */
export function cut(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  const head = chars.slice(0, max - 1).join('');
  const space = head.lastIndexOf(' ');
  return `${space > (max * 4) / 5 ? head.slice(0, space) : head}…`;
}
