import type { Client } from '@colyseus/core';
import type { SessionState } from '../../schema/SessionState.js';
import type { CaptureFlow } from './CaptureFlow.js';
import type { SessionCountersTracker } from './counters.js';
import { SessionInputError, type MessageOf, type MessageType } from './messages.js';
import type { EventIdentity, RoomEvent, SessionRoomServices } from './ports.js';
import type { SessionSimulation } from './SessionSimulation.js';
import type { SessionJourney } from './journey.js';
import { createSearchHandler } from './searchInput.js';
import { reply } from './replies.js';

/** What the input handlers use of their room. */
export interface InputHost {
  readonly identity: EventIdentity;
  readonly sim: SessionSimulation;
  readonly state: SessionState;
  readonly counters: SessionCountersTracker;
  readonly capture: CaptureFlow;
  readonly journey: SessionJourney;
  /** Queues the events an input causes, or throws BACKPRESSURE (the input then has no effect). */
  acceptOrReject(events: RoomEvent[]): void;
  /** Steps the room again so a change made after an await goes out in a patch. */
  wake(): void;
  /** Queues events that record what already happened (logged, not thrown, when the passport is full). */
  acceptOrRecord(events: RoomEvent[]): void;
  /** The dial settled on `frequency` after a tune: show it, tell the client. */
  lockOn(frequency: number, method: 'tune', client: Client): Promise<void>;
}

/** One handler per client message type, each getting its validated payload. */
export type InputHandlers = { [T in MessageType]: (client: Client, msg: MessageOf<T>) => void | Promise<void> };

/** The session's client inputs (docs/PROTOCOL.md "Client → server messages"). */
export function createInputHandlers(room: InputHost, services: Pick<SessionRoomServices, 'stations' | 'offlineSync' | 'journal' | 'now' | 'discovery' | 'settings'>): InputHandlers {
  const interacted = () => (room.state.interactions = room.counters.interactions);
  /** Dial inputs and taps during an orb zoom would be overridden by its arrival 0.8 s later: refused (BUSY). */
  const refuseDuringZoom = () => {
    if (room.sim.zoomingTo) throw new SessionInputError('BUSY', 'a camera transition to an orb is running; wait for its `locked` message, then retry');
  };

  return {
    swipe: (_client, msg) => {
      refuseDuringZoom();
      const now = services.now();
      const from = room.sim.dialAt(now);
      room.acceptOrReject([{ type: 'station.swiped', entityType: 'station', entityId: from.toFixed(1), payload: { direction: msg.direction, velocity: msg.velocity, fromStation: from } }]);
      const target = room.sim.swipe(msg, now);
      room.counters.swipe();
      interacted();
      void services.stations.stationAt(target).catch(() => undefined); // seed step 3.5: warm the predicted station
    },

    tune: async (client, msg) => {
      refuseDuringZoom();
      room.acceptOrReject([{ type: 'station.tuned', entityType: 'station', entityId: msg.frequency.toFixed(1), payload: { requested: msg.frequency } }]);
      const station = room.sim.tune(msg.frequency, services.now());
      room.counters.interact();
      interacted();
      await room.lockOn(station, 'tune', client);
    },

    tap_orb: (client, msg) => {
      refuseDuringZoom();
      const orb = room.sim.findOrb(msg.orbId);
      if (!orb) throw new SessionInputError('UNKNOWN_ORB', `orb "${msg.orbId}" does not orbit ${room.state.station.artistName}; use an id from state.orbs`);
      room.acceptOrReject([{ type: 'orb.tapped', entityType: 'orb', entityId: orb.id, payload: { orbId: orb.id, fromArtistId: room.state.station.artistId, toArtistId: orb.record.targetArtistId, relationship: orb.record.relationship } }]);
      // The camera flies to where the orb is now on the server clock: what the client draws at this moment.
      const at = services.now();
      const transition = room.sim.zoomTo(orb, at);
      room.counters.interact();
      interacted();
      reply(client, 'transition', { orbId: orb.id, toArtistId: orb.record.targetArtistId, at, ...transition });
      void services.stations.stationForArtist(orb.record.targetArtistId, orb.record.targetFrequency).catch(() => undefined);
    },

    capture: (client, msg) => room.capture.run(client, msg),

    // Clock sync for orb motion: the client sends its time, gets the server's (docs/PROTOCOL.md, "Orbs").
    clock: (client, msg) => reply(client, 'clock', { t0: msg.t0, serverTime: services.now() }),

    sensor_batch: async (client, msg) => {
      const total = msg.samples.reduce((sum, s) => sum + s.duration, 0);
      const avg = (pick: (s: (typeof msg.samples)[number]) => number) => msg.samples.reduce((sum, s) => sum + Math.abs(pick(s)), 0) / msg.samples.length;
      room.acceptOrReject([{ type: 'sensor.batch', entityType: 'session', entityId: room.identity.sessionId, payload: { samples: msg.samples.length, totalDuration: total, avgTiltX: avg((s) => s.maxTiltX), avgTiltY: avg((s) => s.maxTiltY) } }]);
      room.counters.sensors(msg.samples.length);
      const sessionSensorTime = room.counters.sensorSeconds(total);
      reply(client, 'sensor_ack', { samples: msg.samples.length, totalSensorTime: room.journey.totalSensorTime(sessionSensorTime), sessionSensorTime });
      await room.journey.maybeParallaxTip(client, room.counters.sensorEngagements);
    },

    // The same journal as GET /api/constellations/me, for the session's user only.
    journal: async (client) => reply(client, 'journal', await services.journal.of(room.identity.userId)),
    search: createSearchHandler(room, services),

    sync_offline: async (client, msg) => {
      try {
        const result = await services.offlineSync.replay(room.identity, msg.operations);
        room.counters.offlineApplied(result.applied);
        interacted();
        room.wake(); // the room may have gone idle during the replay
        const additions = await room.journey.afterOfflineSync(msg.offlineDuration, msg.operations, room.counters.interactions);
        room.acceptOrRecord([{ type: 'session.synced', entityType: 'session', entityId: room.identity.sessionId, payload: { operations: msg.operations.length, applied: result.applied, offlineDuration: msg.offlineDuration ?? null } }]);
        reply(client, 'offline_synced', { ...result, ...additions });
      } finally {
        room.capture.forgetStars(); // the replay may have added stars, even when it failed part-way
      }
    },
  };
}
