import { ConciertoRepository } from '../../persistence/concierto/ConciertoRepository.js';
import { Votes } from '../../features/concierto/Votes.js';
import type { PassportIngest } from '../../features/passport/durableIngest.js';
import { CONCIERTO_ROUTES } from '../http/conciertoRoutes.js';
import { adminGate } from '../http/authGates.js';
import { mount } from '../http/route.js';
import { HeldVotes } from '../../features/concierto/HeldVotes.js';
import { HeldVoteStore } from '../../persistence/concierto/HeldVoteStore.js';
import { Limit } from '../../features/limits/Limits.js';
import type { FeatureParts, WireContext } from './context.js';

/** Votes, one per user per event, recorded by the server; votes held against devices not signed up yet, linked when they do (`held.linkDevice`). */
export function wire(ctx: WireContext, deps: { writer: PassportIngest }): FeatureParts & { held: HeldVotes } {
  const { concierto, passport } = ctx.config;
  const repo = new ConciertoRepository(ctx.sql);
  const votes = new Votes(repo, deps.writer, { voteWeight: concierto.voteWeight, ackTimeoutMs: passport.ackTimeoutMs });
  const held = new HeldVotes(new HeldVoteStore(ctx.sql), deps.writer, ctx.log.child({ component: 'concierto' }), {
    voteWeight: concierto.voteWeight,
    ttlHours: concierto.heldVoteTtlHours,
    ackTimeoutMs: passport.ackTimeoutMs,
  });
  const holdLimit = new Limit(ctx.backplane, 'held-votes', concierto.heldVotesPerAddressPerHour, 3600, 'votes held from this address');
  return { held, routes: mount(CONCIERTO_ROUTES, { votes, held, holdLimit, repo, auth: ctx.auth, admin: adminGate(ctx.config.adminToken), now: Date.now }) };
}
