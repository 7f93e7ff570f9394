/**
 * A session bot's view of moves and resumes (docs/PROTOCOL.md "Moving and resuming"), the same for the SDK
 * bot and the raw-WebSocket bot: what the session was before it lost its socket (`moving`, or a drop the
 * SDK could not recover: a killed process), what came back (`resumed`), how long the state stream was
 * quiet, and the rejoin loop itself (jittered backoff, `retryAfterMs` honoured, the next server tried when
 * one cannot be reached). The rules are the client package's (clients/ts), so the harness tests them too.
 */
import { performance } from 'node:perf_hooks';
import { Backoff, jittered } from '../clients/ts/src/backoff.js';
import { classifyJoinFailure, CLOSE } from '../clients/ts/src/resumePolicy.js';
import { InputLog } from '../clients/ts/src/InputLog.js';
import type { WorkerContext } from './context.js';
import { bump, type HandoffCounters, type LatencySummary } from './stats.js';

/** A draining server's refusal is followed promptly (elsewhere), as clients/ts does: at most this long. */
const PROMPT_RETRY_MAX_MS = 250;

/** Give up on a session that could not rejoin for this long: it counts as closed. */
export const REJOIN_DEADLINE_MS = 60_000;

/** What a `resumed` reply says, as far as the counters need it. */
export interface ResumedView {
  sessionId: string;
  resume: string;
  appliedSeq: number | null;
  restoredFrom: string;
  station?: { artistId?: string };
  totalStars?: number;
}

interface Before {
  sessionId: string | null;
  artistId: string | null;
  totalStars: number | null;
  lastStateAt: number;
  lostAt: number;
  moved: boolean;
  /** No input was awaiting its answer: the session's station and stars could not change any more. */
  settled: boolean;
}

/** Close codes after which a session is over, not resumed: 4000 (consented/ops kick) and 4409 (taken over). */
export const isFinalClose = (code: number): boolean => code === CLOSE.CONSENTED || code === CLOSE.SESSION_TAKEN_OVER;

/** The session a resume credential names (its JWT's `sid`), for the trail only: the bot never trusts it. */
function credentialSessionId(credential: string | null): string | null {
  try {
    return (JSON.parse(Buffer.from(credential!.split('.')[1]!, 'base64url').toString('utf8')) as { sid?: string }).sid ?? null;
  } catch {
    return null;
  }
}

export class HandoffTracker {
  /** The session as the bot knows it now (from state or messages). */
  sessionId: string | null = null;
  resume: string | null = null;
  artistId: string | null = null;
  totalStars: number | null = null;
  private lastStateAt = 0;
  private before: Before | null = null;
  private awaitingState = false;
  /** The bot's last few handoff events, printed when a resume comes back under another session id. */
  private readonly trail: string[] = [];

  private note(event: string): void {
    this.trail.push(`${Math.round(performance.now())} ${event} sid=${this.sessionId}`);
    if (this.trail.length > 12) this.trail.shift();
  }

  /** `settled`: whether no input of the bot awaits its answer (a swipe its `locked`, a capture its `captured`). */
  constructor(
    private readonly ctx: WorkerContext,
    private readonly settled: () => boolean = () => true,
  ) {}

  private get c() {
    return this.ctx.counters.handoff;
  }

  /** Between losing the socket and `resumed`. */
  get inProgress(): boolean {
    return this.before !== null;
  }

  /** A state frame (full state or patch) arrived; `now` is performance.now(). */
  state(now: number): void {
    if (this.awaitingState && this.before) {
      this.ctx.record('handoffGap', now - this.before.lastStateAt);
      this.before = null;
      this.awaitingState = false;
    }
    this.lastStateAt = now;
  }

  welcome(m: { sessionId?: string; resume?: string; lastStation?: { artistId?: string } }): void {
    this.note(`welcome ${m.sessionId} cred=${credentialSessionId(m.resume ?? null)}`);
    // A bot whose process died before its first `welcome` reached it had no session to resume: its first one now.
    if (this.before?.sessionId === null) this.ctx.outlier({ kind: 'lostBeforeWelcome', sessionId: m.sessionId ?? null, trail: [...this.trail] });
    else if (this.before) this.c.freshSessions++;
    this.before = null;
    this.awaitingState = false;
    this.sessionId = m.sessionId ?? null;
    this.resume = m.resume ?? null;
    this.artistId = m.lastStation?.artistId ?? this.artistId;
  }

