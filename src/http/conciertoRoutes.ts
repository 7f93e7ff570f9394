import { z } from 'zod';
import type { Votes } from '../../features/concierto/Votes.js';
import type { ConciertoRepository } from '../../persistence/concierto/ConciertoRepository.js';
import { AppError } from '../../systems/errors.js';
import { conciertoEventSchema, heldVoteFields, storedVoteFields, voterContactFields } from '../../systems/concierto/shapes.js';
import type { AdminGate, RequestAuth } from './authGates.js';
import type { HeldVotes } from '../../features/concierto/HeldVotes.js';
import { sha256 } from '../../features/auth/DeviceAuth.js';
import type { Limit } from '../../features/limits/Limits.js';
import { deviceSecret } from './authRoutes.js';
import { NotFoundError } from './errors.js';
import { reply, routeOf } from './route.js';

const ID = /^[A-Za-z0-9_.:-]{1,64}$/;
const id = z.string().regex(ID, 'letters, digits and _ . : - (1–64 characters)');

export const voteBody = z
  .strictObject({
    optionId: id,
    /** Idempotency key: a retry with the same UUID answers the same vote. */
    voteId: z.uuid().optional(),
  })
  .meta({ title: 'VoteRequest' });

/** `POST /api/concierto/events/:eventId/held-votes` body: the device secret the device will sign up with. */
export const heldVoteBody = z
  .strictObject({
    deviceSecret,
    optionId: id,
    voteId: z.uuid().optional(),
    /** A pre-signup voter's contact, kept for the event's brand only with marketing consent; erased by POST /api/concierto/contacts/delete. */
    contact: z
      .strictObject({
        email: z.email().max(254),
        name: z.string().trim().min(1).max(100).optional(),
        phone: z
          .string()
          .regex(/^\+?[0-9 ()-]{6,20}$/, 'digits, spaces, ( ) - and a leading +')
          .optional(),
        marketingConsent: z.literal(true, 'contact details are kept only with marketing consent: send true, or leave contact out'),
      })
      .optional(),
  })
  .meta({ title: 'HeldVoteRequest' });
const contactSchema = voterContactFields.extend({ consentedAt: z.string() });

/** `POST /api/concierto/events/{eventId}/held-votes` 200/201: never the secret nor its hash. */
export const heldVoteSchema = heldVoteFields
  .extend({
    status: z.literal('held'),
    contactStored: z.boolean(),
  })
  .meta({ title: 'HeldVote' });

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
  .refine((e) => new Set(e.options.map((o) => o.id)).size === e.options.length, { message: 'option ids must differ', path: ['options'] })
  .meta({ title: 'ConciertoEventRequest' });

interface ConciertoDeps {
  votes: Votes;
  held: HeldVotes;
  /** Votes held per client address. */
  holdLimit: Pick<Limit, 'consume'>;
  repo: ConciertoRepository;
  auth: RequestAuth;
  admin: AdminGate;
  now: () => number;
}

export const voteCastSchema = z.object({ eventId: z.string(), ...storedVoteFields.shape }).meta({ title: 'ConciertoVote' });

const event = (description: string) => ({ description, schema: conciertoEventSchema });
const eventParams = z.object({ eventId: id });

const route = routeOf<ConciertoDeps>('concierto', 'admin');

