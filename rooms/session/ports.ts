/**
 * A session room's ports, one group per feature, declared beside each feature's code; each feature receives only its
 * group, the room keeps {@link RoomPorts}. A port is a Pick of the service the wiring hands in, or an interface where
 * the wiring builds an adapter.
 */
import type { RoomTicker } from '../RoomTicker.js';
import type { ConstellationRepository } from '../../persistence/constellation/ConstellationRepository.js';
import type { PendingWork } from '../PendingWork.js';
import type { Logger } from 'pino';
import type { StationService } from '../../features/catalog/StationService.js';
import type { SessionRepository } from '../../persistence/session/SessionRepository.js';
import type { ServerEvent } from '../../systems/passport/build.js';
import type { RoomPassport } from '../../features/passport/roomPassport.js';
import type { SearchAnswer } from '../../features/discovery/Search.js';
import type { Recommendation, RecommendationList } from '../../features/discovery/Recommendations.js';
import type { SessionHandoff } from '../../features/handoff/SessionHandoff.js';
import type { CapturePorts } from './CaptureFlow.js';
import type { JourneyPorts } from './journey.js';
import type { OfflineSync } from '../../features/offline/OfflineSync.js';
import type { JournalService } from '../../features/journal/Journal.js';
import type { JoinPorts } from './join.js';
import type { LivenessPorts } from './liveness.js';
import type { SnapshotPorts } from './handoff.js';
import type { ArrivalPorts } from './stationArrivals.js';
import type { DialPorts } from './dialInputs.js';
import type { SearchPorts } from './inputs.js';
import type { NotificationPorts } from './notifications.js';
import type { RidePorts } from './ride.js';

export type { NewRecommendation, RecommendationsPort } from './journey.js';
export type { NotificationsPort } from './notifications.js';

/** Filled in by the room, so systems and adapters never guess. */
export type { PassportIdentity as EventIdentity } from '../../features/passport/roomPassport.js';

/** The adapter adds ids, timestamps and validation. */
export type RoomEvent = ServerEvent;

export interface SessionRoomSettings {
  simHz: number;
  patchHz: number;
  reconnectWindowSec: number;
  messageRatePerSec: number;
  /** A flood, not a burst: Colyseus disconnects. */
  disconnectRatePerSec: number;
  noticeIntervalMs: number;
  /** Flush right after an input instead of waiting for the next patch step. */
  patchOnInput: boolean;
  /** It only feeds star placement. */
  maxVisitedPath: number;
  /** Benchmark baseline (`state_json`). Off in production. */
  jsonBaseline: boolean;
  /** On a lock; default 30 s, 0 = every lock. */
  countersSaveMs: number;
}

export interface DiscoveryPort {
  search(query: string, limit: number, starIds: ReadonlySet<string>): Promise<SearchAnswer>;
  /** Off the tick by a bounded queue; `deliver` runs when ready (or never, if dropped). */
  requestRecommendations(userId: string, listenerKey: string, deliver: (list: RecommendationList) => void): void;
  /** After an orb zoom landed on `artistId`, for a listener with these stars. */
  suggestionsAfterZoom(artistId: string, starIds: ReadonlySet<string>): Promise<Recommendation[]>;
}

export interface RoomPorts {
  log: Logger;
  now: () => number;
  settings: SessionRoomSettings;
  sessions: Pick<SessionRepository, 'join' | 'saveCounters' | 'countersOf'>;
  /** And the sorted dial every session shares. */
  stations: Pick<StationService, 'stationAt' | 'stationForArtist' | 'stationFrequencies'>;
  constellations: Pick<ConstellationRepository, 'starsAndBadgesOf'>;
  /** An outcome's events (accepted, or BACKPRESSURE) and the events the server caused. */
  passport: Pick<RoomPassport, 'record'>;
  handoff: Pick<SessionHandoff, 'credentials' | 'admission' | 'snapshots' | 'departure' | 'pacer'>;
  discovery: Pick<DiscoveryPort, 'requestRecommendations'>;
  databaseUnavailable(err: unknown): boolean;
  pendingWork: Pick<PendingWork, 'track'>;
  ticker: Pick<RoomTicker, 'add' | 'deferFor'>;
  observeBaselineBytes?: (bytes: number) => void;
}

/** Built by the wiring in src/, never room options. The message groups are the ones protocol.ts rows name. */
export interface SessionRoomPorts {
  room: RoomPorts;
  join: JoinPorts;
  liveness: LivenessPorts;
  snapshots: SnapshotPorts;
  capture: CapturePorts;
  journey: JourneyPorts;
  arrivals: ArrivalPorts;
  dial: DialPorts;
  offline: Pick<OfflineSync, 'replay'>;
  /** Cached per user until the next capture. */
  journal: Pick<JournalService, 'of'>;
  search: SearchPorts;
  notifications: NotificationPorts;
  ride: RidePorts;
}
