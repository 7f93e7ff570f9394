/** A concierto event and a held vote, as stored and as the routes answer them. */
import { z } from 'zod';

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
export type ConciertoEvent = z.infer<typeof conciertoEventSchema>;

export const heldVoteFields = z.object({
  eventId: z.string(),
  voteId: z.string(),
  optionId: z.string(),
  weight: z.number(),
  heldAt: z.string(),
  expiresAt: z.string(),
});
export type HeldVote = z.infer<typeof heldVoteFields>;

/** A pre-signup voter's contact for the event's brand: stored only with marketing consent. */
export const voterContactFields = z.object({ email: z.string(), name: z.string().optional(), phone: z.string().optional() });
export type VoterContact = z.infer<typeof voterContactFields>;

/** A user's vote on an event, as stored and as `POST /api/concierto/events/{eventId}/votes` answers it (with its eventId). */
export const storedVoteFields = z.object({ voteId: z.string(), optionId: z.string(), weight: z.number(), castAt: z.string() });
export type StoredVote = z.infer<typeof storedVoteFields>;
