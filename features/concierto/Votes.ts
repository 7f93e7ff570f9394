/**
 * Concierto voting: one vote per user per event while open, weighted by server policy, never the client. A second
 * vote is refused: a changed vote would take points back from a board that only adds. The vote row commits first,
 * then its event (id = vote id); a crash between is repaired by the client's retry with the same `voteId`.
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '../../systems/errors.js';
import { makeEvent } from '../../systems/passport/build.js';
import type { PassportEvent } from '../../systems/passport/events.js';
import type { PassportIngest } from '../passport/durableIngest.js';
import type { ConciertoRepository } from '../../persistence/concierto/ConciertoRepository.js';
import type { StoredVote } from '../../systems/concierto/shapes.js';

export interface VotesOptions {
  /** What one vote adds to the boards (CONCIERTO_VOTE_WEIGHT). */
  voteWeight: number;
  /** How long the vote's passport event may take to commit (PASSPORT_ACK_TIMEOUT_MS). */
  ackTimeoutMs: number;
}

export interface CastVote {
  userId: string;
  eventId: string;
  optionId: string;
  /** The client's idempotency key (a UUID); a retry with it answers the same vote. */
  voteId?: string;
}

export class Votes {
  private readonly now = Date.now;
  private readonly newId = randomUUID;

  constructor(
    private readonly repo: ConciertoRepository,
    private readonly passport: PassportIngest,
    private readonly options: VotesOptions,
  ) {}

  /** @throws AppError NOT_FOUND, EVENT_NOT_ACTIVE, ALREADY_VOTED (a different vote stands), or the writer's BACKPRESSURE / NOT_PERSISTED. */
  async cast(input: CastVote): Promise<{ vote: StoredVote; created: boolean }> {
    const voteId = input.voteId ?? this.newId();
    const outcome = await this.repo.castVote({ ...input, voteId, weight: this.options.voteWeight, at: new Date(this.now()) });
    switch (outcome.status) {
      case 'unknown_event':
      case 'unknown_option':
      case 'not_open':
        throw voteRefused(outcome.status, input);
      case 'already_voted':
        if (outcome.vote.voteId !== voteId)
          throw new AppError(
            'ALREADY_VOTED',
            `this user already voted on "${input.eventId}" (for "${outcome.vote.optionId}"); one vote per user per event, and it cannot be changed`,
          );
        await this.record(input, outcome.vote);
        return { vote: outcome.vote, created: false };
      case 'cast':
        await this.record(input, outcome.vote);
        return { vote: outcome.vote, created: true };
    }
  }

  /** The vote's passport event, its id the vote's: written again on a retry, stored once. */
  private async record(input: CastVote, vote: StoredVote): Promise<void> {
    const event = voteCastEvent(input.userId, input.eventId, vote, this.now(), this.newId);
    await this.passport.enqueueDurable([event], this.options.ackTimeoutMs);
  }
}

/** Why a vote (counted or held) on `eventId` for `optionId` is refused: the event, the option or the time. */
export function voteRefused(status: 'unknown_event' | 'unknown_option' | 'not_open', { eventId, optionId }: { eventId: string; optionId: string }): AppError {
  if (status === 'unknown_event') return new AppError('NOT_FOUND', `no concierto event "${eventId}"; GET /api/concierto/events lists the open ones`);
  if (status === 'not_open') return new AppError('EVENT_NOT_ACTIVE', `voting on "${eventId}" is not open now (before its start, after its end, or closed)`);
  return new AppError('VALIDATION_FAILED', `event "${eventId}" has no option "${optionId}"`, [
    { field: 'optionId', message: "is not one of the event's options; GET /api/concierto/events lists them" },
  ]);
}

/** A vote's passport event (`concierto.vote_cast`), its id the vote's and its time the vote's: one event per vote, however often written. */
export function voteCastEvent(userId: string, eventId: string, vote: StoredVote, nowMs: number, newId: () => string): PassportEvent {
  return makeEvent(
    'concierto.vote_cast',
    {
      eventId: vote.voteId,
      occurredAt: Date.parse(vote.castAt),
      entityType: 'concierto_event',
      entityId: eventId,
      payload: { eventId, voteFor: vote.optionId, weight: vote.weight },
    },
    { userId, source: 'http' },
    nowMs,
    newId,
  );
}
