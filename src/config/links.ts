/**
 * Share links and their opens (features/links): how long a link counts opens, and the bounds on making links
 * and on counting opens. Each variable has a row in docs/CONFIG.md.
 */
import { int, type Env } from './parse.js';

export interface LinksConfig {
  /** A link stops counting opens after this many days (it still redirects). */
  ttlDays: number;
  /** Links one user may make per hour. */
  perUserPerHour: number;
  /** Opens counted per link per hour; past it, opens redirect uncounted (a link pasted into a bot farm). */
  opensPerLinkPerHour: number;
  /** Opens counted per client address per hour, across links. */
  opensPerAddressPerHour: number;
}

export function linksConfig(env: Env): { links: LinksConfig } {
  return {
    links: {
      // A share's life in a chat or a feed: a season.
      ttlDays: int(env, 'LINK_TTL_DAYS', 90, 1, 3650),
      perUserPerHour: int(env, 'LINKS_PER_USER_PER_HOUR', 60, 1, 100_000),
      opensPerLinkPerHour: int(env, 'LINK_OPENS_PER_LINK_PER_HOUR', 1000, 1, 10_000_000),
      // A household or an office behind one address opens a few links an hour, not hundreds.
      opensPerAddressPerHour: int(env, 'LINK_OPENS_PER_ADDRESS_PER_HOUR', 120, 1, 10_000_000),
    },
  };
}
