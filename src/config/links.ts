import { int, type Env } from './parse.js';

/** @group links */
export function linksConfig(env: Env) {
  return {
    links: {
      /** a share link counts opens for this many days; after it, `/l/{linkId}` still redirects */
      // A share's life in a chat or a feed: a season.
      ttlDays: int(env, 'LINK_TTL_DAYS', 90, 1, 3650),
      /** share links one user may make per hour before `RATE_LIMITED` */
      perUserPerHour: int(env, 'LINKS_PER_USER_PER_HOUR', 60, 1, 100_000),
      /** opens counted per link per hour; past it `/l/{linkId}` redirects uncounted (one open per visitor per link per day is counted at most anyway) */
      opensPerLinkPerHour: int(env, 'LINK_OPENS_PER_LINK_PER_HOUR', 1000, 1, 10_000_000),
      /** opens counted per client address per hour, across links (keyed on a daily hash of the address, never the address); past it uncounted */
      // A household or an office opens a few links an hour, not hundreds.
      opensPerAddressPerHour: int(env, 'LINK_OPENS_PER_ADDRESS_PER_HOUR', 120, 1, 10_000_000),
    },
  };
}
