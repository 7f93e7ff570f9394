/**
 * Votes from devices that have not signed up: held against the device's secret hash, counting nothing until it signs in,
 * then the user's votes (`superseded` when they had voted). The passport event is written after the link and marked;
 * a sign-in that finds it missing writes it again (vote id = event id, so stored once).
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { AppError } from '../../systems/errors.js';
import type { HeldVoteStore } from '../../persistence/concierto/HeldVoteStore.js';
import type { HeldVote, VoterContact } from '../../systems/concierto/shapes.js';
import type { PassportIngest } from '../passport/durableIngest.js';
import { voteCastEvent, voteRefused, type VotesOptions } from './Votes.js';

export type HeldVotesOptions = VotesOptions & { ttlHours: number };

/** Passport events one sign-in writes at most (a device holds one vote per event; this is plenty). */
const RECORD_BATCH = 100;

export class HeldVotes {
  private readonly now = Date.now;

  constructor(
    private readonly store: HeldVoteStore,
    private readonly passport: PassportIngest,
    private readonly log: Pick<Logger, 'info' | 'warn'>,
    private readonly options: HeldVotesOptions,
  ) {}

  /**
   * @throws AppError NOT_FOUND, VALIDATION_FAILED (unknown option), EVENT_NOT_ACTIVE, ALREADY_VOTED, CONFLICT (the device
   * has signed up, or the voteId belongs to another vote).
   */
  async hold(input: {
    secretHash: string;
    eventId: string;
    optionId: string;
    voteId?: string;
    contact?: VoterContact;
  }): Promise<{ vote: HeldVote; created: boolean }> {
    const at = this.now();
    const voteId = input.voteId ?? randomUUID();
    const outcome = await this.store.hold({
      ...input,
      voteId,
      weight: this.options.voteWeight,
      at: new Date(at),
      expiresAt: new Date(at + this.options.ttlHours * 3_600_000),
    });
    // The route takes a contact only with marketing consent; it is kept once the vote stands.
    if (input.contact && (outcome.status === 'held' || (outcome.status === 'already_held' && outcome.vote.voteId === voteId)))
      await this.store.saveContact(input.secretHash, input.eventId, input.contact, new Date(at));
    switch (outcome.status) {
      case 'held':
        return { vote: outcome.vote, created: true };
      case 'already_held':
        if (outcome.vote.voteId !== voteId)
          throw new AppError('ALREADY_VOTED', `this device already holds a vote on "${input.eventId}" (for "${outcome.vote.optionId}"); one vote per event`);
        return { vote: outcome.vote, created: false };
      case 'unknown_event':
      case 'unknown_option':
      case 'not_open':
        throw voteRefused(outcome.status, input);
      case 'signed_up':
        throw new AppError('CONFLICT', 'this device has signed up: vote with its access token (POST /api/concierto/events/{eventId}/votes)');
      case 'vote_id_taken':
        throw new AppError('CONFLICT', 'this voteId names another vote; send a new UUID', [{ field: 'voteId', message: 'is taken' }]);
    }
  }

  /** The voter's own erasure (they prove it with the device secret): every contact the device gave. */
  forgetContacts(secretHash: string): Promise<number> {
    return this.store.deleteContacts(secretHash);
  }

  /** What the event's brand may see: consenting voters only. */
  contacts(eventId: string, limit: number) {
    return this.store.contacts(eventId, limit);
  }

  /** Failures are logged, never the sign-in's: the next sign-in finishes the work. */
  async linkDevice(secretHash: string, userId: string): Promise<void> {
    try {
      if (!(await this.store.anythingToLink(secretHash, userId, new Date(this.now())))) return;
      const linked = await this.store.link(secretHash, userId, new Date(this.now()));
      if (linked.counted + linked.superseded > 0) this.log.info({ userId, ...linked }, 'held votes linked to the user who signed up');
      const pending = await this.store.unrecorded(userId, RECORD_BATCH);
      if (!pending.length) return;
      const events = pending.map((v) =>
        voteCastEvent(userId, v.eventId, { voteId: v.voteId, optionId: v.optionId, weight: v.weight, castAt: v.heldAt }, this.now(), randomUUID),
      );
      await this.passport.enqueueDurable(events, this.options.ackTimeoutMs);
      const voteIds = pending.map((v) => v.voteId);
      await this.store.markRecorded(voteIds, new Date(this.now()));
    } catch (err) {
      this.log.warn({ err, userId }, 'held votes not linked yet; the next sign-in of this device retries');
    }
  }
}
