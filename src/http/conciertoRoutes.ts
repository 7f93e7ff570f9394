import { z } from 'zod';
import type { Votes } from '../../features/concierto/Votes.js';
import type { ConciertoRepository } from '../../persistence/concierto/ConciertoRepository.js';
import { issuesOf } from '../../systems/passport/index.js';
import { AppError } from '../../systems/errors.js';
import { adminOnly, NO_STORE } from './adminGate.js';
import { bodyOf } from './passportRoutes.js';
import { withBearerChallenge, type RequestAuth } from './requireUser.js';
import { json, NotFoundError, ValidationError, type Route } from './router.js';

const ID = /^[A-Za-z0-9_.:-]{1,64}$/;
const id = z.string().regex(ID, 'letters, digits and _ . : - (1–64 characters)');

/** `POST /api/concierto/events/:eventId/votes` body. */
export const voteBody = z.strictObject({
  optionId: id,
  /** Idempotency key: a retry with the same UUID answers the same vote. */
  voteId: z.uuid().optional(),
});

/** `POST /api/ops/concierto/events` body. */
export const conciertoEventBody = z
  .strictObject({
    id,
    title: z.string().min(1).max(200),
    startsAt: z.iso.datetime({ offset: true }),
    endsAt: z.iso.datetime({ offset: true }),
    options: z.array(z.strictObject({ id, name: z.string().min(1).max(200) })).min(2).max(50),
  })
  .refine((e) => Date.parse(e.endsAt) > Date.parse(e.startsAt), { message: 'must be after startsAt', path: ['endsAt'] })
  .refine((e) => new Set(e.options.map((o) => o.id)).size === e.options.length, { message: 'option ids must differ', path: ['options'] });

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const details = issuesOf(parsed.error);
  throw new ValidationError(`invalid body: ${details.map((d) => d.field).join(', ')}; see details`, details);
}

export interface ConciertoRouteDeps {
  votes: Votes;
  repo: ConciertoRepository;
  auth: RequestAuth;
  adminToken: string | undefined;
  now?: () => number;
}

/**
 * Concierto voting: the open events (public), a user's vote (access token; one per event, 201, or 200 for
 * a retry with the same voteId; 409 ALREADY_VOTED / EVENT_NOT_ACTIVE), and the event catalogue for operators.
 */
export function conciertoRoutes({ votes, repo, auth, adminToken, now = Date.now }: ConciertoRouteDeps): Route[] {
  const admin = adminOnly(adminToken);
  const routes: Route[] = [
    {
      method: 'GET',
      path: '/api/concierto/events',
      handler: async () => json({ events: await repo.activeEvents(new Date(now()), 100) }, 200, { 'cache-control': 'public, max-age=5' }),
    },
    {
      method: 'POST',
      path: '/api/concierto/events/:eventId/votes',
      handler: async (ctx) => {
        const caller = await auth.requireUser(ctx.request);
        if (caller.kind !== 'user') throw new AppError('FORBIDDEN', "votes are a user's own: send that user's access token, not the admin token");
        const body = parse(voteBody, bodyOf(ctx));
        const { vote, created } = await votes.cast({ userId: caller.userId, eventId: ctx.params.eventId!, optionId: body.optionId, voteId: body.voteId });
        return json({ eventId: ctx.params.eventId, ...vote }, created ? 201 : 200, NO_STORE);
      },
    },
    {
      method: 'POST',
      path: '/api/ops/concierto/events',
      handler: admin(async (ctx) => {
        const body = parse(conciertoEventBody, bodyOf(ctx));
        const created = await repo.createEvent({ ...body, startsAt: new Date(body.startsAt), endsAt: new Date(body.endsAt) });
        if (!created) throw new AppError('CONFLICT', `a concierto event "${body.id}" exists already; choose another id`);
        return json(await repo.event(body.id), 201, NO_STORE);
      }),
    },
    {
      method: 'POST',
      path: '/api/ops/concierto/events/:eventId/close',
      handler: admin(async (ctx) => {
        if (!(await repo.closeEvent(ctx.params.eventId!))) throw new NotFoundError(`no concierto event "${ctx.params.eventId}"`);
        return json(await repo.event(ctx.params.eventId!), 200, NO_STORE);
      }),
    },
  ];
  return routes.map(withBearerChallenge);
}
