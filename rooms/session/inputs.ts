/**
 * The session's inputs beyond the dial (docs/PROTOCOL.md "Client → server messages"): sensor batches, the
 * offline replay and the journal. Each returns its outcome; the room applies it (outcome.ts).
 */
import { interacted, send, type Outcome, type SessionView } from './outcome.js';
import type { SessionRoomServices } from './ports.js';
import type { OfflineSyncResult, SyncIdentity } from '../../features/offline/OfflineSync.js';
import type { Journal } from '../../systems/journal/index.js';

/** Replays a client's offline queue idempotently (seed 000 step 15): features/offline. */
export interface OfflineSyncPort {
  replay(identity: SyncIdentity, operations: unknown): Promise<OfflineSyncResult>;
}

/** The user's constellation journal (features/journal), cached per user until the next capture. */
export interface JournalPort {
  of(userId: string): Promise<Journal>;
}

/** The inputs' own ports: the offline replay and the journal (answers `journal` as `GET /api/constellations/me`). */
export interface InputPorts {
  offlineSync: OfflineSyncPort;
  journal: JournalPort;
}

interface SensorSample {
  duration: number;
  maxTiltX: number;
  maxTiltY: number;
}

export function sensorBatch(s: SessionView, msg: { samples: SensorSample[] }): Outcome {
  const total = msg.samples.reduce((sum, sample) => sum + sample.duration, 0);
  const avg = (pick: (sample: SensorSample) => number) => msg.samples.reduce((sum, sample) => sum + Math.abs(pick(sample)), 0) / msg.samples.length;
  let engagements = 0;
  const outcome: Outcome = {
    accept: [
      {
        type: 'sensor.batch',
        entityType: 'session',
        entityId: s.identity.sessionId,
        payload: { samples: msg.samples.length, totalDuration: total, avgTiltX: avg((x) => x.maxTiltX), avgTiltY: avg((x) => x.maxTiltY) },
      },
    ],
    change: () => {
      s.counters.sensors(msg.samples.length);
      const sessionSensorTime = s.counters.sensorSeconds(total);
      engagements = s.counters.sensorEngagements;
      outcome.replies = [send('sensor_ack', { samples: msg.samples.length, totalSensorTime: s.journey.totalSensorTime(sessionSensorTime), sessionSensorTime })];
    },
    after: () => s.journey.maybeParallaxTip(engagements),
  };
  return outcome;
}

/** The offline queue replayed (features/offline), then what is new since the device went offline (seed 15.4). */
export async function syncOffline(
  s: SessionView,
  msg: { operations: Array<Record<string, unknown>>; offlineDuration?: number },
  ports: Pick<SessionRoomServices, 'offlineSync'>,
): Promise<Outcome> {
  // The replay may add stars, even when it fails part-way: the capture flow reads them again.
  const result = await ports.offlineSync.replay(s.identity, msg.operations).catch((err: unknown) => {
    s.capture.forgetStars();
    throw err;
  });
  return {
    change: () => {
      s.counters.offlineApplied(result.applied);
      interacted(s);
    },
    after: async () => {
      try {
        const additions = await s.journey.afterOfflineSync(msg.offlineDuration, msg.operations, s.counters.interactions);
        return {
          record: [
            {
              type: 'session.synced',
              entityType: 'session',
              entityId: s.identity.sessionId,
              payload: { operations: msg.operations.length, applied: result.applied, offlineDuration: msg.offlineDuration ?? null },
            },
          ],
          replies: [send('offline_synced', { ...result, ...additions })],
        };
      } finally {
        s.capture.forgetStars();
      }
    },
  };
}

/** The same journal as GET /api/constellations/me, for the session's user only. */
export async function journal(s: SessionView, _msg: unknown, ports: Pick<SessionRoomServices, 'journal'>): Promise<Outcome> {
  return { replies: [send('journal', await ports.journal.of(s.identity.userId))] };
}