/** Concierto voting: open events (public), a user's vote (201, or 200 for a retry with the same voteId), and operators' event catalogue. */
export const CONCIERTO_ROUTES = [
  route('GET /api/concierto/events', {
    operationId: 'conciertoEvents',
    summary: 'The concierto events open now, with their options.',
    auth: 'none',
    responses: { 200: { description: '`{ events: [...] }`.', schema: z.object({ events: z.array(conciertoEventSchema) }).meta({ title: 'ConciertoEvents' }) } },
    headers: { 'cache-control': 'public, max-age=5' },
    handler: async (_ctx, { repo, now }) => ({ events: await repo.activeEvents(new Date(now()), 100) }),
  }),
  route('POST /api/concierto/events/{eventId}/votes', {
    operationId: 'conciertoVote',
    summary: "The token user's vote (one per event; a retry with the same voteId answers 200 with the same vote).",
    auth: 'user',
    body: voteBody,
    responses: {
      201: { description: 'The vote, counted.', schema: voteCastSchema },
      200: { description: 'The same vote again (a retry with its voteId).', schema: voteCastSchema },
    },
    errors: ['NOT_FOUND', 'ALREADY_VOTED', 'EVENT_NOT_ACTIVE', 'BACKPRESSURE', 'NOT_PERSISTED'],
    handler: async ({ caller, params: { eventId }, body }, { votes }) => {
      const { vote, created } = await votes.cast({ userId: caller.userId, eventId, optionId: body.optionId, voteId: body.voteId });
      return reply(created ? 201 : 200, { eventId, ...vote });
    },
  }),
  route('POST /api/concierto/events/{eventId}/held-votes', {
    operationId: 'conciertoHoldVote',
    summary:
      "A vote from a device that has not signed up yet (so a fan can vote before signing up): held against the device secret it will sign up with, counted as the user's vote when that device signs in (POST /api/auth/device), unless the user already voted on the event. Expires after CONCIERTO_HELD_VOTE_TTL_HOURS.",
    auth: 'none',
    params: eventParams,
    body: heldVoteBody,
    responses: {
      201: { description: 'Held (counts nothing until the device signs in).', schema: heldVoteSchema },
      200: { description: 'The same held vote again (a retry with its voteId).', schema: heldVoteSchema },
    },
    errors: ['NOT_FOUND', 'ALREADY_VOTED', 'EVENT_NOT_ACTIVE', 'CONFLICT', 'RATE_LIMITED'],
    handler: async ({ request, params: { eventId }, body }, { held, holdLimit }) => {
      await holdLimit.consume(request.clientAddress);
      const { vote, created } = await held.hold({ ...body, secretHash: sha256(body.deviceSecret), eventId });
      const { voteId, optionId, weight, heldAt, expiresAt } = vote;
      return reply(created ? 201 : 200, { eventId, voteId, optionId, weight, heldAt, expiresAt, status: 'held' as const, contactStored: !!body.contact });
    },
  }),
  route('POST /api/concierto/contacts/delete', {
    operationId: 'conciertoDeleteContacts',
    summary: 'Erases every contact a pre-signup voter gave (email, name, phone, consent), on every event; the device secret proves it is theirs.',
    auth: 'none',
    body: z.strictObject({ deviceSecret }).meta({ title: 'DeleteVoterContacts' }),
    responses: { 200: { description: 'How many were erased.', schema: z.object({ deleted: z.number().int() }).meta({ title: 'VoterContactsDeleted' }) } },
    errors: ['RATE_LIMITED'],
    handler: async ({ request, body }, { held, holdLimit }) => {
      await holdLimit.consume(request.clientAddress);
      return { deleted: await held.forgetContacts(sha256(body.deviceSecret)) };
    },
  }),
  route('GET /api/ops/concierto/events/{eventId}/contacts', {
    operationId: 'opsConciertoContacts',
    tag: 'ops',
    summary: "The event's pre-signup voters who gave their contact with marketing consent (at most 1,000, oldest first): what its brand may follow up.",
    params: eventParams,
    responses: { 200: { description: '`{ contacts }`.', schema: z.object({ contacts: z.array(contactSchema) }).meta({ title: 'VoterContacts' }) } },
    handler: async ({ params: { eventId } }, { held }) => ({ contacts: await held.contacts(eventId, 1000) }),
  }),
  route('POST /api/ops/concierto/events', {
    operationId: 'opsCreateConciertoEvent',
    tag: 'ops',
    summary: 'Create a concierto event with its options.',
    body: conciertoEventBody,
    responses: { 201: event('The event.') },
    errors: ['CONFLICT'],
    handler: async ({ body }, { repo }) => {
      const created = await repo.createEvent({ ...body, startsAt: new Date(body.startsAt), endsAt: new Date(body.endsAt) });
      if (!created) throw new AppError('CONFLICT', `a concierto event "${body.id}" exists already; choose another id`);
      return reply(201, (await repo.event(body.id))!);
    },
  }),
  route('POST /api/ops/concierto/events/{eventId}/close', {
    operationId: 'opsCloseConciertoEvent',
    tag: 'ops',
    summary: 'Close voting on an event now.',
    params: z.object({ eventId: z.string() }),
    responses: { 200: event('The event.') },
    errors: ['NOT_FOUND'],
    handler: async ({ params: { eventId } }, { repo }) => {
      if (!(await repo.closeEvent(eventId))) throw new NotFoundError(`no concierto event "${eventId}"`);
      return (await repo.event(eventId))!;
    },
  }),
];
