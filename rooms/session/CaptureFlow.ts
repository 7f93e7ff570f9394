import type { Client } from '@colyseus/core';
import { badgesEarned, nextMilestone, type Badge } from '../../systems/badges.js';
import { flyAwayAnimation } from '../../systems/constellation.js';
import { planStar } from '../../persistence/constellation/catalogPlanner.js';
import { SessionInputError, type MessageOf } from './messages.js';
import type { SessionRoomServices } from './ports.js';
import type { StarPosition } from '../../persistence/constellation/ConstellationRepository.js';
import type { SessionRoomInstance } from './SessionRoom.js';

const ALREADY = 'Already in your constellation';

/**
 * Capture (seed 000 step 7) and badge awards for one session room. Captures run one at a time so a
 * double pinch cannot race itself; the client hears `captured` only after the star is durable.
 */
export class CaptureFlow {
  private queue: Promise<void> = Promise.resolve();
  private pending = 0;
  /** The user's stars (genres once known), kept between captures so each reads only relationships; null = reload. */
  private stars: Array<{ artistId: string; position: StarPosition; genres?: readonly string[] }> | null;
  /** Bumped by forgetStars: a capture that started before may not write its (older) list back. */
  private generation = 0;

  constructor(
    private readonly room: SessionRoomInstance,
    private readonly services: SessionRoomServices,
    stars?: Array<{ artistId: string; position: StarPosition }>,
  ) {
    this.stars = stars ? [...stars] : null;
  }

  /** Stars may have been added elsewhere (offline sync): read them again at the next capture. */
  forgetStars(): void {
    this.stars = null;
    this.generation++;
  }

  run(client: Client, msg: MessageOf<'capture'>): Promise<void> {
    if (this.pending >= 5) throw new SessionInputError('BUSY', 'five captures are already in flight; wait for `captured` replies');
    this.pending++;
    const next = this.queue.then(() => this.capture(client, msg)).finally(() => this.pending--);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async capture(client: Client, msg: MessageOf<'capture'>): Promise<void> {
    const { room, services } = this;
    const { userId, sessionId } = room.identity;
    const artistId = msg.artistId ?? room.state.station.artistId;
    const artist = await this.artistFor(artistId);
    if (!artist) throw new SessionInputError('UNKNOWN_ARTIST', `no artist "${artistId}"; capture the current station or an id from the catalog`);

    const generation = this.generation;
    const stored = (this.stars ??= await services.constellations.starsOf(userId));
    const already = stored.find((s) => s.artistId === artistId);
    if (already) return this.replyAlready(client, artistId, artist.name, already.position, stored.length);

    const path = [...room.visitedPath];
    const { placement, connections, existing } = await planStar(services.catalog, { userId, artistId, discoveryPath: path, existing: stored, artistGenres: artist.genres });
    const badges = badgesEarned({ orbsExplored: room.counters.orbsExplored, starsCaptured: stored.length }, { orbsExplored: room.counters.orbsExplored, starsCaptured: stored.length + 1 }).filter((b) => !room.state.badges.includes(b));
    if (!services.passport.hasRoomFor(1 + badges.length)) throw new SessionInputError('BACKPRESSURE', 'the event log is full; nothing was captured, retry in a second');

    const result = await services.constellations.capture({ userId, sessionId, artistId, position: placement.position, discoveryPath: path, connections: [...connections], badges, opId: msg.opId });
    if (result.status === 'already') {
      this.forgetStars(); // captured from another device meanwhile: our list is stale
      return this.replyAlready(client, artistId, artist.name, result.star.position, result.totalStars);
    }
    if (generation === this.generation) this.stars = [...existing, { artistId, position: placement.position, genres: artist.genres }];

    room.counters.capture();
    room.state.totalStars = result.totalStars;
    room.state.interactions = room.counters.interactions;
    room.record([
      { type: 'constellation.captured', entityType: 'artist', entityId: artistId, payload: { artistId, artistName: artist.name, position: placement.position, discoveryPath: path, connections: connections.length, opId: msg.opId ?? null } },
      ...badges.map((badge) => ({ type: 'badge.earned', entityType: 'badge', entityId: badge, payload: { badge, trigger: 'stars' } })),
    ]);
    this.announce(badges);
    client.send('captured', {
      alreadyCaptured: false,
      star: { artistId, artistName: artist.name, position: placement.position },
      connections,
      flyAway: flyAwayAnimation(placement.position),
      totalStars: result.totalStars,
      badgesEarned: badges,
      nextMilestone: nextMilestone(result.totalStars),
    });
  }

  /** The current station's artist comes from the station cache; any other id from the catalog. */
  private async artistFor(artistId: string): Promise<{ name: string; genres: string[] } | null> {
    const { station } = this.room.state;
    if (artistId === station.artistId) {
      const current = await this.services.stations.stationAt(station.frequency);
      if (current?.artist.id === artistId) return current.artist;
    }
    return this.services.catalog.artistById(artistId);
  }

  /** An orb zoom finished: award First Discovery / Deep Diver when a threshold is crossed. */
  async onOrbExplored(explored: number): Promise<void> {
    const stars = this.room.state.totalStars;
    const earned = badgesEarned({ orbsExplored: explored - 1, starsCaptured: stars }, { orbsExplored: explored, starsCaptured: stars }).filter((b) => !this.room.state.badges.includes(b));
    if (!earned.length) return;
    try {
      await this.services.constellations.awardBadges(this.room.identity.userId, earned);
      this.room.record(earned.map((badge) => ({ type: 'badge.earned', entityType: 'badge', entityId: badge, payload: { badge, trigger: 'orbs' } })));
      this.announce(earned);
    } catch (err) {
      this.room.log.error({ err }, 'could not award badges');
    }
  }

  private announce(badges: Badge[]): void {
    for (const badge of badges) {
      if (!this.room.state.badges.includes(badge)) this.room.state.badges.push(badge);
      this.room.clients.forEach((c) => c.send('badge', { badge }));
    }
  }

  private replyAlready(client: Client, artistId: string, artistName: string, position: { x: number; y: number; z: number }, totalStars: number): void {
    client.send('captured', { alreadyCaptured: true, message: ALREADY, star: { artistId, artistName, position }, connections: [], flyAway: null, totalStars, badgesEarned: [], nextMilestone: nextMilestone(totalStars) });
  }
}
