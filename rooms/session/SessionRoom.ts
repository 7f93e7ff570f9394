import { CloseCode, matchMaker, Room, ServerError, type AuthContext, type Client } from '@colyseus/core';
import { kickClient } from '../ops/opsActions.js';
import type { Logger } from 'pino';
import { SessionState } from '../../schema/SessionState.js';
import { InboundGuard, echoableType } from '../inboundGuard.js';
import { reportUncaught } from '../uncaught.js';
import { findBadText } from '../../systems/text.js';
import { SessionSimulation } from './SessionSimulation.js';
import { arriveViaOrb, lockOn, showStation } from './stationArrivals.js';
import { identityFieldsIn, issuesToDetails, joinOptionsSchema, messageSchemas, SessionInputError, type ErrorMessage, type JoinOptions, type MessageOf, type MessageType, type SessionErrorCode } from './messages.js';
import type { EventIdentity, RoomEvent, SessionRoomServices } from './ports.js';
import type { SessionHolder } from '../../persistence/session/SessionRepository.js';
import { CaptureFlow } from './CaptureFlow.js';
import { DATABASE_UNAVAILABLE_MESSAGE, toClientError } from '../clientErrors.js';
import { AppError } from '../../systems/errors.js';
import { createInputHandlers, type InputHandlers } from './inputs.js';
import type { Badge } from '../../systems/session/badges.js';
import { SessionCountersTracker } from './counters.js';
import { CounterSaves } from './counterSaves.js';
import { assignRoomAccessors, closedForFlooding, driveWithSharedTicker, hasPendingChanges, shareEncodeBuffers, wildcardType } from '../colyseusInternals.js';
import { AuthTokenError, tokenProblem, type AccessIdentity } from '../../systems/auth/identity.js';
import { SessionJourney, type ResumeWelcome } from './journey.js';
import { broadcastReply, reply, type ReplyPayload, type ReplyType } from './replies.js';
import { ResumeError, RESUME_REFUSALS, type ResumeGrant } from '../../features/handoff/SessionHandoff.js';
import { restoreSnapshot, SnapshotWriter } from './handoff.js';
import type { SessionSnapshot } from '../../systems/handoff/snapshot.js';
import { admitLive, enterLive, leaveLive, refuseRevokedReconnection } from './liveness.js';

export { SessionInputError };

const MESSAGE_TYPES: ReadonlySet<string> = new Set(Object.keys(messageSchemas));

/**
 * Matchmaking refusals (`POST /matchmake/…`, before any room or seat exists). Colyseus answers them as
 * the HTTP status, so they are HTTP codes (a 4xxx code there becomes a bare 500), and the SDK rejects the
 * join promise with that status as `code`.
 */
/** Bad join options, or options that still carry identity fields. */
export const MATCHMAKE_INVALID = 400;
/** No valid access token (missing, expired, forged, unknown device): get a token, join again. */
export const MATCHMAKE_UNAUTHORIZED = 401;
/** The database does not answer (the token's device cannot be checked): retry in a few seconds. */
export const MATCHMAKE_UNAVAILABLE = 503;

/** Join rejected on the WebSocket (after matchmaking): bad options. Colyseus hands the code and message to the client's join promise. */
const JOIN_INVALID = 4400;
/** Join rejected on the WebSocket: the token's user is no longer known (removed between matchmaking and the join). */
const JOIN_UNAUTHORIZED = 4401;
/** Join refused because the database does not answer: retry in a few seconds (DATABASE_UNAVAILABLE). */
const JOIN_UNAVAILABLE = 4503;
/** Join failed for a fault of the server (logged): retry, report if it persists. */
const JOIN_FAILED = 4500;
/** The process is draining: the session was saved and another process takes it; join again with `resume` (the `moving` message said when). */
export const CLOSE_MOVING = 4100;
/** The session was resumed elsewhere (another tab or device with its credential): this connection ends; do not resume it automatically. */
export const CLOSE_TAKEN_OVER = 4409;

/** The access token's identity, and what a join with `resume` was granted at matchmaking. */
type SeatAuth = AccessIdentity & { id: string; resume?: ResumeGrant };

