import type { RoomTicker } from '../RoomTicker.js';
import type { Capture } from '../../features/constellation/Capture.js';
import type { OfflineSyncResult, SyncIdentity } from '../../features/offline/OfflineSync.js';
import type { Journal } from '../../systems/journal/index.js';
import type { ConnectionInput, ConnectionRecord, StarPosition } from '../../persistence/constellation/ConstellationRepository.js';
import type { PendingWork } from '../PendingWork.js';
import type { Logger } from 'pino';
import type { ArtistRecord, StationRecord } from '../../persistence/catalog/CatalogRepository.js';
import type { JoinedSession, JoinRequest, SavedCounters, SessionCounters, SessionHolder } from '../../persistence/session/SessionRepository.js';
import type { ServerEvent } from '../../systems/passport/build.js';
import type { AccessIdentity } from '../../systems/auth/identity.js';
import type { SearchAnswer } from '../../features/discovery/Search.js';
import type { Recommendation, RecommendationList } from '../../features/discovery/Recommendations.js';
import type { SessionHandoff } from '../../features/handoff/SessionHandoff.js';

/** Who an event is about: filled in by the room, so systems and adapters never guess. */
export interface EventIdentity {
  userId: string;
  sessionId: string;
  deviceId: string;
}

/** A passport event as the room describes it; the adapter adds ids, timestamps and validation. */
export type RoomEvent = ServerEvent;

/** The passport writer as a room sees it. `record` is all-or-nothing and throws a BACKPRESSURE error when full. */
export interface PassportPort {
  record(identity: EventIdentity, events: RoomEvent[], options?: { followUp?: boolean }): void;
  /** True when `count` more events fit right now (checked before a durable write the events describe). */
  hasRoomFor(count: number): boolean;
}

/** Durable constellations, as a room reads them (the capture itself goes through features/constellation). */
export interface ConstellationPort {
  starsOf(userId: string): Promise<Array<{ artistId: string; position: StarPosition }>>;
  starsAndBadgesOf(userId: string): Promise<{ stars: Array<{ artistId: string; position: StarPosition }>; badges: string[] }>;
  /** Returns the badges newly awarded. */
  awardBadges<B extends string>(userId: string, badges: readonly B[]): Promise<B[]>;
  /** Stores the line a lock draws between two stars; null when it already existed. */
  connectOnLock(userId: string, line: ConnectionInput, atMs: number): Promise<ConnectionInput | null>;
  changesSince(userId: string, sinceMs: number, limit: number): Promise<{ stars: Array<{ artistId: string; position: StarPosition; capturedAt: string }>; connections: ConnectionRecord[] }>;
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

/** Catalog reads a room makes itself (capture placement reads go through the capture use case). */
export interface CatalogPort {
  artistById(id: string): Promise<ArtistRecord | null>;
}

/** A recommendation as the resume welcome and the offline reply carry it (seed 12 output). */
export interface NewRecommendation {
  artistId: string;
  reason?: string;
  createdAt?: string;
}

/**
 * Optional port to the recommendations engine (seed 000 step 12): the recommendations made for a
 * user after `sinceMs`, newest first. Absent → the welcome's `newRecommendations` is null and the
 * offline reply's `newData.recommendations` is empty.
 */
export interface RecommendationsPort {
  newSince(userId: string, sinceMs: number): Promise<NewRecommendation[]>;
}

/** Replays a client's offline queue idempotently (seed 000 step 15): features/offline. */
export interface OfflineSyncPort {
  replay(identity: SyncIdentity, operations: unknown): Promise<OfflineSyncResult>;
}

/** The user's constellation journal (features/journal), cached per user until the next capture. */
export interface JournalPort {
  of(userId: string): Promise<Journal>;
}

/** Verifies an access token (features/auth/tokens.ts); throws an AuthTokenError saying what the client should do. */
export interface AccessTokenVerifier {
  verify(token: string | null | undefined): Promise<AccessIdentity>;
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
  /** Captures waiting per session before BUSY (a double pinch queues, a stuck client cannot pile up work). */
  maxCapturesInFlight: number;
  /** Artists kept in a session's discovery path (it only feeds star placement). */
  maxVisitedPath: number;
  /** Largest `limit` of a `search` message (SEARCH_MAX_LIMIT). */
  maxSearchLimit: number;
  /** Benchmark baseline: also broadcast the whole state as JSON on every patch step (`state_json`). Off in production. */
  jsonBaseline: boolean;
  /** How often an open session's counters are written to its row (on a lock); default 30 s, 0 = every lock. */
  countersSaveMs: number;
}

/** Search and recommendations (features/search, features/recommendations) as a session room uses them. */
export interface DiscoveryPort {
  /** Step 13 for the session's user; `query` already parsed (systems/discovery/search.ts parseQuery). */
  search(query: string, limit: number, userId: string): Promise<SearchAnswer>;
  /** Step 12 after a capture, computed off the tick by a bounded queue; `deliver` runs when it is ready (or never, if dropped). */
  requestRecommendations(userId: string, listenerKey: string, deliver: (list: RecommendationList) => void): void;
  /** Step 6.8 "you might also like" after an orb zoom landed on `artistId`. */
  suggestionsAfterZoom(userId: string, artistId: string): Promise<Recommendation[]>;
}

/** Everything a SessionRoom needs, bound by the wiring in src/ (never passed as room options). */
export interface SessionRoomServices {
  log: Logger;
  stations: StationsPort;
  catalog: CatalogPort;
  sessions: SessionStorePort;
  /** Who joins: the only source of a session's userId and deviceId. */
  auth: AccessTokenVerifier;
  /** True when `err` says the database cannot be reached right now (persistence/dbErrors.ts): answered as retryable. */
  databaseUnavailable(err: unknown): boolean;
  passport: PassportPort;
  constellations: ConstellationPort;
  offlineSync: OfflineSyncPort;
  /** Answers the `journal` message with what `GET /api/constellations/me` returns. */
  journal: JournalPort;
  /** Seed 14.4 / 15.4 new recommendations; optional (wired when the engine exists). */
  recommendations?: RecommendationsPort;
  /** Snapshots, resume credentials and resume pacing: a session outlives its process (features/handoff). */
  handoff: Pick<SessionHandoff, 'credentialFor' | 'grant' | 'admit' | 'save' | 'forget' | 'departureDelayMs'>;
  /** The capture use case (features/capture), shared with offline sync. */
  capture: Capture;
  settings: SessionRoomSettings;
  discovery: DiscoveryPort;
  /** Session endings and tick-started work (locks, orb arrivals) in flight: shutdown waits for them before the writer drains. */
  pendingWork: Pick<PendingWork, 'track'>;
  /** The shared timer that steps every session room at `settings.simHz` (rooms/RoomTicker.ts). */
  ticker: Pick<RoomTicker, 'add' | 'deferFor'>;
  now: () => number;
  /** Counts the JSON baseline's bytes (metrics); called only with `settings.jsonBaseline`. */
  observeBaselineBytes?: (bytes: number) => void;
}
