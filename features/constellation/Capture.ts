/**
 * Capturing a star: the ONE use case behind a live `capture` and an offline `capture_star`. The star, lines, badges and
 * passport events are stored in one statement (a crash between two commits lost events), then the events are queued;
 * if the process dies first, the outbox drainer queues them.
 */
import { randomUUID } from 'node:crypto';
import { badgesForCapture, type Badge } from '../../systems/session/badges.js';
import type { StarConnection } from '../../systems/constellation/constellation.js';
import { buildEvents, type ServerEvent } from '../../systems/passport/build.js';
import type { EventSource, PassportEvent } from '../../systems/passport/events.js';
import type { CaptureResult, ConstellationRepository, StarPosition } from '../../persistence/constellation/ConstellationRepository.js';
import type { CapturePassportRow } from '../../persistence/constellation/captureStatement.js';
import type { Sql } from '../../persistence/db.js';
import type { PassportWriter } from '../passport/PassportWriter.js';
import { BackpressureError } from '../../persistence/passport/errors.js';
import { planStar, type CatalogReads, type KnownStar } from './planStar.js';

export interface CaptureInput {
  userId: string;
  sessionId: string | null;
  /** The artist as the caller found it (the station on screen, or the catalog). */
  artist: { id: string; name: string; genres: readonly string[] };
  /** Artist ids the listener travelled through, oldest first. */
  discoveryPath: string[];
  /** The user's stars as the caller knows them (checked again by the store). */
  existing: readonly KnownStar[];
  /** Client operation id (idempotent retries, offline queue). */
  opId?: string;
  /** When it happened; offline replays pass the client time. Default: the store's clock. */
  capturedAtMs?: number;
  /** Who sent it, for the passport events (the session's device). */
  deviceId: string;
  /** Where the capture came from, for the passport events. */
  source: EventSource;
  /** Server time of receipt, the events' `receivedAt`. Default now. */
  receivedAtMs?: number;
  /** The passport event ids, by position (0: the capture, then its badges); default random. Offline replays derive them from the opId. */
  eventId?: (n: number) => string;
}

export type CaptureOutcome =
  | {
      status: 'captured';
      star: { artistId: string; position: StarPosition };
      totalStars: number;
      connections: StarConnection[];
      badgesAwarded: Badge[];
      /** Stored with the star (in the passport outbox; queued once committed): `constellation.captured`, then one `badge.earned` per awarded badge. */
      logged: PassportEvent[];
      /** The stars after this one, with genres (a caller may keep them for the next capture). */
      stars: KnownStar[];
    }
  | {
      /** Already a star, in the caller's list or in the store (captured elsewhere meanwhile). */
      status: 'already';
      star: { artistId: string; position: StarPosition };
      /** Known when the store answered; undefined when the caller's list already had the star. */
      totalStars?: number;
      /** True when the caller's list was stale (the store had it): reload before the next capture. */
      staleList: boolean;
    };

export interface CaptureDeps {
  catalog: CatalogReads;
  constellations: Pick<ConstellationRepository, 'capture'>;
  /** Where a capture's events go after its commit (from the outbox to `passport_entries`, the live boards). */
  passport: Pick<PassportWriter, 'enqueue'>;
  /** Told after each stored star: the journal cache drops the user's entry. */
  onCaptured?: (userId: string) => void;
}

export class Capture {
  constructor(private readonly deps: CaptureDeps) {}

  /** Tells listeners again after the caller's commit, so a journal rebuilt from the old rows meanwhile is dropped too. */
  committed(userId: string): void {
    this.deps.onCaptured?.(userId);
  }

  /** No lag refusal: they record what already happened. A full queue leaves them to the outbox drainer. */
  private publish(events: readonly PassportEvent[]): void {
    try {
      this.deps.passport.enqueue(events, { followUp: true });
    } catch (err) {
      if (!(err instanceof BackpressureError)) throw err;
    }
  }

  /**
   * In `tx` when given; the caller then calls {@link committed} and queues the outcome's `logged` events after its
   * commit (else the outbox drainer will).
   * @throws ConstellationStoreError when the store refuses the capture (unknown artist or user).
   */
  async run(input: CaptureInput, tx?: Sql): Promise<CaptureOutcome> {
    const known = input.existing.find((s) => s.artistId === input.artist.id);
    if (known) return { status: 'already', star: { artistId: known.artistId, position: known.position }, staleList: false };
    const { placement, connections, existing } = await planStar(this.deps.catalog, { ...input, artistId: input.artist.id, artistGenres: input.artist.genres });
    const badges = badgesForCapture(input.existing.length);
    const position = { ...placement.position };
    const passport = this.passportRows(input, position, connections.length, badges);
    const request = { ...input, artistId: input.artist.id, position: placement.position, connections: connections.map((c) => ({ ...c })), badges, passport };
    const result: CaptureResult = await this.deps.constellations.capture(request, tx);
    if (result.status === 'already')
      return { status: 'already', star: { artistId: input.artist.id, position: result.star.position }, totalStars: result.totalStars, staleList: true };
    if (!tx) this.publish(result.logged);
    this.deps.onCaptured?.(input.userId);
    return {
      status: 'captured',
      star: { artistId: input.artist.id, position },
      totalStars: result.totalStars,
      connections,
      badgesAwarded: result.badgesAwarded,
      logged: result.logged,
      stars: [...existing, { artistId: input.artist.id, position, genres: input.artist.genres }],
    };
  }

  /** The events of the capture, built before the statement: badge events only count if awarded, `totalStars` is set by the store. */
  private passportRows(input: CaptureInput, position: StarPosition, connections: number, badges: readonly Badge[]): CapturePassportRow[] {
    const ids = { userId: input.userId, sessionId: input.sessionId, deviceId: input.deviceId, source: input.source };
    const nextId = input.eventId ?? (() => randomUUID());
    let n = 0;
    const events = buildEvents(captureEvents(input, position, input.existing.length + 1, connections, badges), ids, input.receivedAtMs ?? Date.now(), () =>
      nextId(n++),
    );
    return events.map((event, i) => (i === 0 ? { event, stampTotalStars: true } : { event, ifBadge: badges[i - 1] }));
  }
}

/** The passport record of a capture: the same payload however the star arrived. */
export function captureEvents(input: CaptureInput, position: StarPosition, totalStars: number, connections: number, badges: readonly string[]): ServerEvent[] {
  const occurredAtMs = input.capturedAtMs;
  return [
    {
      type: 'constellation.captured',
      entityType: 'artist',
      entityId: input.artist.id,
      occurredAtMs,
      payload: {
        artistId: input.artist.id,
        artistName: input.artist.name,
        position,
        totalStars,
        discoveryPath: input.discoveryPath,
        connections,
        opId: input.opId ?? null,
      },
    },
    ...badges.map((badge): ServerEvent => ({ type: 'badge.earned', entityType: 'badge', entityId: badge, occurredAtMs, payload: { badge, trigger: 'stars' } })),
  ];
}
