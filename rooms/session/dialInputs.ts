/** The dial's inputs: swipe, tune, tap an orb, clock sync. Each returns its outcome as data. */
import { SessionInputError } from './messages.js';
import { send, type Outcome, type SessionView } from './outcome.js';
import type { RoomEvent } from './ports.js';
import type { StationService } from '../../features/catalog/StationService.js';
import type { LockMethod } from '../../systems/session/momentum.js';

/** The station cache they warm, and the server clock. */
export interface DialPorts {
  stations: Pick<StationService, 'stationAt' | 'stationForArtist'>;
  now: () => number;
}

/** The zoom's arrival 0.8 s later would override them: refused (BUSY). */
function refuseDuringZoom(s: SessionView): void {
  if (s.sim.zoomingTo) throw new SessionInputError('BUSY', 'a camera transition to an orb is running; wait for its `locked` message, then retry');
}

export function swipe(s: SessionView, msg: { direction: 'left' | 'right'; velocity: number }, ports: DialPorts): Outcome {
  refuseDuringZoom(s);
  const now = ports.now();
  const from = s.sim.dialAt(now);
  // Warm the predicted station (a cache read; the glide starts when the room applies the change).
  void ports.stations.stationAt(s.sim.swipeTarget(msg, now)).catch(() => undefined);
  const payload = { direction: msg.direction, velocity: msg.velocity, fromStation: from };
  return {
    accept: [{ type: 'station.swiped', entityType: 'station', entityId: from.toFixed(1), payload }],
    change: { kind: 'swipe', direction: msg.direction, velocity: msg.velocity, at: now },
  };
}

export function tune(s: SessionView, msg: { frequency: number }, ports: DialPorts): Outcome {
  const tuned: RoomEvent = { type: 'station.tuned', entityType: 'station', entityId: msg.frequency.toFixed(1), payload: { requested: msg.frequency } };
  return lockNearest(s, ports, 'tune', msg.frequency, [tuned]);
}

/** A tune, or any message that locks the dial its own way. */
export function lockNearest(s: SessionView, ports: DialPorts, method: LockMethod, frequency: number, accept?: RoomEvent[]): Outcome {
  refuseDuringZoom(s);
  return { accept, change: { kind: 'tune', frequency, at: ports.now() }, lock: { method, frequency: s.sim.stationNearest(frequency) } };
}

export function tapOrb(s: SessionView, msg: { orbId: string }, ports: DialPorts): Outcome {
  refuseDuringZoom(s);
  const orb = s.sim.findOrb(msg.orbId);
  if (!orb) throw new SessionInputError('UNKNOWN_ORB', `orb "${msg.orbId}" does not orbit ${s.state.station.artistName}; use an id from state.orbs`);
  // Where the orb is now on the server clock: what the client draws at this moment.
  const at = ports.now();
  const { transition, ...path } = s.sim.planZoom(orb, at);
  void ports.stations.stationForArtist(orb.record.targetArtistId, orb.record.targetFrequency).catch(() => undefined);
  const payload = { orbId: orb.id, fromArtistId: s.state.station.artistId, toArtistId: orb.record.targetArtistId, relationship: orb.record.relationship };
  return {
    accept: [{ type: 'orb.tapped', entityType: 'orb', entityId: orb.id, payload }],
    change: { kind: 'zoom', orb, transition, at },
    replies: [send('transition', { orbId: orb.id, toArtistId: orb.record.targetArtistId, at, ...path })],
  };
}

/** The client sends its time, gets the server's (docs/PROTOCOL.md, "Orbs"). */
export function clock(_s: SessionView, msg: { t0: number }, ports: DialPorts): Outcome {
  return { replies: [send('clock', { t0: msg.t0, serverTime: ports.now() })] };
}