  moving(resume: string): void {
    this.note(`moving cred=${credentialSessionId(resume)}`);
    this.c.moved++;
    this.resume = resume;
    this.lost(true);
  }

  /**
   * The socket is gone (or going): remember what the session was. A drop during a move stays a move. A loss
   * after `resumed` but before the first state frame (a deploy drains the process the session just moved to)
   * is a move of its own: folded into the one before, its `resumed` had no record to compare with.
   */
  lost(moved: boolean): void {
    this.note(`lost moved=${moved} pending=${this.before !== null}`);
    if (this.before && !this.awaitingState) return;
    this.awaitingState = false;
    this.before = {
      sessionId: this.sessionId,
      artistId: this.artistId,
      totalStars: this.totalStars,
      lastStateAt: this.lastStateAt,
      lostAt: performance.now(),
      moved,
      settled: this.settled(),
    };
  }

  /** The SDK took the same room back (a short drop on a live process): nothing to compare. */
  restored(): void {
    this.note('restored');
    if (!this.before?.moved) this.before = null;
  }

  /** The SDK's reconnection failed too: the bot rejoins with its credential (a crash, once it had a session). */
  crashed(): void {
    this.note('crashed');
    if (this.before && !this.before.moved && this.before.sessionId !== null) this.c.crashed++;
  }

  resumed(m: ResumedView): void {
    const c = this.c;
    c.resumed++;
    if (m.restoredFrom === 'handoff' || m.restoredFrom === 'snapshot' || m.restoredFrom === 'durable') c.restoredFrom[m.restoredFrom]++;
    const b = this.before;
    this.note(`resumed ${m.sessionId} from=${m.restoredFrom}`);
    if (!b) this.ctx.outlier({ kind: 'resumedWithoutLoss', sessionId: m.sessionId, trail: [...this.trail] });
    if (b) {
      if (m.sessionId === b.sessionId) c.sameSessionId++;
      else this.ctx.outlier({ kind: 'resumedUnderAnotherSessionId', before: b.sessionId, after: m.sessionId, trail: [...this.trail] });
      const station = m.station?.artistId ?? null;
      const stationDiffers = b.artistId !== null && station !== b.artistId;
      // After a crash the server may hold a star whose state patch the crash cut off (the bot saw fewer): that is
      // what it acknowledged arriving late, not a loss. Fewer stars than the bot saw is one.
      const gainedUnseen = !b.moved && b.totalStars !== null && m.totalStars !== undefined && m.totalStars > b.totalStars;
      const starsDiffer = b.totalStars !== null && m.totalStars !== undefined && m.totalStars !== b.totalStars && !gainedUnseen;
      if (gainedUnseen) c.changedInFlight++;
      if ((stationDiffers || starsDiffer) && !b.settled) c.changedInFlight++;
      else {
        if (stationDiffers) c.stationMismatch++;
        if (stationDiffers)
          this.ctx.outlier({
            kind: 'settledStationChanged',
            sessionId: m.sessionId,
            before: b.artistId,
            after: station,
            moved: b.moved,
            restoredFrom: m.restoredFrom,
            trail: [...this.trail],
          });
        if (stationDiffers && !b.moved) c.stationMismatchAfterCrash++;
        if (starsDiffer) c.starsMismatch++;
        if (starsDiffer && !b.moved) c.starsMismatchAfterCrash++;
      }
      this.ctx.record('handoffRejoin', performance.now() - b.lostAt);
      this.awaitingState = true;
    }
    this.sessionId = m.sessionId;
    this.resume = m.resume;
    if (m.station?.artistId) this.artistId = m.station.artistId;
    if (m.totalStars !== undefined) this.totalStars = m.totalStars;
  }

  /** The session is over for the user (no rejoin, or a close that forbids one). */
  closed(): void {
    this.c.closed++;
    this.before = null;
  }
}

export interface RejoinAttempt {
  /** Server to matchmake at, and the credential (null after a refusal: a plain join). */
  (url: string, resume: string | null): Promise<void>;
}

/**
 * Rejoins until it works, the deadline passes (false) or the run stops (null). Tries `urls` from `startIndex`,
 * moving to the next one when a server cannot be reached; a refused credential is dropped (plain join); a
 * refused token is renewed with `renewToken`.
 */
