/**
 * The ports a session room is built with, one group per feature: each feature declares its own beside its
 * code (CaptureFlow.ts, journey.ts, stationArrivals.ts, dialInputs.ts, inputs.ts, searchInput.ts, join.ts,
 * liveness.ts, handoff.ts) and receives only that group; the room keeps {@link RoomPorts} for its join, ticks,
 * saves and ending. The shapes several features read from (passport, constellations, sessions, stations) are
 * declared here, each feature picking what it uses.
 */
import type { RoomTicker } from '../RoomTicker.js';
import type { ConnectionInput, ConnectionRecord, StarPosition } from '../../persistence/constellation/ConstellationRepository.js';
import type { PendingWork } from '../PendingWork.js';
import type { Logger } from 'pino';
import type { StationRecord } from '../../persistence/catalog/CatalogRepository.js';
import type { JoinedSession, JoinRequest, SavedCounters, SessionCounters, SessionHolder } from '../../persistence/session/SessionRepository.js';
import type { ServerEvent } from '../../systems/passport/build.js';
import type { RoomPassport } from '../../features/passport/roomPassport.js';
import type { SearchAnswer } from '../../features/discovery/Search.js';
import type { Recommendation, RecommendationList } from '../../features/discovery/Recommendations.js';
import type { SessionHandoff } from '../../features/handoff/SessionHandoff.js';
import type { CapturePorts } from './CaptureFlow.js';
import type { JourneyPorts } from './journey.js';
import type { JournalPort, OfflineSyncPort } from './inputs.js';
import type { JoinPorts } from './join.js';
import type { LivenessPorts } from './liveness.js';
import type { SnapshotPorts } from './handoff.js';
import type { ArrivalPorts } from './stationArrivals.js';
import type { DialPorts } from './dialInputs.js';
import type { SearchPorts } from './searchInput.js';
import type { NotificationPorts } from './notifications.js';
import type { RidePorts } from './ride.js';

export type { CatalogPort } from './CaptureFlow.js';
export type { NewRecommendation, RecommendationsPort } from './journey.js';
export type { JournalPort, OfflineSyncPort } from './inputs.js';
export type { AccessTokenVerifier } from './join.js';
export type { LiveDevicesPort, LiveRoomHandle, LiveSessionsPort } from './liveness.js';
export type { NotificationsPort } from './notifications.js';

/** Who an event is about: filled in by the room, so systems and adapters never guess. */
export type { PassportIdentity as EventIdentity } from '../../features/passport/roomPassport.js';

/** A passport event as the room describes it; the adapter adds ids, timestamps and validation. */
export type RoomEvent = ServerEvent;

/** Durable constellations, as a room reads them (the capture itself goes through features/constellation). */
export interface ConstellationPort {
  starsOf(userId: string): Promise<Array<{ artistId: string; position: StarPosition }>>;
  starsAndBadgesOf(userId: string): Promise<{ stars: Array<{ artistId: string; position: StarPosition }>; badges: string[] }>;
  /** Returns the badges newly awarded. */
  awardBadges<B extends string>(userId: string, badges: readonly B[]): Promise<B[]>;
  /** Stores the line a lock draws between two stars; null when it already existed. */
  connectOnLock(userId: string, line: ConnectionInput, atMs: number): Promise<ConnectionInput | null>;
  changesSince(
    userId: string,
    sinceMs: number,
    limit: number,
  ): Promise<{ stars: Array<{ artistId: string; position: StarPosition; capturedAt: string }>; connections: ConnectionRecord[] }>;
  socialUpdatesSince(userId: string, sinceMs: number, similarUsers: number): Promise<number>;
}

/** The session's row: joined or resumed, counters saved by the room holding it. */
export interface SessionStorePort {
  join(request: JoinRequest, nowMs: number): Promise<JoinedSession>;
  /** Writes only while `holder` still holds the session (a newer resume takes it over); says whether it wrote. */
  saveCounters(holder: SessionHolder, counters: SessionCounters, nowMs: number, ended: boolean): Promise<boolean>;
  countersOf(sessionId: string): Promise<SavedCounters | null>;
  /** True the first time only. */
  markParallaxTipSeen(userId: string): Promise<boolean>;
  newArtistsSince(sinceMs: number): Promise<number>;
  recordOfflineSync(sessionId: string, offlineSeconds: number | null, nowMs: number): Promise<void>;
}

