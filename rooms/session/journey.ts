import type { Logger } from 'pino';
import { lockConnection } from '../../systems/constellation/constellation.js';
import { PARALLAX_TIP_MESSAGE, parallaxTipDue, suggestedAction, type ResumeUpdates, type SuggestedAction } from '../../systems/session/sessionRules.js';
import type { JoinedSession, SavedCounters } from '../../persistence/session/SessionRepository.js';
import type { ConstellationPort, EventIdentity, SessionStorePort } from './ports.js';
import { send, type Outcome } from './outcome.js';

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

/** The journey's own ports: what the resume welcome, the parallax tip, a lock's line and the offline reply read and write. */
export interface JourneyPorts {
  /** The tip seen, artists new since, the offline stretch recorded. */
  sessions: Pick<SessionStorePort, 'markParallaxTipSeen' | 'newArtistsSince' | 'recordOfflineSync'>;
  /** Lines drawn on a lock, updates from similar users, what changed while offline. */
  constellations: Pick<ConstellationPort, 'connectOnLock' | 'socialUpdatesSince' | 'changesSince'>;
  /** New recommendations for the resume welcome and the offline reply (seed 000 steps 14.4, 15.4); optional. */
  recommendations?: RecommendationsPort;
  now: () => number;
}

/** Users whose constellations overlap most with the joining user's, read for "updates from similar users" (bounds the query). */
export const SIMILAR_USERS_READ = 200;
/** Stars, lines and recommendations at most in an offline reply's `newData` (bounds the message). */
export const NEW_DATA_LIMIT = 100;
/** Recommendations at most in an offline reply (the engine's list may be longer). */
export const NEW_RECOMMENDATIONS_LIMIT = 20;

/** Whose journey it is; its tip and lock lines come back as outcomes for the room to apply. */
export interface JourneyContext {
  readonly identity: EventIdentity;
  readonly log: Logger;
  /** Artists the user has as stars (the capture flow's list). */
  starIds(): Promise<ReadonlySet<string>>;
}

/** The welcome's resume part (seed 000 step 14.2-14.5). */
export interface ResumeWelcome {
  resumeCount: number;
  /** Seconds since the user's latest session was last active; null on a first session. */
  timeAwaySec: number | null;
  updates: ResumeUpdates | null;
  suggestedAction: SuggestedAction;
}

/** The offline reply's additions (seed 000 step 15.4). */
export interface OfflineAdditions {
  /** Null when it could not be read (the replay itself succeeded and is reported). */
  newData: { since: number; recommendations: NewRecommendation[]; constellationUpdates: Awaited<ReturnType<ConstellationPort['changesSince']>> } | null;
  session: { totalInteractions: number; offlineDuration: number | null; lastSyncedAt: number };
}

/**
 * The seed 000 journey beyond the dial, per session: resume updates (14.4), the parallax tip and the
 * total sensor time across sessions (5.4), the line a lock draws between two stars (4.4), and the
 * offline reply's new data (15.4). Each reads Postgres only off the tick (inputs, joins, locks).
 */
export class SessionJourney {
  private seenTip = true;
  /** Sensor seconds of the user's other sessions, saved when this one joined. */
  private otherSensorSeconds = 0;

  constructor(
    private readonly host: JourneyContext,
    private readonly deps: JourneyPorts,
  ) {}

  /** Remembers what the join read; `saved` are this session's own counters when it was resumed. */
  joined(joined: JoinedSession, saved: SavedCounters | null): void {
    this.seenTip = joined.seenParallaxTip;
    this.otherSensorSeconds = Math.max(0, joined.userSensorSeconds - (joined.resumed ? (saved?.sensorSeconds ?? 0) : 0));
  }

  /** Seed 14.4-14.6 for a returning user; a read failure leaves `updates` null rather than failing the join. */
  async resumeWelcome(joined: JoinedSession): Promise<ResumeWelcome> {
    const since = joined.lastActiveMs;
    const timeAwaySec = since === null ? null : Math.max(0, Math.round((this.deps.now() - since) / 1000));
    let updates: ResumeUpdates | null = null;
    if (since !== null && !joined.isFirstLaunch) {
      try {
        const [recommendations, newArtists, socialUpdates] = await Promise.all([
          this.deps.recommendations ? this.deps.recommendations.newSince(joined.userId, since).then((list) => list.length) : Promise.resolve(null),
          this.deps.sessions.newArtistsSince(since),
          this.deps.constellations.socialUpdatesSince(joined.userId, since, SIMILAR_USERS_READ),
        ]);
        updates = { newRecommendations: recommendations, newArtists, socialUpdates };
      } catch (err) {
        this.host.log.warn({ err }, 'resume updates could not be read; welcome sent without them');
      }
    }
    return { resumeCount: joined.resumeCount, timeAwaySec, updates, suggestedAction: suggestedAction(updates) };
  }

