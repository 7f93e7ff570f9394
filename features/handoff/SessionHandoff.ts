/** Sessions that outlive their process (drain and crash): credentials, snapshots, and pacing of resumes. */
import { checkSnapshotClaim, moveDelayMs, readSnapshot, type SessionSnapshot } from '../../systems/handoff/snapshot.js';
import type { SnapshotStore } from '../../persistence/handoff/SnapshotStore.js';
import { STALE_RESUME_MESSAGE } from '../../persistence/session/SessionRepository.js';
import { ResumeError, type CredentialSubject, type ResumeCredentials } from './ResumeCredentials.js';
import type { ResumeAdmission } from './ResumeAdmission.js';
import { RateLimitedError, type Limit } from '../limits/Limits.js';
import type { Departure, DeparturePacer } from './DeparturePacer.js';

/** A refusal that names no retry time: the client may try again after a second. */
const RETRY_WITHOUT_HINT_SEC = 1;

export { ResumeError, RESUME_REFUSALS, type ResumeRefusal, type CredentialSubject } from './ResumeCredentials.js';

export interface HandoffSettings {
  /** A drained client's wait before it joins again grows by this per session moving at once… */
  moveSpreadPerSessionMs: number;
  /** …up to this (HANDOFF_SPREAD_MAX_MS). */
  moveSpreadMaxMs: number;
  /** Also keep drained snapshots in Postgres: a lone process (no Redis) restarting finds them there. */
  durableOnDrain: boolean;
}

/** What a resume brings to the join: the checked claim and the snapshot found for it (null: restore from the row). */
export interface ResumeGrant {
  claim: CredentialSubject;
  snapshot: SessionSnapshot | null;
}

/** A session's turn to leave a draining process, and how long its client waits before joining again. */
export type DepartureTurn = Omit<Departure, 'inFlight'> & { retryAfterMs: number };

export class SessionHandoff {
  private moving = 0;

  constructor(
    readonly credentials: ResumeCredentials,
    readonly snapshots: SnapshotStore,
    readonly admission: ResumeAdmission,
    /** One resume per session at a time (across processes): concurrent ones would each restore it. */
    private readonly perSession: Pick<Limit, 'consume'>,
    readonly pacer: DeparturePacer,
    readonly settings: HandoffSettings,
    private readonly random: () => number = Math.random,
  ) {}

  /** At matchmaking, before any seat. Throws a ResumeError (INVALID, EXPIRED, FORBIDDEN, STALE). */
  async grant(credential: string, userId: string, nowMs: number): Promise<ResumeGrant> {
    const claim = await this.credentials.verify(credential, userId, nowMs);
    await this.perSession.consume(claim.sessionId).catch((err) => {
      if (!(err instanceof RateLimitedError)) throw err;
      const why = 'RESUME_BUSY: this session is being resumed already (a second tab, or a retry too soon)';
      throw new ResumeError('RESUME_BUSY', why, (err.retryAfterSec ?? RETRY_WITHOUT_HINT_SEC) * 1000);
    });
    // The snapshot store away (Redis down) costs the live state, not the session: it restores from its row.
    const snapshot = readSnapshot(await this.snapshots.load(claim.sessionId, nowMs).catch(() => undefined));
    if (!snapshot) return { claim, snapshot: null };
    const mismatch = checkSnapshotClaim(snapshot, claim);
    if (mismatch === 'STALE') throw new ResumeError('RESUME_STALE', STALE_RESUME_MESSAGE);
    return { claim, snapshot: mismatch ? null : snapshot };
  }

  save(snapshot: SessionSnapshot, nowMs: number, durable = false): Promise<number> {
    return this.snapshots.save(snapshot.sessionId, snapshot, nowMs, { durable: durable && this.settings.durableOnDrain });
  }

  /** Waits for this session's turn to leave, and spreads the clients' rejoin delays so sessions moving together do not arrive as a burst. */
  async departure(): Promise<DepartureTurn> {
    const turn = await this.pacer.turn();
    this.moving++;
    const spreadOver = this.pacer.stats().paced ? turn.inFlight : this.moving;
    const retryAfterMs = moveDelayMs(spreadOver, this.settings.moveSpreadPerSessionMs, this.settings.moveSpreadMaxMs, this.random());
    return { retryAfterMs, moved: turn.moved, cancel: turn.cancel };
  }

  stats() {
    return { ...this.snapshots.stats(), admission: this.admission.stats(), moved: this.moving, departures: this.pacer.stats() };
  }
}