export async function rejoin(
  ctx: WorkerContext,
  tracker: HandoffTracker,
  urls: readonly string[],
  startIndex: number,
  firstDelayMs: number,
  attempt: RejoinAttempt,
  renewToken: () => Promise<void>,
): Promise<{ ok: boolean; urlIndex: number } | null> {
  const backoff = new Backoff({ random: ctx.random });
  const deadline = performance.now() + REJOIN_DEADLINE_MS;
  let index = startIndex;
  let delay = firstDelayMs;
  for (;;) {
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    if (ctx.stopping) return null;
    const resume = tracker.resume;
    try {
      await attempt(urls[index % urls.length]!, resume);
      return { ok: true, urlIndex: index % urls.length };
    } catch (err) {
      if (ctx.stopping) return null;
      ctx.counters.handoff.rejoinRetries++;
      const failure = classifyJoinFailure(err, resume !== null);
      bump(ctx.counters.joinFailures, `rejoin: ${failure.kind} ${(err as { code?: unknown }).code ?? ''}`.trim());
      if (performance.now() > deadline || failure.kind === 'fatal') return { ok: false, urlIndex: index % urls.length };
      if (failure.kind === 'fallback') tracker.resume = null;
      if (failure.kind === 'token') await renewToken().catch(() => undefined);
      // Unreachable, failing or draining: the next server. A draining one (SHUTTING_DOWN) is left at once, as the
      // TS client does; backing off against it kept a bot there until the process exited (seconds into a drain).
      if (failure.kind === 'retry' || failure.kind === 'elsewhere') index++;
      if (failure.kind === 'fallback') delay = 0;
      else if (failure.kind === 'elsewhere') delay = Math.min(backoff.next(), PROMPT_RETRY_MAX_MS);
      else delay = failure.kind === 'busy' ? backoff.after(failure.retryAfterMs) : backoff.next();
    }
  }
}

/** The first wait after `moving` (about retryAfterMs, spread) or after a crash (a short random one, so bots do not come back in step). */
export function firstRejoinDelay(ctx: WorkerContext, movedRetryAfterMs: number | null): number {
  return movedRetryAfterMs !== null ? jittered(movedRetryAfterMs, ctx.random) : new Backoff({ random: ctx.random }).next();
}

/** What a `moving` notice says, as far as a bot needs it. */
export interface MovingView {
  resume: string;
  appliedSeq: number;
  retryAfterMs: number;
}

/**
 * What survives a session bot's sockets, the same for the SDK bot and the raw-WebSocket bot: the handoff
 * tracker, the inputs sent (resent after `resumed`), the server to rejoin through and when. The bots keep
 * only their transport and their own state machine.
 */
export class SessionContinuity {
  readonly tracker: HandoffTracker;
  readonly inputs = new InputLog();
  /** The server the session is (or rejoins) on, an index into `urls()` (modulo). */
  urlIndex: number;
  private movingRetryAfterMs: number | null = null;

  /** `settled`: whether no input of the bot awaits its answer (HandoffTracker). */
  constructor(
    private readonly ctx: WorkerContext,
    readonly urls: () => readonly string[],
    startIndex: number,
    settled?: () => boolean,
  ) {
    this.tracker = new HandoffTracker(ctx, settled);
    this.urlIndex = startIndex;
  }

  /** The server to talk to now. */
  get url(): string {
    const urls = this.urls();
    return urls[this.urlIndex % urls.length]!;
  }

  /** `welcome`: a fresh session (also the end of a rejoin that fell back to one). True when it ended a rejoin. */
  welcome(m: { sessionId?: string; resume?: string; lastStation?: { artistId?: string } }): boolean {
    const rejoined = this.tracker.inProgress;
    this.tracker.welcome(m);
    this.inputs.forgetSent();
    return rejoined;
  }

  /** `resumed`: back after a move or a crash; `send` resends what the session had not applied. */
  resumed(m: ResumedView, send: (type: string, payload: Record<string, unknown>) => void): void {
    this.tracker.resumed(m);
    const { resend } = this.inputs.replayAfter(m.appliedSeq);
    this.ctx.counters.handoff.resent += resend.length;
    for (const input of resend) {
      this.inputs.sentOne(input);
      send(input.type, input.payload);
    }
  }

