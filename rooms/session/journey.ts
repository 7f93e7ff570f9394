import type { Logger } from 'pino';
import { lockConnection } from '../../systems/constellation/constellation.js';
import { PARALLAX_TIP_MESSAGE, parallaxTipDue, suggestedAction, type ResumeUpdates } from '../../systems/session/sessionRules.js';
import type { JoinedSession, SavedCounters, SessionRepository } from '../../persistence/session/SessionRepository.js';
import type { EventIdentity } from './ports.js';
import type { ConstellationRepository } from '../../persistence/constellation/ConstellationRepository.js';
import { send, type Outcome } from './outcome.js';
import type { ReplyOf } from './replies.js';

/** As the resume welcome and the offline reply carry it. */
export type NewRecommendation = NonNullable<ReplyOf<'offline_synced'>['newData']>['recommendations'][number];

/** Newest first. Absent → `newRecommendations` is null and `newData.recommendations` empty. */
export interface RecommendationsPort {
  newSince(userId: string, sinceMs: number): Promise<NewRecommendation[]>;
}

export interface JourneyPorts {
  sessions: Pick<SessionRepository, 'markParallaxTipSeen' | 'newArtistsSince' | 'recordOfflineSync'>;
  constellations: Pick<ConstellationRepository, 'connectOnLock' | 'socialUpdatesSince' | 'changesSince'>;
  recommendations?: RecommendationsPort;
  now: () => number;
}

/** Bounds the "updates from similar users" query. */
export const SIMILAR_USERS_READ = 200;
/** Bounds the offline reply's `newData`. */
export const NEW_DATA_LIMIT = 100;
/** The engine's list may be longer. */
export const NEW_RECOMMENDATIONS_LIMIT = 20;

/** Its tip and lock lines come back as outcomes for the room to apply. */
export interface JourneyContext {
  readonly identity: EventIdentity;
  readonly log: Logger;
  starIds(): Promise<ReadonlySet<string>>;
}

/** `timeAwaySec`: since the latest session was last active; null on a first session. */
export type ResumeWelcome = Pick<ReplyOf<'welcome'>, 'resumeCount' | 'timeAwaySec' | 'updates' | 'suggestedAction'>;

/** `newData` null when it could not be read (the replay itself succeeded and is reported). */
export type OfflineAdditions = Pick<ReplyOf<'offline_synced'>, 'newData' | 'session'>;

/**
 * The journey beyond the dial: resume updates, the parallax tip and total sensor time, the line a lock draws between
 * two stars, the offline reply's new data. Postgres is read only off the tick (inputs, joins, locks).
 */
export class SessionJourney {
  private seenTip = true;
  /** Saved when this one joined. */
  private otherSensorSeconds = 0;

  constructor(
    private readonly host: JourneyContext,
    private readonly deps: JourneyPorts,
  ) {}

  /** `saved`: this session's own counters when it was resumed. */
  joined(joined: JoinedSession, saved: SavedCounters | null): void {
    this.seenTip = joined.seenParallaxTip;
    this.otherSensorSeconds = Math.max(0, joined.userSensorSeconds - (joined.resumed ? (saved?.sensorSeconds ?? 0) : 0));
  }

  /** A read failure leaves `updates` null rather than failing the join. */
  async resumeWelcome(joined: JoinedSession): Promise<ResumeWelcome> {
    const since = joined.lastActiveMs;
    const timeAwaySec = since === null ? null : Math.max(0, Math.round((this.deps.now() - since) / 1000));
    let updates: ResumeUpdates | null = null;
    if (since !== null && !joined.isFirstLaunch) {
      try {
        const [recommendations, newArtists, socialUpdates] = await Promise.all([
          this.deps.recommendations?.newSince(joined.userId, since).then((list) => list.length) ?? null,
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

  totalSensorTime(sessionSeconds: number): number {
    return Math.round((this.otherSensorSeconds + sessionSeconds) * 10) / 10;
  }

  /** Once per user, when the session's engagements reach 3 (stored before it is sent). */
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

  /** Moving from one star to another connects them, once; the client gets `connection`. */
  async connectOnLock(fromArtistId: string | null, toArtistId: string): Promise<Outcome | null> {
    if (!fromArtistId || fromArtistId === toArtistId) return null;
    let created;
    try {
      const line = lockConnection(fromArtistId, toArtistId, await this.host.starIds());
      if (!line) return null;
      created = await this.deps.constellations.connectOnLock(this.host.identity.userId, line, this.deps.now());
    } catch (err) {
      // The lock itself succeeded (`locked` went out): a line not stored is logged, not an input error.
      this.host.log.warn({ err, fromArtistId, toArtistId }, 'lock connection not stored');
      return null;
    }
    if (!created) return null;
    const payload = { from: created.from, to: created.to, strength: created.strength, connectionType: created.type, via: 'lock' as const };
    return {
      replies: [send('connection', { ...created, via: 'lock' })],
      record: [{ type: 'constellation.connected', entityType: 'artist', entityId: created.to, payload }],
    };
  }

  /** The offline stretch and sync time on the session, and what is new since the device went offline. */
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
        this.deps.recommendations?.newSince(userId, since).then((list) => list.slice(0, NEW_RECOMMENDATIONS_LIMIT)) ?? [],
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

/** Epoch ms or ISO; else `fallback`. */
function oldestTime(operations: ReadonlyArray<Record<string, unknown>>, fallback: number): number {
  let oldest = fallback;
  for (const op of operations) {
    const raw = op.occurredAt ?? op.timestamp;
    const t = typeof raw === 'number' ? raw : typeof raw === 'string' ? Date.parse(raw) : NaN;
    if (Number.isFinite(t) && t < oldest) oldest = t;
  }
  return oldest;
}
