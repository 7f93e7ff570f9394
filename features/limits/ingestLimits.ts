/**
 * Bounds on what one user may claim through HTTP ingest: server-only types refused, a rate per type, a cap per board
 * row per window. A batch is refused whole and its points returned, so boards count only events within bounds. Room
 * events never pass here: the room's message rate bounds them.
 */
import type { Backplane } from '../../persistence/backplane/Backplane.js';
import type { PassportEvent } from '../../systems/passport/events.js';
import { AppError } from '../../systems/errors.js';
import { claimedEntity, SERVER_ONLY_TYPES } from '../../systems/leaderboard/countingRules.js';
import { Limit, RateLimitedError } from './Limits.js';

interface Charge {
  limit: Limit;
  key: string;
  points: number;
  /** The event type charged, named in a refusal. */
  type: string;
}

export class IngestLimits {
  private readonly perType: Limit;
  private readonly perEntityHour: Limit;
  private readonly perEntityDay: Limit;

  /** `serverOnly`: the types refused outright, with their advice (systems/leaderboard/countingRules.ts serverOnlyTypes). */
  constructor(
    backplane: Backplane,
    settings: Record<'eventsPerUserPerSecond' | 'entityEventsPerUserPerHour' | 'attendancesPerEventPerDay', number>,
    private readonly serverOnly: Readonly<Record<string, string>> = SERVER_ONLY_TYPES,
  ) {
    this.perType = new Limit(backplane, 'ingest-type', settings.eventsPerUserPerSecond, 1, 'events of one type from this user');
    this.perEntityHour = new Limit(backplane, 'ingest-entity', settings.entityEventsPerUserPerHour, 3600, 'events about one board entry from this user');
    this.perEntityDay = new Limit(backplane, 'ingest-attendance', settings.attendancesPerEventPerDay, 86_400, 'attendances of one event from this user');
  }

  /** @throws AppError VALIDATION_FAILED for a server-only type, RateLimitedError when a bound would be passed. */
  async admit(events: readonly PassportEvent[]): Promise<void> {
    const refused = events.findIndex((e) => this.serverOnly[e.eventType] !== undefined);
    if (refused >= 0) {
      const type = events[refused]!.eventType;
      throw new AppError('VALIDATION_FAILED', `${type} cannot be sent by a client: ${this.serverOnly[type]}`, [
        { field: `events.${refused}.eventType`, message: this.serverOnly[type]! },
      ]);
    }
    // Every charge at once; if any is refused, the others are given back.
    const charges = this.charges(events);
    const outcomes = await Promise.allSettled(charges.map((c) => c.limit.consume(c.key, c.points)));
    const refusedAt = outcomes.findIndex((o) => o.status === 'rejected');
    if (refusedAt < 0) return;
    await Promise.all(charges.map((c, i) => (outcomes[i]!.status === 'fulfilled' ? c.limit.refund(c.key, c.points) : undefined)));
    const err = (outcomes[refusedAt] as PromiseRejectedResult).reason as unknown;
    if (err instanceof RateLimitedError)
      throw new RateLimitedError(`${charges[refusedAt]!.type}: ${err.message}; nothing of this batch was accepted`, err.retryAfterSec!);
    throw err;
  }

  /** Points per (limit, key) the batch costs, the rate per type first. */
  private charges(events: readonly PassportEvent[]): Charge[] {
    const byKey = new Map<string, Charge>();
    const add = (limit: Limit, key: string, type: string) => {
      const id = `${limit.name}\u0000${key}`;
      const charge = byKey.get(id);
      if (charge) charge.points++;
      else byKey.set(id, { limit, key, points: 1, type });
    };
    for (const e of events) add(this.perType, `${e.userId ?? 'anonymous'}:${e.eventType}`, e.eventType);
    for (const e of events) {
      const claim = claimedEntity(e);
      if (claim) add(claim.window === 'day' ? this.perEntityDay : this.perEntityHour, `${e.userId ?? 'anonymous'}:${e.eventType}:${claim.entity}`, e.eventType);
    }
    return [...byKey.values()];
  }
}