  /** `moving`: inputs up to its seq were applied; the rejoin waits about `retryAfterMs`, through the next server (this one drains). */
  moving(m: MovingView): void {
    this.tracker.moving(m.resume);
    this.inputs.acknowledge(m.appliedSeq);
    this.movingRetryAfterMs = m.retryAfterMs;
    this.urlIndex++;
  }

  /** The options of a rejoin: the credential, or (after a refusal) a plain join naming the last session. */
  rejoinOptions<O extends object>(base: O, resume: string | null): O & { resume?: string; lastSessionId?: string } {
    return resume ? { ...base, resume } : { ...base, lastSessionId: this.tracker.sessionId ?? undefined };
  }

  /**
   * The rejoin loop after a move or a lost process (`rejoin` above): true once rejoined, false when the session
   * is lost (not counted yet: see `dropped`), null when the run stopped. Call `tracker.lost(false)` first.
   */
  async recover(attempt: RejoinAttempt, renewToken: () => Promise<void>): Promise<boolean | null> {
    this.tracker.crashed();
    const delay = firstRejoinDelay(this.ctx, this.movingRetryAfterMs);
    this.movingRetryAfterMs = null;
    const result = await rejoin(this.ctx, this.tracker, this.urls(), this.urlIndex, delay, attempt, renewToken);
    if (result) this.urlIndex = result.urlIndex;
    return result ? result.ok : null;
  }

  /** The session is over for the user: a close that forbids a resume, or no rejoin before the deadline. */
  dropped(): void {
    this.ctx.counters.sessions.dropped++;
    this.tracker.closed();
  }
}

/** The run's moves and resumes in the JSON report (`handoff`), named for a system test to assert. */
export interface HandoffSummary {
  /** `moving` notices received. */
  moved: number;
  /** Sockets lost without a notice that the SDK could not take back (a killed process). */
  crashed: number;
  /** `resumed` replies; `sameSessionId` of them kept their session id (should equal `resumed`). */
  resumed: number;
  sameSessionId: number;
  /** Sessions lost to the user (should be 0), and sessions restarted afresh because a resume was refused. */
  closed: number;
  freshSessions: number;
  /** Last state frame before losing the socket → first state frame after `resumed` (ms). */
  gapMsP50: number | null;
  gapMsP99: number | null;
  gapMsMax: number | null;
  /** Losing the socket (`moving` or the first drop) → `resumed` (ms). */
  rejoinMsP50: number | null;
  rejoinMsP99: number | null;
  /** Station / total stars after ≠ before with no input in flight at the move, over all resumes; the `…AfterCrash` part of them. */
  stationMismatch: number;
  starsMismatch: number;
  stationMismatchAfterCrash: number;
  starsMismatchAfterCrash: number;
  /** Resumes whose station or stars changed while an input was in flight (not counted as mismatches). */
  changedInFlight: number;
  restoredFrom: { handoff: number; snapshot: number; durable: number };
  rejoinRetries: number;
  resent: number;
  duplicates: number;
  movingErrors: number;
}

export function summarizeHandoff(c: HandoffCounters, latencyMs: Record<string, LatencySummary | undefined>): HandoffSummary {
  const gap = latencyMs.handoffGap;
  const rejoinMs = latencyMs.handoffRejoin;
  return {
    moved: c.moved,
    crashed: c.crashed,
    resumed: c.resumed,
    sameSessionId: c.sameSessionId,
    closed: c.closed,
    freshSessions: c.freshSessions,
    gapMsP50: gap?.p50 ?? null,
    gapMsP99: gap?.p99 ?? null,
    gapMsMax: gap?.max ?? null,
    rejoinMsP50: rejoinMs?.p50 ?? null,
    rejoinMsP99: rejoinMs?.p99 ?? null,
    stationMismatch: c.stationMismatch,
    starsMismatch: c.starsMismatch,
    stationMismatchAfterCrash: c.stationMismatchAfterCrash,
    starsMismatchAfterCrash: c.starsMismatchAfterCrash,
    changedInFlight: c.changedInFlight,
    restoredFrom: { ...c.restoredFrom },
    rejoinRetries: c.rejoinRetries,
    resent: c.resent,
    duplicates: c.duplicates,
    movingErrors: c.movingErrors,
  };
}
