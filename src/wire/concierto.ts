import { ConciertoRepository } from '../../persistence/concierto/ConciertoRepository.js';
import { Votes, type VotePassport } from '../../features/concierto/Votes.js';
import { conciertoRoutes } from '../http/conciertoRoutes.js';
import type { FeatureParts, WireContext } from './context.js';

/** Concierto events and their votes: one per user per event, weighted by policy, recorded in the passport by the server. */
export function wire(ctx: WireContext, deps: { writer: VotePassport }): FeatureParts {
  const repo = new ConciertoRepository(ctx.sql);
  const votes = new Votes(repo, deps.writer, { voteWeight: ctx.config.concierto.voteWeight, ackTimeoutMs: ctx.config.passport.ackTimeoutMs });
  return { routes: conciertoRoutes({ votes, repo, auth: ctx.auth, adminToken: ctx.config.adminToken }) };
}
