import { z } from 'zod';
import type { Votes } from '../../features/concierto/Votes.js';
import type { ConciertoRepository } from '../../persistence/concierto/ConciertoRepository.js';
import { issuesOf } from '../../systems/passport/index.js';
import { AppError } from '../../systems/errors.js';
import { adminOnly, NO_STORE, type RequestAuth, withBearerChallenge } from './authGates.js';
import { bodyOf } from './passportRoutes.js';
import { clientAddressOf, json, NotFoundError, ValidationError, type Route } from './router.js';
import type { HeldVotes } from '../../features/concierto/HeldVotes.js';
import { sha256 } from '../../features/auth/DeviceAuth.js';
import type { Limit } from '../../features/limits/Limits.js';
import { deviceSecretProblem } from '../../systems/auth/identity.js';
import { declareRoutes, mountRoutes } from './declare.js';

const ID = /^[A-Za-z0-9_.:-]{1,64}$/;
const id = z.string().regex(ID, 'letters, digits and _ . : - (1–64 characters)');

/** `POST /api/concierto/events/:eventId/votes` body. */
export const voteBody = z.strictObject({
  optionId: id,
  /** Idempotency key: a retry with the same UUID answers the same vote. */
  voteId: z.uuid().optional(),
});

/** `POST /api/concierto/events/:eventId/held-votes` body: the device secret the device will sign up with. */
export const heldVoteBody = z.strictObject({
  deviceSecret: z.string().superRefine((value, ctx) => {
    const problem = deviceSecretProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  optionId: id,
  voteId: z.uuid().optional(),
});

/** `POST /api/concierto/events/{eventId}/held-votes` 200/201: never the secret nor its hash. */
export const heldVoteSchema = z
  .object({
    eventId: z.string(),
    voteId: z.string(),
    optionId: z.string(),
    weight: z.number(),
    heldAt: z.string(),
    expiresAt: z.string(),
    status: z.literal('held'),
  })
  .meta({ title: 'HeldVote' });

/** `POST /api/ops/concierto/events` body. */
export const conciertoEventBody = z
  .strictObject({
    id,
    title: z.string().min(1).max(200),
    startsAt: z.iso.datetime({ offset: true }),
    endsAt: z.iso.datetime({ offset: true }),
    options: z
      .array(z.strictObject({ id, name: z.string().min(1).max(200) }))
      .min(2)
      .max(50),
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
  held: HeldVotes;
  /** Votes held per client address. */
  holdLimit: Pick<Limit, 'consume'>;
  repo: ConciertoRepository;
  auth: RequestAuth;
  adminToken: string | undefined;
  now?: () => number;
}

/** A concierto event as the routes answer it (persistence/concierto `ConciertoEvent`). */
export const conciertoEventSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    startsAt: z.string(),
    endsAt: z.string(),
    status: z.enum(['open', 'closed']),
    options: z.array(z.object({ id: z.string(), name: z.string() })),
  })
  .meta({ title: 'ConciertoEvent' });

/** `POST /api/concierto/events/{eventId}/votes` 200/201. */
export const voteCastSchema = z
  .object({ eventId: z.string(), voteId: z.string(), optionId: z.string(), weight: z.number(), castAt: z.string() })
  .meta({ title: 'ConciertoVote' });

const event = (description: string) => ({ description, title: 'ConciertoEvent', schema: conciertoEventSchema });

interface ConciertoDeps extends ConciertoRouteDeps {
  now: () => number;
  admin: ReturnType<typeof adminOnly>;
}

/**
 * Concierto voting: the open events (public), a user's vote (access token; one per event, 201, or 200 for
 * a retry with the same voteId; 409 ALREADY_VOTED / EVENT_NOT_ACTIVE), and the event catalogue for operators.
 */
export const CONCIERTO_ROUTES = declareRoutes<ConciertoDeps>()([
  {
    operationId: 'conciertoEvents',
    method: 'GET',
    path: '/api/concierto/events',
    tag: 'concierto',
    summary: 'The concierto events open now, with their options.',
    auth: 'none',
    responses: {
      200: {
        description: '`{ events: [...] }`.',
        title: 'ConciertoEvents',
        schema: z.object({ events: z.array(conciertoEventSchema) }).meta({ title: 'ConciertoEvents' }),
      },
    },
    handler: async (_ctx, { repo, now }) => json({ events: await repo.activeEvents(new Date(now()), 100) }, 200, { 'cache-control': 'public, max-age=5' }),
  },
  {
    operationId: 'conciertoVote',
    method: 'POST',
    path: '/api/concierto/events/{eventId}/votes',
    tag: 'concierto',
    summary: "The token user's vote (one per event; a retry with the same voteId answers 200 with the same vote).",
    auth: 'user',
    request: { title: 'VoteRequest', schema: voteBody.meta({ title: 'VoteRequest' }) },
    responses: {
      201: { description: 'The vote, counted.', title: 'ConciertoVote', schema: voteCastSchema },
      200: { description: 'The same vote again (a retry with its voteId).', title: 'ConciertoVote', schema: voteCastSchema },
    },
    errors: ['FORBIDDEN', 'NOT_FOUND', 'ALREADY_VOTED', 'EVENT_NOT_ACTIVE', 'BACKPRESSURE', 'NOT_PERSISTED'],
    handler: async (ctx, { votes, auth }) => {
      const caller = await auth.requireUser(ctx.request);
      if (caller.kind !== 'user') throw new AppError('FORBIDDEN', "votes are a user's own: send that user's access token, not the admin token");
      const body = parse(voteBody, bodyOf(ctx));
      const { vote, created } = await votes.cast({ userId: caller.userId, eventId: ctx.params.eventId!, optionId: body.optionId, voteId: body.voteId });
      return json({ eventId: ctx.params.eventId, ...vote }, created ? 201 : 200, NO_STORE);
    },
  },
  {
    operationId: 'conciertoHoldVote',
    method: 'POST',
    path: '/api/concierto/events/{eventId}/held-votes',
    tag: 'concierto',
    summary:
      "A vote from a device that has not signed up yet (seed 002 pre-signup voters): held against the device secret it will sign up with, counted as the user's vote when that device signs in (POST /api/auth/device), unless the user already voted on the event. Expires after CONCIERTO_HELD_VOTE_TTL_HOURS.",
    auth: 'none',
    request: { title: 'HeldVoteRequest', schema: heldVoteBody.meta({ title: 'HeldVoteRequest' }) },
    responses: {
      201: { description: 'Held (counts nothing until the device signs in).', title: 'HeldVote', schema: heldVoteSchema },
      200: { description: 'The same held vote again (a retry with its voteId).', title: 'HeldVote', schema: heldVoteSchema },
    },
    errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'ALREADY_VOTED', 'EVENT_NOT_ACTIVE', 'CONFLICT', 'RATE_LIMITED'],
    handler: async (ctx, { held, holdLimit }) => {
      const eventId = ctx.params.eventId!;
      if (!ID.test(eventId))
        throw new ValidationError('eventId must be an event id', [{ field: 'eventId', message: 'letters, digits and _ . : - (1–64 characters)' }]);
      const body = parse(heldVoteBody, bodyOf(ctx));
      await holdLimit.consume(clientAddressOf(ctx.request));
      const { vote, created } = await held.hold({ secretHash: sha256(body.deviceSecret), eventId, optionId: body.optionId, voteId: body.voteId });
      const { voteId, optionId, weight, heldAt, expiresAt } = vote;
      return json({ eventId, voteId, optionId, weight, heldAt, expiresAt, status: 'held' }, created ? 201 : 200, NO_STORE);
    },
  },
  {
    operationId: 'opsCreateConciertoEvent',
    method: 'POST',
    path: '/api/ops/concierto/events',
    tag: 'ops',
    summary: 'Create a concierto event with its options.',
    auth: 'admin',
    request: { title: 'ConciertoEventRequest', schema: conciertoEventBody.meta({ title: 'ConciertoEventRequest' }) },
    responses: { 201: event('The event.') },
    errors: ['CONFLICT'],
    handler: async (ctx, { repo, admin }) =>
      admin(async () => {
        const body = parse(conciertoEventBody, bodyOf(ctx));
        const created = await repo.createEvent({ ...body, startsAt: new Date(body.startsAt), endsAt: new Date(body.endsAt) });
        if (!created) throw new AppError('CONFLICT', `a concierto event "${body.id}" exists already; choose another id`);
        return json(await repo.event(body.id), 201, NO_STORE);
      })(ctx),
  },
  {
    operationId: 'opsCloseConciertoEvent',
    method: 'POST',
    path: '/api/ops/concierto/events/{eventId}/close',
    tag: 'ops',
    summary: 'Close voting on an event now.',
    auth: 'admin',
    responses: { 200: event('The event.') },
    errors: ['NOT_FOUND'],
    handler: async (ctx, { repo, admin }) =>
      admin(async () => {
        if (!(await repo.closeEvent(ctx.params.eventId!))) throw new NotFoundError(`no concierto event "${ctx.params.eventId}"`);
        return json(await repo.event(ctx.params.eventId!), 200, NO_STORE);
      })(ctx),
  },
]);

/** The concierto routes, served. */
export function conciertoRoutes(deps: ConciertoRouteDeps): Route[] {
  return mountRoutes(CONCIERTO_ROUTES, { ...deps, now: deps.now ?? Date.now, admin: adminOnly(deps.adminToken) }, withBearerChallenge);
}
