/**
 * How a listener arrives at a station (seed 000 steps 2–6): the dial locking after a swipe or a tune, an
 * orb zoom landing, the first station of a join. Each shows the station, tells the client, logs the visit
 * and what follows from it (connections, orb badges, suggestions), as steps the room applies one by one.
 */
import type { StationRecord } from '../../persistence/catalog/CatalogRepository.js';
import { badgesEarned } from '../../systems/session/badges.js';
import type { LockMethod } from '../../systems/session/momentum.js';
import type { LoadMethod } from '../../systems/passport/payloads.js';
import type { ConstellationPort, DiscoveryPort, RoomEvent, StationsPort } from './ports.js';
import { send, type Outcome, type SessionView, type Steps } from './outcome.js';
import type { SimOrb } from './SessionSimulation.js';
import type { Change } from './changes.js';

/** The arrivals' own ports: stations to show, orb badges to award, suggestions after a zoom, the server clock. */
export interface ArrivalPorts {
  stations: Pick<StationsPort, 'stationAt' | 'stationForArtist'>;
  /** Orb badges (First Discovery, Deep Diver) stored for the user; returns the ones newly awarded. */
  constellations: Pick<ConstellationPort, 'awardBadges'>;
  discovery: Pick<DiscoveryPort, 'suggestionsAfterZoom'>;
  now: () => number;
}

/** The dial locked on a station: show it, tell the client, log the visit, save the counters when due. */
export async function* lockSteps(s: SessionView, ports: ArrivalPorts, frequency: number, method: LockMethod): Steps {
  const station = await ports.stations.stationAt(frequency);
  if (!station) return void s.log.warn({ frequency }, 'locked on a frequency with no station');
  if (s.sim.dial.target !== frequency || !s.sim.dial.locked) return; // a newer swipe moved on
  // Re-tuning the station on screen (or a zero swipe) is no visit: the scene stays, but orbs the
  // influence builder changed since (the station cache was invalidated) are shown now.
  const from = s.state.station.artistId || null;
  if (station.artist.id !== from) yield showStation(s, ports, station, method);
  else if (s.sim.orbsChanged(station)) yield { change: { kind: 'restage', station, at: ports.now() } };
  // The state shows the station before `locked` arrives.
  yield { flush: true, replies: [send('locked', { frequency, artistId: station.artist.id, haptic: station.scene.hapticPattern })] };
  const line = await s.journey.connectOnLock(from, station.artist.id);
  if (line) yield line;
  yield { saveCounters: true };
}

/** An orb zoom landed: tune to its artist, show the station, then badges, connections and suggestions. */
export async function* orbArrivalSteps(s: SessionView, ports: ArrivalPorts, orb: SimOrb): Steps {
  const station = await ports.stations.stationForArtist(orb.record.targetArtistId, orb.record.targetFrequency);
  if (!station) return void s.log.warn({ orbId: orb.id }, 'orb target has no station');
  yield { change: { kind: 'orbArrival', frequency: station.artist.frequency, at: ports.now() } };
  const explored = s.counters.orbsExplored;
  const from = s.state.station.artistId || null;
  yield showStation(s, ports, station, 'orb', orb);
  // The arrival ends the transition: the client may send dial inputs again (they were BUSY meanwhile).
  yield {
    flush: true,
    replies: [send('locked', { frequency: s.sim.dial.target, artistId: station.artist.id, haptic: station.scene.hapticPattern, via: 'orb' })],
  };
  const badges = await orbBadges(s, ports, explored);
  if (badges) yield badges;
  const line = await s.journey.connectOnLock(from, station.artist.id);
  if (line) yield line;
  const suggestions = await suggestAfterZoom(s, ports, station.artist.id);
  if (suggestions) yield suggestions;
}

/** Seed step 6.8: "you might also like" from the artist the zoom landed on (a failure costs only the suggestions). */
async function suggestAfterZoom(s: SessionView, ports: ArrivalPorts, artistId: string): Promise<Outcome | null> {
  try {
    const recommendations = await ports.discovery.suggestionsAfterZoom(s.identity.userId, artistId);
    return { replies: [send('suggestions', { artistId, recommendations })] };
  } catch (err) {
    s.log.warn({ err, artistId }, 'suggestions after an orb zoom failed');
    return null;
  }
}

/** An orb zoom arrived: First Discovery / Deep Diver when a threshold is crossed. */
async function orbBadges(s: SessionView, ports: ArrivalPorts, explored: number): Promise<Outcome | null> {
  const stars = s.state.totalStars;
  const earned = badgesEarned({ orbsExplored: explored - 1, starsCaptured: stars }, { orbsExplored: explored, starsCaptured: stars }).filter(
    (b) => !s.state.badges.includes(b),
  );
  if (!earned.length) return null;
  const awarded = await ports.constellations.awardBadges(s.identity.userId, earned);
  return {
    record: awarded.map((badge) => ({ type: 'badge.earned', entityType: 'badge', entityId: badge, payload: { badge, trigger: 'orbs' } })),
    badges: awarded,
  };
}

/** Shows a station and logs `station.visited` with how the listener got there. */
export function showStation(
  s: SessionView,
  ports: Pick<ArrivalPorts, 'now'>,
  station: StationRecord,
  method: Exclude<LoadMethod, 'http'>,
  via?: SimOrb,
): Outcome {
  const cameFrom = s.state.station.artistId || null;
  const change: Change = { kind: 'show', station, at: ports.now() };
  // Seed 2.10 / 4.3: every snapshot served is a `station.loaded`; a move to it is also a visit (same enqueue).
  const loaded: RoomEvent = {
    type: 'station.loaded',
    entityType: 'artist',
    entityId: station.artist.id,
    payload: { artistId: station.artist.id, frequency: station.artist.frequency, method },
  };
  if (method === 'join') return { change, record: [loaded] };
  const visited: RoomEvent = {
    type: 'station.visited',
    entityType: 'artist',
    entityId: station.artist.id,
    payload: {
      artistId: station.artist.id,
      artistName: station.artist.name,
      frequency: station.artist.frequency,
      method,
      cameFrom,
      orbId: via?.id ?? null,
      relationship: via?.record.relationship ?? null,
    },
  };
  return { change, record: [loaded, visited] };
}
