/**
 * How a listener arrives at a station (a lock, an orb zoom landing, a join's first station): show it, tell the
 * client, log the visit and what follows (connections, orb badges, suggestions), as steps the room applies.
 */
import type { StationRecord } from '../../persistence/catalog/CatalogRepository.js';
import { badgesEarned } from '../../systems/session/badges.js';
import type { LockMethod } from '../../systems/session/momentum.js';
import type { LoadMethod } from '../../systems/passport/payloads.js';
import type { DiscoveryPort, RoomEvent } from './ports.js';
import type { StationService } from '../../features/catalog/StationService.js';
import type { ConstellationRepository } from '../../persistence/constellation/ConstellationRepository.js';
import { send, type Outcome, type SessionView, type Steps } from './outcome.js';
import type { SimOrb } from './SessionSimulation.js';
import type { Change } from './changes.js';

export interface ArrivalPorts {
  stations: Pick<StationService, 'stationAt' | 'stationForArtist'>;
  constellations: Pick<ConstellationRepository, 'awardBadges'>;
  discovery: Pick<DiscoveryPort, 'suggestionsAfterZoom'>;
  now: () => number;
}

/** Show it, tell the client, log the visit, save the counters when due. */
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

/** Tune to its artist, show the station, then badges, connections, suggestions. */
export async function* orbArrivalSteps(s: SessionView, ports: ArrivalPorts, orb: SimOrb): Steps {
  const station = await ports.stations.stationForArtist(orb.record.targetArtistId, orb.record.targetFrequency);
  if (!station) return void s.log.warn({ orbId: orb.id }, 'orb target has no station');
  yield { change: { kind: 'orbArrival', frequency: station.artist.frequency, at: ports.now() } };
  const explored = s.counters.orbsExplored;
  const from = s.state.station.artistId || null;
  yield showStation(s, ports, station, 'orb', orb);
  // The arrival ends the transition: dial inputs (BUSY meanwhile) are welcome again.
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

/** A failure costs only the suggestions. */
async function suggestAfterZoom(s: SessionView, ports: ArrivalPorts, artistId: string): Promise<Outcome | null> {
  try {
    const recommendations = await ports.discovery.suggestionsAfterZoom(artistId, await s.capture.starIds());
    return { replies: [send('suggestions', { artistId, recommendations })] };
  } catch (err) {
    s.log.warn({ err, artistId }, 'suggestions after an orb zoom failed');
    return null;
  }
}

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

/** And logs `station.visited` with how the listener got there. */
export function showStation(
  s: SessionView,
  ports: Pick<ArrivalPorts, 'now'>,
  station: StationRecord,
  method: Exclude<LoadMethod, 'http'>,
  via?: SimOrb,
): Outcome {
  const cameFrom = s.state.station.artistId || null;
  const change: Change = { kind: 'show', station, at: ports.now() };
  const { id, name: artistName, frequency } = station.artist;
  // Every snapshot served is a `station.loaded`; a move to it is also a visit (same enqueue).
  const loaded: RoomEvent = { type: 'station.loaded', entityType: 'artist', entityId: id, payload: { artistId: id, frequency, method } };
  if (method === 'join') return { change, record: [loaded] };
  const payload = { artistId: id, artistName, frequency, method, cameFrom, orbId: via?.id ?? null, relationship: via?.record.relationship ?? null };
  return { change, record: [loaded, { type: 'station.visited', entityType: 'artist', entityId: id, payload }] };
}
