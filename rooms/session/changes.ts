/**
 * A session's state changes as data: a handler describes the change, SessionActor.apply applies it here once its
 * events were accepted. Nothing else writes the simulation, tallies or path of a joined session (the restore aside).
 */
import type { StationRecord } from '../../persistence/catalog/CatalogRepository.js';
import type { CameraTransition } from '../../systems/session/camera.js';
import type { SimOrb } from './SessionSimulation.js';
import type { SessionView } from './outcome.js';

export type Change =
  | { kind: 'swipe'; direction: 'left' | 'right'; velocity: number; at: number }
  | { kind: 'tune'; frequency: number; at: number }
  | { kind: 'zoom'; orb: SimOrb; transition: CameraTransition; at: number }
  /** The dial tunes to the orb's artist (when on the dial); one more orb explored. */
  | { kind: 'orbArrival'; frequency: number | null; at: number }
  /** Its artist and orbs, and a step on the visited path. */
  | { kind: 'show'; station: StationRecord; at: number }
  /** The station on screen again with the orbs the influence builder changed (no visit). */
  | { kind: 'restage'; station: StationRecord; at: number }
  | { kind: 'sensors'; samples: number; seconds: number }
  /** Newly applied operations count as interactions; captures are in the star count. */
  | { kind: 'offline'; applied: number; totalStars: number };

export type ChangeTarget = Pick<SessionView, 'sim' | 'counters' | 'state' | 'visitedPath'>;

/** `maxVisitedPath` bounds the path. */
export function applyChange(s: ChangeTarget, c: Change, maxVisitedPath: number): void {
  switch (c.kind) {
    case 'swipe':
      s.sim.swipe(c, c.at);
      s.counters.swipes++;
      s.counters.interactions++;
      break;
    case 'tune':
      s.sim.tune(c.frequency, c.at);
      s.counters.interactions++;
      break;
    case 'zoom':
      s.sim.startZoom(c.orb, c.at, c.transition);
      s.counters.interactions++;
      break;
    case 'offline':
      s.counters.interactions += c.applied;
      s.state.totalStars = c.totalStars;
      break;
    case 'orbArrival':
      if (c.frequency !== null) s.sim.tune(c.frequency, c.at);
      s.counters.interactions++;
      s.state.orbsExplored = ++s.counters.orbsExplored;
      return; // the arrival's interaction reaches the state with the next input (as it always has)
    case 'show':
      s.sim.showStation(c.station, c.at);
      visit(s.visitedPath, c.station.artist.id, maxVisitedPath);
      return;
    case 'restage':
      return s.sim.showStation(c.station, c.at);
    case 'sensors':
      s.counters.sensorEngagements += c.samples;
      s.counters.sensorSeconds += c.seconds;
      return;
  }
  s.state.interactions = s.counters.interactions;
}

/** The path only feeds star placement: one step per new artist, the oldest dropped past the bound. */
function visit(path: string[], artistId: string, max: number): void {
  if (path.at(-1) !== artistId) path.push(artistId);
  if (path.length > max) path.shift();
}
