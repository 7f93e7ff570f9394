/**
 * A session's state changes as plain data: a handler or flow describes the change in its outcome, and
 * SessionActor.apply applies it here, once its events were accepted. Nothing else writes the simulation,
 * the tallies or the visited path of a joined session (the join's restore aside).
 */
import type { SessionState } from '../../schema/SessionState.js';
import type { StationRecord } from '../../persistence/catalog/CatalogRepository.js';
import type { CameraTransition } from '../../systems/session/camera.js';
import type { SessionCountersTracker } from './counters.js';
import type { SessionSimulation, SimOrb } from './SessionSimulation.js';

export type Change =
  /** A released swipe: the dial glides from where it is at `at` (SessionSimulation.swipe). */
  | { kind: 'swipe'; direction: 'left' | 'right'; velocity: number; at: number }
  /** A direct tune: the dial snaps to the station nearest `frequency` and locks. */
  | { kind: 'tune'; frequency: number; at: number }
  /** An orb tapped: the camera starts the zoom planned at `at` (SessionSimulation.planZoom). */
  | { kind: 'zoom'; orb: SimOrb; transition: CameraTransition; at: number }
  /** A zoom landed: the dial tunes to the orb's artist (when it is on the dial), one more orb explored. */
  | { kind: 'orbArrival'; frequency: number | null; at: number }
  /** A station shown (a lock, an arrival, the join): its artist and orbs, and a step on the visited path. */
  | { kind: 'show'; station: StationRecord; at: number }
  /** The station on screen again, with the orbs the influence builder changed since (no visit). */
  | { kind: 'restage'; station: StationRecord; at: number }
  /** A sensor batch: its samples and seconds. */
  | { kind: 'sensors'; samples: number; seconds: number }
  /** Offline operations newly applied by a replay count as interactions; its captures are in the star count. */
  | { kind: 'offline'; applied: number; totalStars: number };

/** What a change writes: the room's simulation, tallies, state and path. */
export interface ChangeTarget {
  readonly sim: SessionSimulation;
  readonly counters: SessionCountersTracker;
  readonly state: SessionState;
  readonly visitedPath: string[];
}

/** Applies one change (SessionActor.apply calls it after the events were accepted). `maxVisitedPath` bounds the path. */
export function applyChange(s: ChangeTarget, c: Change, maxVisitedPath: number): void {
  switch (c.kind) {
    case 'swipe':
      s.sim.swipe(c, c.at);
      s.counters.swipe();
      break;
    case 'tune':
      s.sim.tune(c.frequency, c.at);
      s.counters.interact();
      break;
    case 'zoom':
      s.sim.startZoom(c.orb, c.at, c.transition);
      s.counters.interact();
      break;
    case 'offline':
      s.counters.offlineApplied(c.applied);
      s.state.totalStars = c.totalStars;
      break;
    case 'orbArrival':
      if (c.frequency !== null) s.sim.tune(c.frequency, c.at);
      s.state.orbsExplored = s.counters.exploreOrb();
      return; // the arrival's interaction reaches the state with the next input (as it always has)
    case 'show':
      s.sim.showStation(c.station, c.at);
      visit(s.visitedPath, c.station.artist.id, maxVisitedPath);
      return;
    case 'restage':
      return s.sim.showStation(c.station, c.at);
    case 'sensors':
      s.counters.sensors(c.samples);
      s.counters.addSensorSeconds(c.seconds);
      return;
  }
  s.state.interactions = s.counters.interactions;
}

/** The path only feeds star placement: one step per new artist, the oldest dropped past the bound. */
function visit(path: string[], artistId: string, max: number): void {
  if (path.at(-1) !== artistId) path.push(artistId);
  if (path.length > max) path.shift();
}
