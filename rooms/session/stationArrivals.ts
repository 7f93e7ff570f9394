import type { Client } from '@colyseus/core';
import type { Logger } from 'pino';
import type { SessionState } from '../../schema/SessionState.js';
import type { StationRecord } from '../../persistence/catalog/CatalogRepository.js';
import { badgesEarned, type Badge } from '../../systems/session/badges.js';
import type { SessionCountersTracker } from './counters.js';
import type { SessionJourney } from './journey.js';
import type { EventIdentity, RoomEvent, SessionRoomServices } from './ports.js';
import { corked } from '../colyseusInternals.js';
import { reply } from './replies.js';
import type { SessionSimulation, SimOrb } from './SessionSimulation.js';

/**
 * How a listener arrives at a station (seed 000 steps 2–6): the dial locking after a swipe or a tune, an
 * orb zoom landing, the first station of a join. Each shows the station, tells the client, logs the visit
 * and what follows from it (connections, orb badges, suggestions). Plain functions over the room: a
 * session pays no object of its own for them.
 */
export interface StationHost {
  readonly state: SessionState;
  readonly sim: SessionSimulation;
  readonly log: Logger;
  readonly identity: EventIdentity;
  readonly clients: readonly Client[];
  readonly counters: SessionCountersTracker;
  /** Artists visited this session, oldest first (bounded by `maxVisitedPath`). */
  readonly visitedPath: string[];
  readonly journey: SessionJourney;
  /** Steps the room until nothing moves. */
  wake(): void;
  /** Sends the pending state changes now. */
  flushPatch(): void;
  /** Logs events the server caused (no client to push back on). */
  record(events: RoomEvent[]): void;
  /** Adds badges to the state and tells the clients. */
  announce(badges: readonly Badge[]): void;
  /** Saves the session's counters when `countersSaveMs` of activity passed. */
  countersWhileOpen(): Promise<void>;
}

type Services = Pick<SessionRoomServices, 'stations' | 'discovery' | 'constellations' | 'now' | 'settings'>;

/** The dial locked on a station: show it, tell the client, log the visit. */
export async function lockOn(host: StationHost, services: Services, frequency: number, method: 'swipe' | 'tune', client?: Client): Promise<void> {
  const station = await services.stations.stationAt(frequency);
  if (!station) return host.log.warn({ frequency }, 'locked on a frequency with no station');
  if (host.sim.dial.target !== frequency || !host.sim.dial.locked) return; // a newer swipe moved on
  // Re-tuning the station on screen (or a zero swipe) is no visit: the scene stays, but orbs the
  // influence builder changed since (the station cache was invalidated) are shown now.
  const from = host.state.station.artistId || null;
  if (station.artist.id !== from) await showStation(host, services, station, method);
  else if (host.sim.orbsChanged(station)) {
    host.sim.showStation(station, services.now());
    host.wake();
  }
  const to = client ?? host.clients[0];
  corked(to, () => {
    if (services.settings.patchOnInput) host.flushPatch(); // the state shows the station before `locked` arrives
    reply(to, 'locked', { frequency, artistId: station.artist.id, haptic: station.scene.hapticPattern });
  });
  await host.journey.connectOnLock(from, station.artist.id);
  await host.countersWhileOpen();
}

/** An orb zoom landed: tune to its artist, show the station, then badges, connections and suggestions. */
export async function arriveViaOrb(host: StationHost, services: Services, orb: SimOrb): Promise<void> {
  const station = await services.stations.stationForArtist(orb.record.targetArtistId, orb.record.targetFrequency);
  if (!station) return host.log.warn({ orbId: orb.id }, 'orb target has no station');
  if (station.artist.frequency !== null) host.sim.tune(station.artist.frequency, services.now());
  const explored = host.counters.exploreOrb();
  host.state.orbsExplored = explored;
  const from = host.state.station.artistId || null;
  await showStation(host, services, station, 'orb', orb);
  // The arrival ends the transition: the client may send dial inputs again (they were BUSY meanwhile).
  corked(host.clients[0], () => {
    if (services.settings.patchOnInput) host.flushPatch();
    reply(host.clients[0], 'locked', { frequency: host.sim.dial.target, artistId: station.artist.id, haptic: station.scene.hapticPattern, via: 'orb' });
  });
  await awardOrbBadges(host, services, explored);
  await host.journey.connectOnLock(from, station.artist.id);
  await suggestAfterZoom(host, services, station.artist.id);
}

/** Seed step 6.8: "you might also like" from the artist the zoom landed on (a failure costs only the suggestions). */
async function suggestAfterZoom(host: StationHost, services: Services, artistId: string): Promise<void> {
  try {
    const recommendations = await services.discovery.suggestionsAfterZoom(host.identity.userId, artistId);
    reply(host.clients[0], 'suggestions', { artistId, recommendations });
  } catch (err) {
    host.log.warn({ err, artistId }, 'suggestions after an orb zoom failed');
  }
}

/** An orb zoom arrived: First Discovery / Deep Diver when a threshold is crossed. */
async function awardOrbBadges(host: StationHost, services: Services, explored: number): Promise<void> {
  const stars = host.state.totalStars;
  const earned = badgesEarned({ orbsExplored: explored - 1, starsCaptured: stars }, { orbsExplored: explored, starsCaptured: stars }).filter((b) => !host.state.badges.includes(b));
  if (!earned.length) return;
  const awarded = await services.constellations.awardBadges(host.identity.userId, earned);
  host.record(awarded.map((badge) => ({ type: 'badge.earned', entityType: 'badge', entityId: badge, payload: { badge, trigger: 'orbs' } })));
  host.announce(awarded);
}

/** Shows a station and logs `station.visited` with how the listener got there. */
export async function showStation(host: StationHost, services: Services, station: StationRecord | null, method: 'join' | 'swipe' | 'tune' | 'orb', via?: SimOrb): Promise<void> {
  if (!station) return;
  const cameFrom = host.state.station.artistId || null;
  host.sim.showStation(station, services.now());
  host.wake();
  const path = host.visitedPath;
  if (path.at(-1) !== station.artist.id) path.push(station.artist.id);
  if (path.length > services.settings.maxVisitedPath) path.shift(); // the path only feeds star placement: keep it bounded
  // Seed 2.10 / 4.3: every snapshot served is a `station.loaded`; a move to it is also a visit (same enqueue).
  const loaded: RoomEvent = { type: 'station.loaded', entityType: 'artist', entityId: station.artist.id, payload: { artistId: station.artist.id, frequency: station.artist.frequency, method } };
  if (method === 'join') return host.record([loaded]);
  host.record([
    loaded,
    {
      type: 'station.visited',
      entityType: 'artist',
      entityId: station.artist.id,
      payload: { artistId: station.artist.id, artistName: station.artist.name, frequency: station.artist.frequency, method, cameFrom, orbId: via?.id ?? null, relationship: via?.record.relationship ?? null },
    },
  ]);
}
