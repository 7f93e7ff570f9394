/**
 * The dial's inputs (docs/PROTOCOL.md "Client → server messages"): swipe, tune, tap an orb, clock sync.
 * Each returns its outcome; the room applies it (outcome.ts).
 */
import { SessionInputError } from './messages.js';
import { interacted, send, type Outcome, type SessionView } from './outcome.js';
import type { SessionRoomServices } from './ports.js';

type Ports = Pick<SessionRoomServices, 'stations' | 'now'>;

/** Dial inputs and taps during an orb zoom would be overridden by its arrival 0.8 s later: refused (BUSY). */
function refuseDuringZoom(s: SessionView): void {
  if (s.sim.zoomingTo) throw new SessionInputError('BUSY', 'a camera transition to an orb is running; wait for its `locked` message, then retry');
}

export function swipe(s: SessionView, msg: { direction: 'left' | 'right'; velocity: number }, ports: Ports): Outcome {
  refuseDuringZoom(s);
  const now = ports.now();
  const from = s.sim.dialAt(now);
  return {
    accept: [
      {
        type: 'station.swiped',
        entityType: 'station',
        entityId: from.toFixed(1),
        payload: { direction: msg.direction, velocity: msg.velocity, fromStation: from },
      },
    ],
    change: () => {
      const target = s.sim.swipe(msg, now);
      s.counters.swipe();
      interacted(s);
      void ports.stations.stationAt(target).catch(() => undefined); // seed step 3.5: warm the predicted station
    },
  };
}

export function tune(s: SessionView, msg: { frequency: number }, ports: Ports): Outcome {
  refuseDuringZoom(s);
  let station = msg.frequency;
  return {
    accept: [{ type: 'station.tuned', entityType: 'station', entityId: msg.frequency.toFixed(1), payload: { requested: msg.frequency } }],
    change: () => {
      station = s.sim.tune(msg.frequency, ports.now());
      s.counters.interact();
      interacted(s);
    },
    lock: { method: 'tune', frequency: () => station },
  };
}

export function tapOrb(s: SessionView, msg: { orbId: string }, ports: Ports): Outcome {
  refuseDuringZoom(s);
  const orb = s.sim.findOrb(msg.orbId);
  if (!orb) throw new SessionInputError('UNKNOWN_ORB', `orb "${msg.orbId}" does not orbit ${s.state.station.artistName}; use an id from state.orbs`);
  const outcome: Outcome = {
    accept: [
      {
        type: 'orb.tapped',
        entityType: 'orb',
        entityId: orb.id,
        payload: { orbId: orb.id, fromArtistId: s.state.station.artistId, toArtistId: orb.record.targetArtistId, relationship: orb.record.relationship },
      },
    ],
    change: () => {
      // The camera flies to where the orb is now on the server clock: what the client draws at this moment.
      const at = ports.now();
      const transition = s.sim.zoomTo(orb, at);
      s.counters.interact();
      interacted(s);
      outcome.replies = [send('transition', { orbId: orb.id, toArtistId: orb.record.targetArtistId, at, ...transition })];
      void ports.stations.stationForArtist(orb.record.targetArtistId, orb.record.targetFrequency).catch(() => undefined);
    },
  };
  return outcome;
}

/** Clock sync for orb motion: the client sends its time, gets the server's (docs/PROTOCOL.md, "Orbs"). */
export function clock(_s: SessionView, msg: { t0: number }, ports: Ports): Outcome {
  return { replies: [send('clock', { t0: msg.t0, serverTime: ports.now() })] };
}
