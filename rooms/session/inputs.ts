/**
 * The session's inputs beyond the dial (docs/PROTOCOL.md "Client → server messages"): sensor batches, the
 * offline replay and the journal. Each returns its outcome as data, or yields one per step; the room applies them (outcome.ts).
 */
import { send, shared, type Outcome, type SessionView, type Steps } from './outcome.js';
import type { OfflineSyncResult, SyncIdentity } from '../../features/offline/OfflineSync.js';
import type { Journal } from '../../systems/journal/index.js';
import type { OfflineAdditions } from './journey.js';

/** Replays a client's offline queue idempotently (seed 000 step 15): features/offline. */
export interface OfflineSyncPort {
  replay(identity: SyncIdentity, operations: unknown): Promise<OfflineSyncResult>;
}

/** The user's constellation journal (features/journal), cached per user until the next capture. */
export interface JournalPort {
  of(userId: string): Promise<Journal>;
}

interface SensorSample {
  duration: number;
  maxTiltX: number;
  maxTiltY: number;
}

/** Tallies the batch and answers `sensor_ack`; the parallax tip follows once the session's engagements reach 3 (seed 5.4). */
export async function* sensorBatch(s: SessionView, msg: { samples: SensorSample[] }): Steps {
  const total = msg.samples.reduce((sum, sample) => sum + sample.duration, 0);
  const avg = (pick: (sample: SensorSample) => number) => msg.samples.reduce((sum, sample) => sum + Math.abs(pick(sample)), 0) / msg.samples.length;
  const sessionSensorTime = s.counters.sensorSecondsWith(total);
  const engagements = s.counters.sensorEngagements + msg.samples.length;
  yield {
    accept: [
      {
        type: 'sensor.batch',
        entityType: 'session',
        entityId: s.identity.sessionId,
        payload: { samples: msg.samples.length, totalDuration: total, avgTiltX: avg((x) => x.maxTiltX), avgTiltY: avg((x) => x.maxTiltY) },
      },
    ],
    change: { kind: 'sensors', samples: msg.samples.length, seconds: total },
    replies: [send('sensor_ack', { samples: msg.samples.length, totalSensorTime: s.journey.totalSensorTime(sessionSensorTime), sessionSensorTime })],
  };
  const tip = await s.journey.maybeParallaxTip(engagements);
  if (tip) yield tip;
}

/** The offline queue replayed (features/offline), then what is new since the device went offline (seed 15.4). */
export async function* syncOffline(
  s: SessionView,
  msg: { operations: Array<Record<string, unknown>>; offlineDuration?: number },
  replay: OfflineSyncPort,
): Steps {
  let result: OfflineSyncResult;
  let additions: OfflineAdditions;
  // The replay may add stars, even when it fails part-way: the capture flow reads them again.
  try {
    result = await replay.replay(s.identity, msg.operations);
    yield { change: { kind: 'offline', applied: result.applied, totalStars: result.totalStars }, badges: result.badgesAwarded };
    additions = await s.journey.afterOfflineSync(msg.offlineDuration, msg.operations, s.counters.interactions);
  } finally {
    s.capture.forgetStars();
  }
  yield {
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
}

/** The same journal as GET /api/constellations/me, for the session's user only. */
export async function journal(s: SessionView, _msg: unknown, journals: JournalPort): Promise<Outcome> {
  // The cached journal is one object until the next capture: its frame is encoded once for every request.
  return { replies: [shared(send('journal', await journals.of(s.identity.userId)))] };
}