  /** Seed 5.4 `total_sensor_time`: every session of the user, this one up to now. */
  totalSensorTime(sessionSeconds: number): number {
    return Math.round((this.otherSensorSeconds + sessionSeconds) * 10) / 10;
  }

  /** Seed 5.4: the parallax tip once per user, when the session's engagements reach 3 (stored before it is sent). */
  async maybeParallaxTip(engagements: number): Promise<Outcome | null> {
    if (!parallaxTipDue(engagements, this.seenTip)) return null;
    this.seenTip = true; // one attempt per session even if the write fails: a tip is not worth a retry storm
    const stored = await this.deps.sessions.markParallaxTipSeen(this.host.identity.userId).catch((err: unknown) => {
      this.host.log.warn({ err }, 'parallax tip not stored; not shown');
      return false;
    });
    if (!stored) return null; // another session showed it (or the store failed: better no tip than one shown twice)
    return {
      replies: [send('tip', { kind: 'parallax', message: PARALLAX_TIP_MESSAGE })],
      record: [{ type: 'session.tip_shown', entityType: 'session', entityId: this.host.identity.sessionId, payload: { tip: 'parallax', engagements } }],
    };
  }

  /** Seed 4.4: moving from one star to another star connects them, once; the client gets `connection`. */
  async connectOnLock(fromArtistId: string | null, toArtistId: string): Promise<Outcome | null> {
    if (!fromArtistId || fromArtistId === toArtistId) return null;
    let created;
    try {
      const line = lockConnection(fromArtistId, toArtistId, await this.host.starIds());
      if (!line) return null;
      created = await this.deps.constellations.connectOnLock(this.host.identity.userId, line, this.deps.now());
    } catch (err) {
      // The lock itself succeeded (`locked` went out); a line the store could not draw is logged, not an input error.
      this.host.log.warn({ err, fromArtistId, toArtistId }, 'lock connection not stored');
      return null;
    }
    if (!created) return null;
    return {
      replies: [send('connection', { ...created, via: 'lock' })],
      record: [
        {
          type: 'constellation.connected',
          entityType: 'artist',
          entityId: created.to,
          payload: { from: created.from, to: created.to, strength: created.strength, connectionType: created.type, via: 'lock' },
        },
      ],
    };
  }

  /**
   * Seed 15.4 after a replay: the offline stretch and sync time on the session, and what is new
   * since the device went offline (`offlineDuration` seconds before now, else the oldest operation).
   */
  async afterOfflineSync(
    offlineDuration: number | undefined,
    operations: ReadonlyArray<Record<string, unknown>>,
    totalInteractions: number,
  ): Promise<OfflineAdditions> {
    const now = this.deps.now();
    const since = offlineDuration !== undefined ? now - offlineDuration * 1000 : oldestTime(operations, now);
    const { userId, sessionId } = this.host.identity;
    const session = { totalInteractions, offlineDuration: offlineDuration ?? null, lastSyncedAt: now };
    try {
      const [recommendations, constellationUpdates] = await Promise.all([
        this.deps.recommendations
          ? this.deps.recommendations.newSince(userId, since).then((list) => list.slice(0, NEW_RECOMMENDATIONS_LIMIT))
          : Promise.resolve([]),
        this.deps.constellations.changesSince(userId, since, NEW_DATA_LIMIT),
        this.deps.sessions.recordOfflineSync(sessionId, offlineDuration ?? null, now),
      ]);
      return { newData: { since, recommendations, constellationUpdates }, session };
    } catch (err) {
      this.host.log.warn({ err }, 'offline reply: new data or the session update failed; the replay result is sent without them');
      return { newData: null, session };
    }
  }
}

/** The earliest `occurredAt` (epoch ms or ISO) among the operations, else `fallback`. */
function oldestTime(operations: ReadonlyArray<Record<string, unknown>>, fallback: number): number {
  let oldest = fallback;
  for (const op of operations) {
    const raw = op.occurredAt ?? op.timestamp;
    const t = typeof raw === 'number' ? raw : typeof raw === 'string' ? Date.parse(raw) : NaN;
    if (Number.isFinite(t) && t < oldest) oldest = t;
  }
  return oldest;
}
