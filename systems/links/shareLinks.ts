/**
 * Share links: what one may point at, where it leads, which requests count as an open. An open is a person's browser
 * following it: a GET with a User-Agent that is no crawler, preview fetcher or HTTP library, and no prefetch
 * (`Purpose` / `Sec-Purpose` / `X-Purpose` / `X-Moz`). Everyone is redirected; only opens are counted.
 */
import { z } from 'zod';
import { LINK_TARGET_TYPES } from '../passport/payloads.js';

export { LINK_TARGET_TYPES };
export type LinkTargetType = (typeof LINK_TARGET_TYPES)[number];

/** base64url, 22 characters: unguessable, says nothing about who made it. */
export const LINK_ID_BYTES = 16;
export const LINK_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

/** A share link's fields beside its id, as stored (with its owner) and answered (without). */
export const shareLinkFields = z.object({
  targetType: z.enum(LINK_TARGET_TYPES),
  targetId: z.string(),
  channel: z.string().nullable(),
  createdAt: z.string(),
  expiresAt: z.string(),
});
export type ShareLink = z.infer<typeof shareLinkFields> & { id: string; userId: string };

const NOT_A_PERSON =
  /bot\b|bot\/|crawl|spider|slurp|preview|facebookexternalhit|facebookcatalog|embedly|whatsapp|telegram|discord|slack|skype|linkedin|pinterest|vkshare|snapchat|tumblr|bitlybot|redditbot|applebot|yandex|baidu|bingpreview|headless|phantomjs|lighthouse|pagespeed|curl\/|wget\/|python|go-http-client|java\/|okhttp|axios|node-fetch|undici|httpclient|libwww|scrapy|postman|insomnia|^node$|^node\//i;
const PREFETCH = /prefetch|prerender|preview/i;
const MAX_USER_AGENT = 512;

export interface OpenRequest {
  method: string;
  userAgent: string | null;
  purposes: ReadonlyArray<string | null>;
}

/** null when it is a person following it. */
export function notAnOpen(r: OpenRequest): 'method' | 'no_user_agent' | 'robot' | 'prefetch' | null {
  if (r.method !== 'GET') return 'method';
  const ua = r.userAgent?.trim() ?? '';
  if (!ua || ua.length > MAX_USER_AGENT) return 'no_user_agent';
  if (NOT_A_PERSON.test(ua)) return 'robot';
  if (r.purposes.some((p) => p !== null && PREFETCH.test(p))) return 'prefetch';
  return null;
}

/** The player for an artist or a track, the jumbotron for an event. */
export function targetPath(type: LinkTargetType, id: string): string {
  return `${type === 'event' ? '/coliseum' : '/play'}?${type}=${encodeURIComponent(id)}`;
}

/** Where the counting rules read a target from. */
const TARGET_FIELD: Record<LinkTargetType, 'artistId' | 'eventId' | 'trackId'> = { artist: 'artistId', event: 'eventId', track: 'trackId' };

export function linkPayload(link: Pick<ShareLink, 'id' | 'targetType' | 'targetId' | 'channel'>, kind: 'shared' | 'opened') {
  return {
    linkId: link.id,
    targetType: link.targetType,
    [TARGET_FIELD[link.targetType]]: link.targetId,
    ...(kind === 'shared' && link.channel ? { channel: link.channel } : {}),
  };
}