/** The dial's stations, cached (features/catalog/StationService.ts). */
export interface StationsPort {
  stationAt(frequency: number): Promise<StationRecord | null>;
  stationForArtist(artistId: string, frequency: number | null): Promise<StationRecord | null>;
  /** Sorted, shared by every session (never modified). */
  stationFrequencies(): Promise<readonly number[]>;
}

export interface SessionRoomSettings {
  simHz: number;
  patchHz: number;
  reconnectWindowSec: number;
  messageRatePerSec: number;
  /** A client sending faster than this is disconnected by Colyseus (a flood, not a burst). */
  disconnectRatePerSec: number;
  /** One RATE_LIMITED reply and one log line per misbehaving client per this many ms. */
  noticeIntervalMs: number;
  /** Flush the patch right after an input (swipe, tune, tap…) instead of waiting for the next patch step. */
  patchOnInput: boolean;
  /** Artists kept in a session's discovery path (it only feeds star placement). */
  maxVisitedPath: number;
  /** Benchmark baseline: also broadcast the whole state as JSON on every patch step (`state_json`). Off in production. */
  jsonBaseline: boolean;
  /** How often an open session's counters are written to its row (on a lock); default 30 s, 0 = every lock. */
  countersSaveMs: number;
}

/** Search and recommendations (features/discovery) as a session room uses them. */
export interface DiscoveryPort {
  /** Step 13 for the session's user; `query` already parsed (systems/discovery/search.ts parseQuery). */
  search(query: string, limit: number, userId: string): Promise<SearchAnswer>;
  /** Step 12 after a capture, computed off the tick by a bounded queue; `deliver` runs when it is ready (or never, if dropped). */
  requestRecommendations(userId: string, listenerKey: string, deliver: (list: RecommendationList) => void): void;
  /** Step 6.8 "you might also like" after an orb zoom landed on `artistId`. */
  suggestionsAfterZoom(userId: string, artistId: string): Promise<Recommendation[]>;
}

/** What the room itself uses: its join and restore, ticks and patches, applied outcomes, counter saves, drain and ending. */
export interface RoomPorts {
  log: Logger;
  now: () => number;
  settings: SessionRoomSettings;
  /** The session's row: joined or resumed, its counters saved by the room holding it. */
  sessions: Pick<SessionStorePort, 'join' | 'saveCounters' | 'countersOf'>;
  /** The stations a join restores (and the sorted dial every session shares). */
  stations: StationsPort;
  /** The user's stars and badges, read once at the join. */
  constellations: Pick<ConstellationPort, 'starsAndBadgesOf'>;
  /** An outcome's events (accepted, or BACKPRESSURE) and the events the server caused. */
  passport: Pick<RoomPassport, 'record'>;
  /** Resume pacing, credentials and the snapshot's end: a session outlives its process (features/handoff). */
  handoff: Pick<SessionHandoff, 'credentialFor' | 'admit' | 'forget' | 'departure' | 'arrived'>;
  /** The recommendations a capture refreshes, pushed when ready. */
  discovery: Pick<DiscoveryPort, 'requestRecommendations'>;
  /** True when `err` says the database cannot be reached right now (persistence/dbErrors.ts): answered as retryable. */
  databaseUnavailable(err: unknown): boolean;
  /** Session endings and tick-started work (locks, orb arrivals) in flight: shutdown waits for them before the writer drains. */
  pendingWork: Pick<PendingWork, 'track'>;
  /** The shared timer that steps every session room at `settings.simHz` (rooms/RoomTicker.ts). */
  ticker: Pick<RoomTicker, 'add' | 'deferFor'>;
  /** Counts the JSON baseline's bytes (metrics); called only with `settings.jsonBaseline`. */
  observeBaselineBytes?: (bytes: number) => void;
}

/**
 * Everything a session room class is built with (by the wiring in src/, never as room options), one group per
 * feature: the room hands each feature its own group and nothing else. The message groups (`dial`, `offline`,
 * `journal`, `search`, `notifications`) are the ones protocol.ts rows name.
 */
export interface SessionRoomPorts {
  room: RoomPorts;
  join: JoinPorts;
  liveness: LivenessPorts;
  snapshots: SnapshotPorts;
  capture: CapturePorts;
  journey: JourneyPorts;
  arrivals: ArrivalPorts;
  dial: DialPorts;
  offline: OfflineSyncPort;
  journal: JournalPort;
  search: SearchPorts;
  notifications: NotificationPorts;
  ride: RidePorts;
}
