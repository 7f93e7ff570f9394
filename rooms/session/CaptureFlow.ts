import { nextMilestone } from '../../systems/session/badges.js';
import { flyAwayAnimation } from '../../systems/constellation/constellation.js';
import type { Capture } from '../../features/constellation/Capture.js';
import type { KnownStar } from '../../features/constellation/planStar.js';
import type { StarPosition } from '../../persistence/constellation/ConstellationRepository.js';
import { SessionInputError } from './messages.js';
import { send, type Outcome, type SessionView } from './outcome.js';
import type { StationService } from '../../features/catalog/StationService.js';
import type { ConstellationRepository } from '../../persistence/constellation/ConstellationRepository.js';
import type { RoomPassport } from '../../features/passport/roomPassport.js';

export interface CapturePorts {
  capture: Capture;
  catalog: Pick<StationService, 'artistById'>;
  stations: Pick<StationService, 'stationAt'>;
  /** Read when the kept list was forgotten. */
  constellations: Pick<ConstellationRepository, 'starsOf'>;
  passport: Pick<RoomPassport, 'hasRoomFor'>;
  /** A double pinch queues; a stuck client cannot pile up work. */
  maxInFlight: number;
}

const ALREADY = 'Already in your constellation';

type CaptureView = Pick<SessionView, 'identity' | 'state' | 'visitedPath'>;
type CaptureMessage = { artistId?: string; opId?: string };

/**
 * The room's side of a capture: one at a time per session (a double pinch cannot race itself), the user's stars
 * kept between captures, `captured` sent only after the star is durable.
 */
export class CaptureFlow {
  private queue: Promise<unknown> = Promise.resolve();
  private pending = 0;
  /** Genres once known; kept so each capture reads only relationships. null = reload. */
  private stars: KnownStar[] | null;
  /** Bumped by forgetStars: a capture that started before may not write its (older) list back. */
  private generation = 0;

  constructor(
    private readonly host: CaptureView,
    private readonly deps: CapturePorts,
    stars?: Array<{ artistId: string; position: StarPosition }>,
  ) {
    this.stars = stars ? [...stars] : null;
  }

  /** Stars may have been added elsewhere (offline sync). */
  forgetStars(): void {
    this.stars = null;
    this.generation++;
  }

  /** The tallies, its badges, the `captured` reply. */
  run(msg: CaptureMessage): Promise<Outcome> {
    if (this.pending >= this.deps.maxInFlight)
      throw new SessionInputError('BUSY', `${this.deps.maxInFlight} captures are already in flight; wait for \`captured\` replies`);
    this.pending++;
    const next = this.queue.then(() => this.capture(msg)).finally(() => this.pending--);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** A drain waits for these before the snapshot. */
  settled(): Promise<void> {
    return this.queue.then(() => undefined);
  }

  /** Every lock asks: the kept list, else read once and kept unless forgotten meanwhile. */
  async starIds(): Promise<ReadonlySet<string>> {
    let stars = this.stars;
    if (!stars) {
      const generation = this.generation;
      stars = await this.deps.constellations.starsOf(this.host.identity.userId);
      if (this.stars === null && generation === this.generation) this.stars = stars;
    }
    return new Set(stars.map((s) => s.artistId));
  }

  private async capture(msg: CaptureMessage): Promise<Outcome> {
    const { userId, sessionId, deviceId } = this.host.identity;
    const artistId = msg.artistId ?? this.host.state.station.artistId;
    const artist = await this.artistFor(artistId);
    if (!artist) throw new SessionInputError('UNKNOWN_ARTIST', `no artist "${artistId}"; capture the current station or an id from the catalog`);
    // A star and at most one badge (no capture crosses two thresholds): refused before anything is written.
    if (!this.deps.passport.hasRoomFor(2))
      throw new SessionInputError('BACKPRESSURE', 'the event log is full or too far behind; nothing was captured, retry in a second');

    const generation = this.generation;
    const existing = (this.stars ??= await this.deps.constellations.starsOf(userId));
    const outcome = await this.deps.capture.run({
      userId,
      sessionId,
      deviceId,
      source: 'room',
      artist: { id: artistId, ...artist },
      discoveryPath: [...this.host.visitedPath],
      existing,
      opId: msg.opId,
    });
    const star = { artistId, artistName: artist.name, position: outcome.star.position };
    if (outcome.status === 'already') {
      if (outcome.staleList) this.forgetStars(); // captured from another device meanwhile
      const totalStars = outcome.totalStars ?? existing.length;
      const already = { alreadyCaptured: true, message: ALREADY, star, connections: [], flyAway: null, totalStars, badgesEarned: [] };
      return { replies: [send('captured', { ...already, nextMilestone: nextMilestone(totalStars) })] };
    }
    if (generation === this.generation) this.stars = outcome.stars;
    // Its events were stored with the star.
    const { connections, totalStars, badgesAwarded: badgesEarned } = outcome;
    const captured = { alreadyCaptured: false, star, connections, flyAway: flyAwayAnimation(star.position), totalStars, badgesEarned };
    return { captured: { totalStars }, badges: badgesEarned, replies: [send('captured', { ...captured, nextMilestone: nextMilestone(totalStars) })] };
  }

  /** The station cache's orbs carry their target's name and genres; any other id comes from the catalog. */
  private async artistFor(artistId: string): Promise<{ name: string; genres: string[] } | null> {
    const screen = this.host.state.station;
    if (screen.artistId) {
      const current = await this.deps.stations.stationAt(screen.frequency);
      if (current?.artist.id === screen.artistId) {
        if (artistId === screen.artistId) return current.artist;
        const orb = current.orbs.find((o) => o.targetArtistId === artistId);
        if (orb) return { name: orb.targetName, genres: orb.targetGenres };
      }
    }
    return this.deps.catalog.artistById(artistId);
  }
}