/**
 * Builds the `session` room class closed over its services (never room options: those may travel
 * between processes as JSON). One room per user session; thin: validate, call systems, log events.
 */
export function createSessionRoom(services: SessionRoomServices) {
  const { settings } = services;
  // Shared by every room of the class: per-room copies of these were a few hundred bytes per session.
  const guardOptions = { ratePerSec: settings.messageRatePerSec, noticeIntervalMs: settings.noticeIntervalMs, now: services.now };
  const captureDeps = { ...services, maxInFlight: settings.maxCapturesInFlight };
  /** A join with `resume`, checked at matchmaking: a refusal is the HTTP status of its code, its message naming the code. */
  const grantResume = async (credential: string, userId: string): Promise<ResumeGrant> => {
    try {
      return await services.handoff.grant(credential, userId, services.now());
    } catch (err) {
      if (err instanceof ResumeError) throw new ServerError(RESUME_REFUSALS[err.code], err.message);
      throw err;
    }
  };

  return class SessionRoom extends Room<{ state: SessionState }> {
    constructor() {
      super();
      assignRoomAccessors(this, { maxClients: 1, state: new SessionState() });
    }
    /** Ops: an operator closes one client (rooms/ops/opsActions.ts), called through matchMaker.remoteRoomCall. */
    opsKick(sessionId: string): boolean {
      return kickClient(this, sessionId);
    }
    /** The types the one '*' handler serves (metrics count them by name; anything else is "unknown"). */
    get messageTypes(): ReadonlySet<string> {
      return MESSAGE_TYPES;
    }
    /** Colyseus closes a client past this rate: beyond replying RATE_LIMITED, a flood is cut off. */
    override maxMessagesPerSecond = settings.disconnectRatePerSec;
    identity!: EventIdentity;
    /** This room's hold on the session row: a later resume of the same session takes it over. */
    private holder!: SessionHolder;
    log!: Logger;
    sim!: SessionSimulation;
    readonly counters = new SessionCountersTracker();
    readonly visitedPath: string[] = [];
    private readonly guard = new InboundGuard(guardOptions);
    capture!: CaptureFlow;
    /** Resume updates, parallax tip, lock connections, offline reply data (seed 000 steps 4.4, 5.4, 14, 15.4). */
    readonly journey = new SessionJourney(this, services);
    /** Made on the first message: a session that only listens never holds the ~20 handler closures. */
    private handlers?: InputHandlers;
    private untick?: () => void;
    /** Set once the session leaves this process alive: handed over in a drain, or resumed in another room. */
    private departing?: 'moving' | 'taken_over';
    /** The join opening the session (Colyseus lists the client before onJoin): a drain hands off after it. */
    private opening?: Promise<void>;
    /** The highest input `seq` applied (restored with the session; inputs at or below it are duplicates). */
    appliedSeq = 0;
    /** SnapshotHost: the holder's generation, its resume count. */
    get generation(): number {
      return this.holder.resumeCount;
    }
    private readonly snapshots = new SnapshotWriter(this, services);
    private stepsSincePatch = 0;
    private readonly stepsPerPatch = Math.max(1, Math.round(settings.simHz / settings.patchHz));

    override onCreate(): void {
      this.log = services.log.child({ roomId: this.roomId, room: 'session' });
      driveWithSharedTicker(this); // the shared ticker steps the simulation and sends patches (see step())
      shareEncodeBuffers(this); // one client, no filters: the process's encode buffers, not 8 KB of its own
      // One registration for every type rather than one per type: each registration is a listener array
      // and two closures per room (BENCHMARKS.md "Memory per session").
      this.onMessage('*', (client, slot, raw) => {
        const type = wildcardType(slot, raw);
        try {
          if (typeof type === 'string' && MESSAGE_TYPES.has(type)) return void this.dispatch(client, type as MessageType, raw).catch((err) => this.fault(err, 'onMessage', { client, type }));
          const forType = echoableType(type);
          if (this.admit(client, forType)) this.sendError(client, forType, 'UNKNOWN_MESSAGE', 'unknown message type; see docs/PROTOCOL.md for the types a session takes');
        } catch (err) {
          this.fault(err, 'onMessage', { client, type });
        }
      });
    }

    /**
     * Any exception a handler or hook lets escape: logged (throttled per client), answered INTERNAL for a
     * message, never fatal. The hooks call it themselves: a room defining Colyseus's `onUncaughtException`
     * gets every hook, timer and handler wrapped in bound closures of its own, ~18 functions per session.
     */
    private fault(err: unknown, methodName: string, message?: { client: Client; type: unknown }): void {
      reportUncaught({ log: this.log ?? services.log, guard: this.guard, replyError: (client, forType, code, text) => this.sendError(client, forType, code, text) }, err as Error, methodName, message);
    }

    /**
     * Who joins comes from the verified access token only (`client.auth.token` in the SDKs); never from join
     * options. Static, so Colyseus runs it at matchmaking, before it creates a room or reserves a seat: an
     * unauthenticated request costs a token check, not a room. Its result is the seat's `client.auth`; a
     * reconnection (reconnection token) skips it.
     */
    static override async onAuth(token: string, rawOptions: unknown, _context: AuthContext): Promise<SeatAuth> {
      let identity: AccessIdentity;
      try {
        identity = await services.auth.verify(token);
      } catch (err) {
        if (services.databaseUnavailable(err)) throw new ServerError(MATCHMAKE_UNAVAILABLE, `DATABASE_UNAVAILABLE: ${DATABASE_UNAVAILABLE_MESSAGE}`);
        if (!(err instanceof AuthTokenError)) services.log.error({ err, room: 'session' }, 'access token check failed');
        throw new ServerError(MATCHMAKE_UNAUTHORIZED, err instanceof AuthTokenError ? err.message : 'the access token could not be checked; retry');
      }
      const stale = identityFieldsIn(rawOptions);
      if (stale.length > 0) throw new ServerError(MATCHMAKE_INVALID, `invalid join options: ${stale.join(', ')} not allowed; identity now comes from the access token (remove them)`);
      const checked = checkJoinOptions(rawOptions);
      if ('problem' in checked) throw new ServerError(MATCHMAKE_INVALID, checked.problem);
      // `id` is what Colyseus's inspector (GET /api/ops/rooms/:id, /monitor) shows as each client's userId.
      const seat: SeatAuth = { ...identity, id: identity.userId };
      if (checked.options.resume) seat.resume = await grantResume(checked.options.resume, identity.userId);
      return seat;
    }

    /** A join that fails for a reason of the server's answers a code, never the driver's text or an address. */
    override async onJoin(client: Client, rawOptions: unknown): Promise<void> {
      try {
        await (this.opening = this.startSession(client, rawOptions));
      } catch (err) {
        if (err instanceof ServerError) throw err;
        if (services.databaseUnavailable(err)) {
          this.log.warn({ err: (err as Error).message }, 'join refused: the database is unavailable');
          throw new ServerError(JOIN_UNAVAILABLE, `DATABASE_UNAVAILABLE: ${DATABASE_UNAVAILABLE_MESSAGE}`);
        }
        this.log.error({ err }, 'join failed');
        throw new ServerError(JOIN_FAILED, 'INTERNAL: the server could not start this session; it was logged. Retry, and report it if it persists');
      }
    }

    private async startSession(client: Client, rawOptions: unknown): Promise<void> {
      // Checked at matchmaking already (onAuth); checked again for the typed options and for a seat reserved by other means.
      const checked = checkJoinOptions(rawOptions);
      if ('problem' in checked) throw new ServerError(JOIN_INVALID, checked.problem);
      const { options } = checked;
      const caller = client.auth as SeatAuth | undefined;
      // A seat reserved without the matchmaking check (a server-side reservation with no auth context) names no one.
      if (!caller) throw new ServerError(JOIN_UNAUTHORIZED, tokenProblem('TOKEN_MISSING').message);
      // Sessions another process gave up arrive in waves (a deploy, a lost host): restored a bounded number at a time.
      const release = caller.resume ? await services.handoff.admit().catch(busyJoin) : undefined;
      try {
        await this.openSession(client, options, caller);
      } finally {
        release?.();
      }
    }

    private async openSession(client: Client, options: JoinOptions, caller: SeatAuth): Promise<void> {
      const { resume: _credential, ...joinOptions } = options;
      const wanted = caller.resume?.claim.sessionId;
      await admitLive(this, services, caller); // the user's live rooms are bounded before the join touches a session (liveness.ts)
      const joined = await services.sessions.join({ ...joinOptions, ...(wanted ? { lastSessionId: wanted } : {}), userId: caller.userId, deviceId: caller.deviceId }, services.now()).catch((err) => {
        throw err instanceof AppError && err.code === 'UNKNOWN_USER' ? new ServerError(JOIN_UNAUTHORIZED, err.message) : err;
      });
      // A resume restores only the session its credential names, and only if the row could still resume it.
      const grant = caller.resume && joined.resumed && joined.sessionId === wanted ? caller.resume : undefined;
      const snapshot = grant?.snapshot ?? null;
      // Before the identity is set: a refused join then leaves nothing for onLeave to end (liveness.ts).
      await enterLive(this, services, { userId: joined.userId, sessionId: joined.sessionId, deviceId: caller.deviceId }, caller);
      this.identity = { userId: joined.userId, sessionId: joined.sessionId, deviceId: caller.deviceId };
      this.holder = { sessionId: joined.sessionId, resumeCount: joined.resumeCount };
      // One child logger per room, not a child of the room's: the join's replaces the one onCreate made.
      this.log = services.log.child({ roomId: this.roomId, room: 'session', sessionId: joined.sessionId, userId: joined.userId });
      const saved = joined.resumed && !snapshot ? await services.sessions.countersOf(joined.sessionId) : null;
      if (saved) this.counters.restore(saved);
      this.state.interactions = this.counters.interactions;
      this.state.orbsExplored = this.counters.orbsExplored;
      this.journey.joined(joined, saved ?? snapshot?.counters ?? null);
      const stations = await services.stations.stationFrequencies();
      this.sim = new SessionSimulation(this.state, stations, snapshot?.dial.target ?? joined.frequency, services.now());
      await showStation(this, services, await this.stationToRestore(snapshot), 'join');
      if (snapshot) restoreSnapshot(this, snapshot);
      // A session coming back from a move or a crash was away for seconds: no "while you were away" reads.
      const welcomeReads = grant ? Promise.resolve({ resumeCount: joined.resumeCount, updates: null }) : this.journey.resumeWelcome(joined);
      const [{ stars, badges }, resume] = await Promise.all([services.constellations.starsAndBadgesOf(joined.userId), welcomeReads]);
      this.state.totalStars = stars.length;
      for (const badge of badges) this.state.badges.push(badge);
      this.capture = new CaptureFlow(this, captureDeps, stars);
      this.wake();
      // A glide under way when the snapshot was taken ends here: the lock (its `locked`, its visit) happens once.
      if (snapshot && !snapshot.dial.locked) this.inBackground(this.lockOn(snapshot.dial.target, 'swipe'), 'lockOn');
      this.record([{ type: joined.resumed ? 'session.resumed' : 'session.started', entityType: 'session', entityId: joined.sessionId, payload: { deviceModel: options.deviceModel ?? null, appVersion: options.appVersion ?? null, frequency: this.sim.dial.target, resumeCount: resume.resumeCount, updates: resume.updates } }]);
      const lastStation = { artistId: this.state.station.artistId, artistName: this.state.station.artistName, frequency: this.state.station.frequency };
      const credential = await this.credential();
      // The new holder claims the session at once: a credential issued before this resume is stale from now on.
      this.snapshots.soon();
      if (grant) {
        reply(client, 'resumed', { sessionId: joined.sessionId, userId: joined.userId, resume: credential, appliedSeq: snapshot ? snapshot.appliedSeq : null, restoredFrom: snapshot ? (snapshot.reason === 'handoff' ? 'handoff' : 'snapshot') : 'durable', station: lastStation, frequency: this.sim.dial.target, totalStars: stars.length, badges: [...this.state.badges], resumeCount: joined.resumeCount, serverTime: services.now() });
        if (snapshot?.reason === 'live' && snapshot.roomId !== this.roomId) this.takeOverFrom(snapshot.roomId);
      } else {
        reply(client, 'welcome', { sessionId: joined.sessionId, userId: joined.userId, isFirstLaunch: joined.isFirstLaunch, resumed: joined.resumed, message: joined.message, frequency: this.sim.dial.target, serverTime: services.now(), lastStation, ...(resume as ResumeWelcome), resume: credential });
      }
      this.log.info({ resumed: joined.resumed, firstLaunch: joined.isFirstLaunch, restored: grant ? (snapshot?.reason ?? 'durable') : undefined }, 'session joined');
    }

    /**
     * The station a restored session shows: where its dial was heading when a glide was still under way (the
     * old room may have locked it after its last snapshot, and told the client); else the station on screen,
     * off the dial too (an orb arrival).
     */
    private async stationToRestore(snapshot: SessionSnapshot | null) {
      const onDial = await services.stations.stationAt(this.sim.dial.target);
      if (!snapshot?.station.artistId || !snapshot.dial.locked || onDial?.artist.id === snapshot.station.artistId) return onDial;
      return (await services.stations.stationForArtist(snapshot.station.artistId, snapshot.station.frequency)) ?? onDial;
    }

    /** A resume credential for this room's hold on the session. */
    private credential(): Promise<string> {
      return services.handoff.credentialFor({ ...this.identity, generation: this.holder.resumeCount }, services.now());
    }

    /**
     * The session was resumed from a snapshot a live room may still hold (two tabs, or a process cut off
     * rather than dead): that room closes its client so two rooms never serve one session. A room that is
     * gone does not answer; nothing waits for it.
     */
    private takeOverFrom(roomId: string): void {
      void matchMaker.remoteRoomCall(roomId, 'yieldSession', [this.identity.sessionId]).catch(() => undefined);
    }

    /** Called on the older room by {@link takeOverFrom}: its client is told the session moved elsewhere. */
    yieldSession(sessionId: string): boolean {
      if (!this.identity || this.identity.sessionId !== sessionId || this.departing) return false;
      this.departing = 'taken_over';
      this.log.info('session resumed in another room; closing this one');
      this.clients[0]?.leave(CLOSE_TAKEN_OVER, 'SESSION_TAKEN_OVER: this session was resumed elsewhere');
      return true;
    }

    /**
     * Colyseus calls this on every room when the process shuts down (after it stopped taking rooms): the
     * session is handed over instead of ended. Inputs stop, work in flight settles, the counters and the
     * snapshot are saved, the client gets `moving` (its credential, the last input applied, when to come
     * back) and close 4100; its next join, through the matchmaker, lands on another process that restores it.
     */
    override onBeforeShutdown(): void {
      void this.handOff().catch((err) => {
        this.fault(err, 'onBeforeShutdown');
        void this.disconnect(CloseCode.SERVER_SHUTDOWN).catch(() => undefined);
      });
    }

    private async handOff(): Promise<void> {
      await this.opening?.catch(() => undefined);
      if (!this.identity || this.clients.length === 0 || this.departing) return void (await this.disconnect(CloseCode.SERVER_SHUTDOWN));
      this.departing = 'moving';
      await this.capture.settled();
      await this.saveCounters(false);
      const now = services.now();
      await this.snapshots.last(now, true);
      const credential = await this.credential();
      // The client's last state is the snapshot's: a lock or arrival of the last tick reaches it before `moving`.
      this.flushPatch();
      reply(this.clients[0], 'moving', { reason: 'draining', resume: credential, appliedSeq: this.appliedSeq, retryAfterMs: services.handoff.departureDelayMs() });
      this.log.info({ appliedSeq: this.appliedSeq }, 'session handed off: the client moves to another process');
      await this.disconnect(CLOSE_MOVING);
    }

    override async onDrop(client: Client, code?: number): Promise<void> {
      // Moved or taken over: the session lives on elsewhere, so nothing holds a seat for it here.
      if (this.departing) return;
      // A client past CLIENT_DISCONNECT_RATE gets no seat, so its socket closes now; the same code 4002 also
      // closes the old socket of a client reconnecting over a new one, which must keep its seat.
      if (code === CloseCode.WITH_ERROR && closedForFlooding(client, this.maxMessagesPerSecond)) {
        return this.log.info({ code }, 'client closed for flooding; not held for reconnection');
      }
      this.log.info({ code }, 'client dropped; holding the session for reconnection');
      // The window passing rejects (with `false`): not a fault; the session ends in onLeave.
      await this.allowReconnection(client, settings.reconnectWindowSec).catch(() => this.log.info('reconnection window passed; the session ends'));
    }

    override async onReconnect(client: Client): Promise<void> {
      await refuseRevokedReconnection(this, services, client); // a device revoked since the join does not come back
      this.log.info('client reconnected');
    }

    override async onLeave(client: Client): Promise<void> {
      this.guard.forget(client);
      leaveLive(this); // the room and its session stop counting for the user and device (also after a failed join)
      if (!this.identity) return;
      // Handed over: its counters and snapshot are saved, and the session goes on elsewhere (no session.ended).
      if (this.departing) return;
      // Reported, then passed on to Colyseus as its own guard would (the seat is released either way).
      await services.pendingWork.track(this.endSession()).catch((err) => {
        this.fault(err, 'onLeave');
        throw err;
      });
    }

    /** The session's last counters and its `session.ended` event (shutdown waits for them). */
    private async endSession(): Promise<void> {
      await this.counterSaves.end();
      await services.handoff.forget(this.identity.sessionId).catch((err: Error) => this.log.warn({ err: err.message }, 'snapshot of an ended session not deleted; it expires with its TTL'));
      this.record([{ type: 'session.ended', entityType: 'session', entityId: this.identity.sessionId, payload: { ...this.counters.snapshot(this.sim.dialAt(services.now()), this.state.station.artistId || null) } }]);
    }

    override onDispose(): void {
      try {
        this.untick?.();
        this.log?.debug('session room disposed');
      } catch (err) {
        this.fault(err, 'onDispose');
      }
    }

    /** Validates and rate-limits one client message, then runs its handler; errors become `error` replies. */
    private async dispatch<T extends MessageType>(client: Client, type: T, raw: unknown): Promise<void> {
      if (!this.admit(client, type)) return;
      this.wake(); // whatever the input changes goes out with the next patch step at the latest
      if (!this.identity) return this.sendError(client, type, 'BUSY', 'the session is still joining; retry shortly');
      const badText = findBadText(raw);
      if (badText) return this.sendError(client, type, 'BAD_INPUT', `invalid ${type} payload: ${badText.field} ${badText.message}`, [badText]);
      const parsed = messageSchemas[type].safeParse(raw);
      if (!parsed.success) return this.sendError(client, type, 'BAD_INPUT', `invalid ${type} payload`, issuesToDetails(parsed.error));
      if (this.departing) return this.sendError(client, type, 'MOVING', 'the session is moving to another process; this input was not applied: send it again after `resumed`');
      const seq = (parsed.data as { seq?: number } | undefined)?.seq;
      if (seq !== undefined) {
        if (seq <= this.appliedSeq) return reply(client, 'duplicate', { for: type, seq, appliedSeq: this.appliedSeq });
        this.appliedSeq = seq;
      }
      try {
        this.handlers ??= createInputHandlers(this, services);
        const done = (this.handlers[type] as (client: Client, msg: MessageOf<T>) => void | Promise<void>)(client, parsed.data as MessageOf<T>);
        if (settings.patchOnInput) this.flushPatch(); // the input's effect goes out now, not at the next patch step
        await done;
      } catch (err) {
        const known = toClientError(err, services.databaseUnavailable);
        if (known) return this.sendError(client, type, known.code, known.message, known.details);
        this.log.error({ err, type }, 'message handler failed');
        this.sendError(client, type, 'INTERNAL', 'the server could not process this message; it was logged');
      }
    }

    /**
     * One shared-ticker step: the simulation, then the patch every `stepsPerPatch` steps. After a patch
     * step the room sleeps when nothing moves, or is skipped until its glide settles or its zoom ends
     * (nothing moving is streamed, so the steps between would do nothing); an input wakes it at once.
     */
    step(): void {
      this.clock.tick();
      this.tick();
      if (++this.stepsSincePatch >= this.stepsPerPatch) {
        this.stepsSincePatch = 0;
        this.flushPatch();
        if (settings.jsonBaseline) this.broadcastJsonBaseline();
        else if (hasPendingChanges(this.state)) return;
        else if (this.sim.idle) this.sleep();
        else this.deferToNextEvent();
      }
    }

    private deferToNextEvent(): void {
      const at = this.sim.nextEventAt();
      if (at !== null) services.ticker.deferFor(this, at - services.now());
    }

    /**
     * Steps this room from the shared ticker until nothing moves: called by anything that may change
     * the state outside a step (inputs, async completions). An idle session costs no step at all.
     */
    wake(): void {
      const remove = services.ticker.add(this); // registered already (maybe deferred): due at once
      this.untick ??= remove;
    }

    private sleep(): void {
      this.untick?.();
      this.untick = undefined;
    }

    /** Sends the pending changes, if any; skipping is safe: this room never queues `afterNextPatch` frames. */
    flushPatch(): void {
      if (hasPendingChanges(this.state)) this.broadcastPatch();
    }

    /** The naive alternative the binary patches are measured against: the full state, as JSON, every patch step. */
    private broadcastJsonBaseline(): void {
      const json = JSON.stringify(this.state.toJSON());
      broadcastReply(this, 'state_json', json);
      services.observeBaselineBytes?.(Buffer.byteLength(json));
    }

    private tick(): void {
      const outcome = this.sim.tick(services.now());
      if (outcome.lockedAt !== undefined) this.inBackground(this.lockOn(outcome.lockedAt, 'swipe'), 'lockOn');
      if (outcome.zoomFinished) this.inBackground(arriveViaOrb(this, services, outcome.zoomFinished).finally(() => this.snapshots.soon()), 'arriveViaOrb');
    }

    /** Work a tick started (it may read the database): a failure is reported like any room fault, never left unhandled. */
    private inBackground(work: Promise<unknown>, what: string): void {
      // Tracked like session endings: shutdown waits for a lock or an arrival in flight before the writer drains.
      void services.pendingWork.track(work.catch((err: Error) => this.fault(err, what)));
    }

    /** The dial locked on a station (a swipe settled, or a tune): stationArrivals.ts. */
    lockOn(frequency: number, method: 'swipe' | 'tune', client?: Client): Promise<void> {
      return lockOn(this, services, frequency, method, client).finally(() => this.snapshots.soon());
    }

    /** StationHost: counters reach the session's row after `countersSaveMs` of activity. */
    countersWhileOpen(): Promise<void> {
      return this.counterSaves.whileOpen();
    }

    /** An open session's counters reach its row every `countersSaveMs` of activity (ops and DIA read them), not only at its end. */
    private readonly counterSaves = new CounterSaves((ended) => this.saveCounters(ended), settings.countersSaveMs, services.now);

    /** StationHost, CaptureHost: new badges into the state, and a `badge` reply each. */
    announce(badges: readonly Badge[]): void {
      if (badges.length > 0) {
        this.wake();
        this.snapshots.soon();
      }
      for (const badge of badges) {
        if (!this.state.badges.includes(badge)) this.state.badges.push(badge);
        this.clients.forEach((c) => reply(c, 'badge', { badge }));
      }
    }

    /** CaptureHost: the artist on screen. */
    onScreen(): { artistId: string; frequency: number } {
      return { artistId: this.state.station.artistId, frequency: this.state.station.frequency };
    }

    /** JourneyHost: the user's star artist ids (the capture flow's list). */
    starIds(): Promise<ReadonlySet<string>> {
      return this.capture.starIds();
    }

    /** JourneyHost: a message to the session's client, if connected. */
    sendToClient<T extends ReplyType>(type: T, payload: ReplyPayload<T>): void {
      reply(this.clients[0], type, payload);
    }

    /** CaptureHost: artists visited this session, oldest first. */
    discoveryPath(): string[] {
      return [...this.visitedPath];
    }

    /** CaptureHost: a star was stored. */
    captured(totalStars: number, events: RoomEvent[], badges: readonly Badge[]): void {
      this.wake();
      this.counters.capture();
      this.state.totalStars = totalStars;
      this.state.interactions = this.counters.interactions;
      this.record(events);
      this.announce(badges);
      this.snapshots.soon();
      // Seed step 7.9 → 12: recomputed off the tick by a bounded queue, pushed when ready.
      services.discovery.requestRecommendations(this.identity.userId, this.roomId, (list) => reply(this.clients[0], 'recommendations', list));
    }

    /**
     * Events a client's input caused: accepted before the input takes effect, or the input is
     * rejected with BACKPRESSURE and nothing changes (the client may retry).
     */
    acceptOrReject(events: RoomEvent[]): void {
      services.passport.record(this.identity, events); // BACKPRESSURE reaches the client through toClientError
    }

    /** InputHost: what an input already did (an offline replay) is recorded like the simulation's events. */
    acceptOrRecord(events: RoomEvent[]): void {
      this.record(events);
    }

    /** Events the simulation caused (locks, arrivals): no client to push back on, so a rejection is logged and counted by the writer. */
    record(events: RoomEvent[]): void {
      try {
        services.passport.record(this.identity, events, { followUp: true });
      } catch (err) {
        this.log.warn({ err: (err as Error).message, types: events.map((e) => e.type) }, 'passport event not accepted');
      }
    }

    sendError(client: Client, forType: string, code: SessionErrorCode, message: string, details?: ErrorMessage['details']): void {
      const payload: ErrorMessage = { code, message, for: forType, ...(details ? { details } : {}) };
      reply(client, 'error', payload);
    }

    /** Rate limit for every inbound message; over the limit, one RATE_LIMITED reply per interval and silence otherwise. */
    private admit(client: Client, forType: string): boolean {
      const admission = this.guard.admit(client);
      if (admission === 'limited') this.sendError(client, forType, 'RATE_LIMITED', `more than ${settings.messageRatePerSec} messages/s; slow down (further messages this second are dropped without reply)`);
      return admission === 'ok';
    }

    private async saveCounters(ended: boolean): Promise<void> {
      try {
        const counters = this.counters.snapshot(this.sim.dialAt(services.now()), this.state.station.artistId || null);
        const written = await services.sessions.saveCounters(this.holder, counters, services.now(), ended);
        if (!written) this.log.info({ ended }, 'counters not saved: the session was resumed in a newer room, which holds it now (or its row is gone)');
      } catch (err) {
        this.log.error({ err }, 'could not save session counters');
      }
    }
  };
}

export type SessionRoomClass = ReturnType<typeof createSessionRoom>;

/** RESUME_BUSY at the WebSocket join (the receiving process paces restores): 4503, the message carrying `retryAfterMs`. */
function busyJoin(err: unknown): never {
  if (err instanceof ResumeError) throw new ServerError(JOIN_UNAVAILABLE, err.message);
  throw err;
}

/** Join options parsed, or what is wrong with them (unstorable text, or a field the schema refuses). */
function checkJoinOptions(rawOptions: unknown): { options: JoinOptions } | { problem: string } {
  const badText = findBadText(rawOptions ?? {});
  if (badText) return { problem: `invalid join options: ${badText.field} ${badText.message}` };
  const parsed = joinOptionsSchema.safeParse(rawOptions ?? {});
  if (parsed.success) return { options: parsed.data };
  return { problem: `invalid join options: ${issuesToDetails(parsed.error).map((d) => `${d.field} ${d.message}`).join('; ')}` };
}
