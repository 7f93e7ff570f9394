import { ShareLinks } from '../../features/links/ShareLinks.js';
import type { PassportIngest } from '../../features/passport/durableIngest.js';
import { Limit } from '../../features/limits/Limits.js';
import { ShareLinkStore } from '../../persistence/links/ShareLinkStore.js';
import { linkRoutes } from '../http/linksRoutes.js';
import type { FeatureParts, WireContext } from './context.js';

/** Opens counted at the redirect; both recorded in the passport. */
export function wire(ctx: WireContext, deps: { writer: PassportIngest }): FeatureParts {
  const { links, passport } = ctx.config;
  const shareLinks = new ShareLinks(
    new ShareLinkStore(ctx.sql),
    deps.writer,
    {
      creates: new Limit(ctx.backplane, 'link-creates', links.perUserPerHour, 3600, 'share links made by this user'),
      opens: new Limit(ctx.backplane, 'link-opens', links.opensPerAddressPerHour, 3600, 'share link opens from this address'),
    },
    ctx.log.child({ component: 'links' }),
    { ttlDays: links.ttlDays, opensPerLinkPerHour: links.opensPerLinkPerHour, ackTimeoutMs: passport.ackTimeoutMs },
  );
  return { routes: linkRoutes(shareLinks, ctx.auth) };
}
