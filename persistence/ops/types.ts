/** Row shapes of the DIA (admin) reads, as plain JSON-ready objects (timestamps as ISO strings). */
import type { SessionCounters } from '../session/SessionRepository.js';

/** A user found by the DIA search. */
export interface OpsUser {
  id: string;
  deviceId: string;
  firstLaunch: boolean;
  city: string | null;
  createdAt: string;
  lastSeenAt: string;
  /** From the user's MediaID, when they gave one. */
  displayName: string | null;
  email: string | null;
  /** In search results: the field the query matched (exact matches are listed first). */
  matchedBy?: 'id' | 'device' | 'email' | 'displayName';
}

/** A session as DIA lists it: the session row's counters (SessionCounters) with its device and times. */
export interface OpsSession extends Pick<SessionCounters, 'frequency' | 'artistId' | 'interactions' | 'swipes' | 'orbsExplored' | 'captures'> {
  id: string;
  deviceId: string;
  deviceModel: string | null;
  appVersion: string | null;
  startedAt: string;
  lastActive: string;
  endedAt: string | null;
}

export interface OpsTimelineEntry {
  id: string;
  eventId: string;
  eventType: string;
  eventCategory: string;
  occurredAt: string;
  receivedAt: string;
  sessionId: string | null;
  entityType: string | null;
  entityId: string | null;
  source: string;
  payload: unknown;
}

export interface OpsTimelinePage {
  entries: OpsTimelineEntry[];
  /** Pass as `before` to read the next (older) page; null on the last page. */
  nextCursor: string | null;
}

export interface OpsStar {
  artistId: string;
  artistName: string | null;
  x: number;
  y: number;
  z: number;
  capturedAt: string;
  sessionId: string | null;
}

export interface OpsConnection {
  from: string;
  to: string;
  strength: number;
  type: string;
}

export interface OpsBadge {
  badge: string;
  earnedAt: string;
}

/** Everything the DIA "user" view shows at once (the timeline is paged separately). */
export interface OpsUserDetail {
  user: OpsUser;
  sessions: OpsSession[];
  badges: OpsBadge[];
  constellation: { stars: OpsStar[]; connections: OpsConnection[] };
  passportEntries: number;
}

/** DIA system health (seed 002 §4): counted in Postgres, so read every few seconds, not per frame. */
export interface OpsSystemCounts {
  totalUsers: number;
  activeToday: number;
  openSessions: number;
  interactions24h: number;
  captures24h: number;
  deadLetters: number;
}

export interface TimelineQuery {
  /** Cursor from a previous page (`nextCursor`). */
  before?: string;
  /** 1–200; default 50. */
  limit?: number;
  /** Only these event types. */
  types?: string[];
}

/** The DIA reads; persistence/ops/OpsRepository implements it over Postgres. */
export interface DiaReader {
  findUsers(query: string, limit?: number): Promise<OpsUser[]>;
  userDetail(userId: string): Promise<OpsUserDetail | null>;
  timeline(userId: string, query: TimelineQuery): Promise<OpsTimelinePage>;
  systemCounts(nowMs: number): Promise<OpsSystemCounts>;
}

