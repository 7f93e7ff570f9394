/** The session's inputs beyond the dial: sensor batches, the offline replay, the journal, search. */
import { parseQuery, searchPerformed } from '../../systems/discovery/search.js';
import { SessionInputError } from './messages.js';
import { send, shared, type Outcome, type SessionView, type Steps } from './outcome.js';
import type { OfflineSyncResult } from '../../features/offline/OfflineSync.js';
import type { DiscoveryPort, SessionRoomPorts } from './ports.js';
import type { OfflineAdditions } from './journey.js';

type SensorSample = Record<'duration' | 'maxTiltX' | 'maxTiltY', number>;

/** The parallax tip follows once the session's engagements reach 3. */
export async function* sensorBatch(s: SessionView, msg: { samples: SensorSample[] }): Steps {
  const total = msg.samples.reduce((sum, sample) => sum + sample.duration, 0);
  const avg = (pick: (sample: SensorSample) => number) => msg.samples.reduce((sum, sample) => sum + Math.abs(pick(sample)), 0) / msg.samples.length;
  const sessionSensorTime = s.counters.sensorSecondsWith(total);
  const engagements = s.counters.sensorEngagements + msg.samples.length;
  const payload = { samples: msg.samples.length, totalDuration: total, avgTiltX: avg((x) => x.maxTiltX), avgTiltY: avg((x) => x.maxTiltY) };
  yield {
    accept: [{ type: 'sensor.batch', entityType: 'session', entityId: s.identity.sessionId, payload }],
    change: { kind: 'sensors', samples: msg.samples.length, seconds: total },
    replies: [send('sensor_ack', { samples: msg.samples.length, totalSensorTime: s.journey.totalSensorTime(sessionSensorTime), sessionSensorTime })],
  };
  const tip = await s.journey.maybeParallaxTip(engagements);
  if (tip) yield tip;
}

/** Then what is new since the device went offline. */
export async function* syncOffline(
  s: SessionView,
  msg: { operations: Array<Record<string, unknown>>; offlineDuration?: number },
  replay: SessionRoomPorts['offline'],
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
  const payload = { operations: msg.operations.length, applied: result.applied, offlineDuration: msg.offlineDuration ?? null };
  yield {
    record: [{ type: 'session.synced', entityType: 'session', entityId: s.identity.sessionId, payload }],
    replies: [send('offline_synced', { ...result, ...additions })],
  };
}

/** The same journal as GET /api/constellations/me. */
export async function journal(s: SessionView, _msg: unknown, journals: SessionRoomPorts['journal']): Promise<Outcome> {
  // One object until the next capture: its frame is encoded once for every request.
  return { replies: [shared(send('journal', await journals.of(s.identity.userId)))] };
}

export interface SearchPorts {
  discovery: Pick<DiscoveryPort, 'search'>;
  /** SEARCH_MAX_LIMIT. */
  maxLimit: number;
}

const running = new WeakSet<SessionView>();

/**
 * One search at a time per session on top of the message rate: a second while one runs is BUSY (a typing client
 * sends the next query when the reply arrives), so a session costs at most one similarity query. Logged as
 * `search.performed` with the session's identity.
 */
export async function search(s: SessionView, msg: { q: string; limit?: number; requestId?: string }, ports: SearchPorts): Promise<Outcome> {
  const parsed = parseQuery(msg.q);
  if (!parsed.ok) throw new SessionInputError('BAD_INPUT', 'invalid search payload', parsed.details);
  const max = ports.maxLimit;
  if (msg.limit !== undefined && msg.limit > max)
    throw new SessionInputError('BAD_INPUT', 'invalid search payload', [{ field: 'limit', message: `at most ${max}` }]);
  if (running.has(s)) throw new SessionInputError('BUSY', 'a search is already running for this session; send the next one after its `search` reply');
  running.add(s);
  try {
    const limit = msg.limit ?? Math.min(10, max);
    const { cached, ...answer } = await ports.discovery.search(parsed.query, limit, await s.capture.starIds());
    return {
      record: [searchPerformed(answer.query, limit, answer.results, cached)],
      replies: [send('search', { ...answer, ...(msg.requestId ? { requestId: msg.requestId } : {}) })],
    };
  } finally {
    running.delete(s);
  }
}
