/**
 * Share links (seed 004 "Link shares and opens (CALS)"), pure: what a link may point at, where following it
 * leads, which requests count as an open, and the passport payloads of a share and an open.
 *
 * An open counts when a person's browser follows the link: a GET (not HEAD), with a User-Agent that is not a
 * crawler, link-preview fetcher or HTTP library, and not a prefetch (`Purpose` / `Sec-Purpose` / `X-Purpose` /
 * `X-Moz` naming prefetch, prerender or preview). Everyone is redirected; only countable opens are counted.
 */
import { LINK_TARGET_TYPES } from '../passport/payloads.js';

export { LINK_TARGET_TYPES };
export type LinkTargetType = (typeof LINK_TARGET_TYPES)[number];

/** 16 random bytes, base64url: 22 characters (unguessable; says nothing about who made it). */
export const LINK_ID_BYTES = 16;
export const LINK_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

export interface ShareLink {
  id: string;
  userId: string;
  targetType: LinkTargetType;
  targetId: string;
  channel: string | null;
  createdAt: string;
  expiresAt: string;
}

/** Crawlers, link-preview fetchers (chat apps, social sites), headless browsers and HTTP libraries. */
const NOT_A_PERSON =
  /bot\b|bot\/|crawl|spider|slurp|preview|facebookexternalhit|facebookcatalog|embedly|whatsapp|telegram|discord|slack|skype|linkedin|pinterest|vkshare|snapchat|tumblr|bitlybot|redditbot|applebot|yandex|baidu|bingpreview|headless|phantomjs|lighthouse|pagespeed|curl\/|wget\/|python|go-http-client|java\/|okhttp|axios|node-fetch|undici|httpclient|libwww|scrapy|postman|insomnia|^node$|^node\//i;
const PREFETCH = /prefetch|prerender|preview/i;
const MAX_USER_AGENT = 512;

export interface OpenRequest {
  method: string;
  userAgent: string | null;
  /** `Purpose`, `Sec-Purpose`, `X-Purpose` and `X-Moz` headers, as sent. */
  purposes: ReadonlyArray<string | null>;
}

/** Why a request to a link is not counted as an open, or null when it is a person following it. */
export function notAnOpen(r: OpenRequest): 'method' | 'no_user_agent' | 'robot' | 'prefetch' | null {
  if (r.method !== 'GET') return 'method';
  const ua = r.userAgent?.trim() ?? '';
  if (!ua || ua.length > MAX_USER_AGENT) return 'no_user_agent';
  if (NOT_A_PERSON.test(ua)) return 'robot';
  if (r.purposes.some((p) => p !== null && PREFETCH.test(p))) return 'prefetch';
  return null;
}

/** Where following a link leads: the player for an artist or a track, the jumbotron for an event. */
export function targetPath(type: LinkTargetType, id: string): string {
  const q = encodeURIComponent(id);
  if (type === 'event') return `/coliseum?event=${q}`;
  return type === 'artist' ? `/play?artist=${q}` : `/play?track=${q}`;
}

/** The payload field the counting rules read a target from (systems/leaderboard/countingRules.ts LINK_TARGETS). */
const TARGET_FIELD: Record<LinkTargetType, 'artistId' | 'eventId' | 'trackId'> = { artist: 'artistId', event: 'eventId', track: 'trackId' };

/** The passport payload of a share (`social.link_shared`) or an open (`social.link_opened`). */
export function linkPayload(link: Pick<ShareLink, 'id' | 'targetType' | 'targetId' | 'channel'>, kind: 'shared' | 'opened') {
  return {
    linkId: link.id,
    targetType: link.targetType,
    [TARGET_FIELD[link.targetType]]: link.targetId,
    ...(kind === 'shared' && link.channel ? { channel: link.channel } : {}),
  };
}
