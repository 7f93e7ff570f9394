import { CloseCode, matchMaker, ServerError, type AuthContext, type Client } from '@colyseus/core';
import { echoableType } from '../inboundGuard.js';
import { findBadText } from '../../systems/text.js';
import { SessionSimulation } from './SessionSimulation.js';
import { showStation } from './stationArrivals.js';
import { issuesToDetails, type JoinOptions } from './messages.js';
import type { SessionRoomPorts } from './ports.js';
import { CaptureFlow } from './CaptureFlow.js';
import { DATABASE_UNAVAILABLE_MESSAGE, toClientError } from '../clientErrors.js';
import { AppError } from '../../systems/errors.js';
import { closedForFlooding, driveWithSharedTicker, shareEncodeBuffers, wildcardType } from '../colyseusInternals.js';
import { tokenProblem } from '../../systems/auth/identity.js';
import { SessionJourney, type ResumeWelcome } from './journey.js';
import { reply } from './replies.js';
import { restoreSnapshot } from './handoff.js';
import type { SessionSnapshot } from '../../systems/handoff/snapshot.js';
import type { JoinedSession } from '../../persistence/session/SessionRepository.js';
import type { ResumeGrant } from '../../features/handoff/SessionHandoff.js';
import { admitLive, enterLive, leaveLive, refuseRevokedReconnection } from './liveness.js';
import { enterInbox, leaveInbox, sendUnread } from './notifications.js';
import { MESSAGE_TYPES, SESSION_MESSAGES, type Handler, type MessageType } from './protocol.js';
import { isSteps, type Outcome } from './outcome.js';
import { applyForRider, endRide, isRider, joinRide, leaveRide, rideMoving, rideReconnected, rideRefusal, restoreRide, riderView, sendRoster } from './ride.js';
import {
  authorizeSeat,
  busyJoin,
  checkJoinOptions,
  CLOSE_MOVING,
  CLOSE_TAKEN_OVER,
  JOIN_FAILED,
  JOIN_INVALID,
  JOIN_UNAUTHORIZED,
  JOIN_UNAVAILABLE,
  type SeatAuth,
} from './join.js';
import { bindSessionRoom, SessionActor, type SessionRoomBinding } from './SessionActor.js';

/** A refused join (a second session in a ride's room) is not held for reconnection. */
const REFUSED = Object.freeze({ refused: true });

/**
 * The `session` room, one per user session: validate, hand the message to its handler (protocol.ts), apply the
 * outcome. Its Colyseus lifecycle lives here: join (fresh or a resume), drop and reconnection, the drain, the end.
 */
export class SessionRoom extends SessionActor {
  /** Handed over in a drain, or resumed in another room. */
  private departing?: 'moving' | 'taken_over';
  /** Colyseus lists the client before onJoin: a drain hands off after this. */
  private opening?: Promise<void>;

  override onCreate(): void {
    this.log = this.deps.log.child({ roomId: this.roomId, room: 'session' });
    driveWithSharedTicker(this); // the shared ticker steps the simulation and sends patches (see step())
    shareEncodeBuffers(this); // one client, no filters: the process's encode buffers, not 8 KB of its own
    // One registration for every type: each is a listener array and two closures per room.
    this.onMessage('*', (client, slot, raw) => {
      const type = wildcardType(slot, raw);
      try {
        if (typeof type === 'string' && MESSAGE_TYPES.has(type))
          return void this.dispatch(client, type as MessageType, raw).catch((err) => this.fault(err, 'onMessage', { client, type }));
        const forType = echoableType(type);
        if (this.admit(client, forType))
          this.sendError(client, forType, 'UNKNOWN_MESSAGE', 'unknown message type; see docs/PROTOCOL.md for the types a session takes');
      } catch (err) {
        this.fault(err, 'onMessage', { client, type });
      }
    });
  }

  /** A server-side failure answers a code, never the driver's text or an address. */
  override async onJoin(client: Client, rawOptions: unknown): Promise<void> {
    try {
      await (this.opening = this.startSession(client, rawOptions));
    } catch (err) {
      if (err instanceof ServerError) throw err;
      if (this.deps.databaseUnavailable(err)) {
        this.log.warn({ err: (err as Error).message }, 'join refused: the database is unavailable');
        throw new ServerError(JOIN_UNAVAILABLE, `DATABASE_UNAVAILABLE: ${DATABASE_UNAVAILABLE_MESSAGE}`);
      }
      this.log.error({ err }, 'join failed');
      throw new ServerError(JOIN_FAILED, 'INTERNAL: the server could not start this session; it was logged. Retry, and report it if it persists');
    }
  }

  private async startSession(client: Client, rawOptions: unknown): Promise<void> {
    // Checked at matchmaking already; again for the typed options and for a seat reserved by other means.
    const checked = checkJoinOptions(rawOptions);
    if ('problem' in checked) throw new ServerError(JOIN_INVALID, checked.problem);
    const caller = client.auth as SeatAuth | undefined;
    // A seat reserved without the matchmaking check names no one.
    if (!caller) throw new ServerError(JOIN_UNAUTHORIZED, tokenProblem('TOKEN_MISSING').message);
    if (checked.options.ride) return joinRide(this, client, checked.options.ride, caller, this.ports.ride);
    // A room opens one session: another join reaches it only by id (a ride's room is joinable), and is refused.
    if (this.identity) client.userData = REFUSED;
    if (this.identity) throw new ServerError(JOIN_INVALID, 'this room holds another session: create a `session` of your own, or join a ride with its invite');
    // Sessions another process gave up arrive in waves (a deploy, a lost host): restored a bounded number at a time.
    const release = caller.resume ? await this.deps.handoff.admission.enter().catch(busyJoin) : undefined;
    try {
      await this.openSession(client, checked.options, caller);
    } finally {
      release?.();
    }
  }

  /** The row joined (or resumed), the room claimed for it, then the state shown and the client greeted. */
  private async openSession(client: Client, options: JoinOptions, caller: SeatAuth): Promise<void> {
    const { deps } = this;
    const { resume: _credential, ...joinOptions } = options;
    const wanted = caller.resume?.claim.sessionId;
    await admitLive(this, this.ports.liveness, caller); // the user's live rooms are bounded before the join touches a session (liveness.ts)
    const joined = await deps.sessions
      .join(
        {
          ...joinOptions,
          ...(wanted ? { lastSessionId: wanted, resumeGeneration: caller.resume!.claim.generation } : {}),
          userId: caller.userId,
          deviceId: caller.deviceId,
        },
        deps.now(),
      )
      .catch((err) => {
        if (err instanceof AppError && err.code === 'RESUME_STALE') throw new ServerError(CLOSE_TAKEN_OVER, err.message);
        throw err instanceof AppError && err.code === 'UNKNOWN_USER' ? new ServerError(JOIN_UNAUTHORIZED, err.message) : err;
      });
    // A resume restores only the session its credential names, and only if the row could still resume it.
    const grant = caller.resume && joined.resumed && joined.sessionId === wanted ? caller.resume : undefined;
    const snapshot = grant?.snapshot ?? null;
    // Before the identity is set: a refused join then leaves nothing for onLeave to end.
    await enterLive(this, this.ports.liveness, { userId: joined.userId, sessionId: joined.sessionId, deviceId: caller.deviceId }, caller);
    this.identity = { userId: joined.userId, sessionId: joined.sessionId, deviceId: caller.deviceId };
    this.holder = { sessionId: joined.sessionId, resumeCount: joined.resumeCount };
    // Replaces onCreate's logger rather than nesting under it.
    this.log = deps.log.child({ roomId: this.roomId, room: 'session', sessionId: joined.sessionId, userId: joined.userId });
    const resume = await this.restore(joined, snapshot, grant);
    const { deviceModel = null, appVersion = null } = options;
    const payload = { deviceModel, appVersion, frequency: this.sim.dial.target, resumeCount: resume.resumeCount, updates: resume.updates };
    this.record([{ type: joined.resumed ? 'session.resumed' : 'session.started', entityType: 'session', entityId: joined.sessionId, payload }]);
    await this.greet(client, joined, snapshot, grant, resume);
    enterInbox(this, this.ports.notifications, joined.userId); // new entries live from now on, and the unread ones after the greeting
  }

  /** From the snapshot, the row, or fresh; and what the welcome says of the time away. */
  private async restore(joined: JoinedSession, snapshot: SessionSnapshot | null, grant: ResumeGrant | undefined) {
    const { deps, ports } = this;
    const saved = snapshot?.counters ?? (joined.resumed ? await deps.sessions.countersOf(joined.sessionId) : null);
    if (saved) this.counters.restore(saved);
    this.state.interactions = this.counters.interactions;
    this.state.orbsExplored = this.counters.orbsExplored;
    this.journey = new SessionJourney({ identity: this.identity, log: this.log, starIds: () => this.capture.starIds() }, ports.journey);
    this.journey.joined(joined, saved);
    const stations = await deps.stations.stationFrequencies();
    this.sim = new SessionSimulation(this.state, stations, snapshot?.dial.target ?? joined.frequency, deps.now());
    const station = await this.stationToRestore(snapshot);
    if (station) this.apply(showStation(this, ports.arrivals, station, 'join'));
    if (snapshot) restoreSnapshot(this, snapshot);
    if (snapshot?.ride) await restoreRide(this, snapshot.ride, ports.ride);
    // Back from a move or a crash after seconds: no "while you were away" reads.
    const welcomeReads = grant ? Promise.resolve({ resumeCount: joined.resumeCount, updates: null }) : this.journey.resumeWelcome(joined);
    const [{ stars, badges }, resume] = await Promise.all([deps.constellations.starsAndBadgesOf(joined.userId), welcomeReads]);
    this.state.totalStars = stars.length;
    for (const badge of badges) this.state.badges.push(badge);
    this.capture = new CaptureFlow(this, ports.capture, stars);
    this.wake();
    // A glide under way in the snapshot ends here: its lock (`locked`, the visit) happens once.
    if (snapshot && !snapshot.dial.locked) this.inBackground(this.lockOn(snapshot.dial.target, 'swipe'), 'lockOn');
    return resume;
  }

  /** `welcome` for a fresh join, `resumed` for a restore (and the older room, if any, told to let go). */
  private async greet(
    client: Client,
    joined: JoinedSession,
    snapshot: SessionSnapshot | null,
    grant: ResumeGrant | undefined,
    resume: Pick<ResumeWelcome, 'resumeCount' | 'updates'>,
  ): Promise<void> {
    const lastStation = { artistId: this.state.station.artistId, artistName: this.state.station.artistName, frequency: this.state.station.frequency };
    const { sessionId, userId } = joined;
    const both = { resume: await this.credential(), sessionId, userId, frequency: this.sim.dial.target, serverTime: this.deps.now() };
    // The new holder claims the session at once: a credential issued before this resume is stale from now on.
    this.snapshots.soon();
    if (grant) {
      reply(client, 'resumed', {
        ...both,
        appliedSeq: snapshot ? snapshot.appliedSeq : null,
        restoredFrom: snapshot ? (snapshot.reason === 'handoff' ? 'handoff' : 'snapshot') : 'durable',
        station: lastStation,
        totalStars: this.state.totalStars,
        badges: [...this.state.badges],
        resumeCount: joined.resumeCount,
      });
      if (snapshot?.reason === 'live' && snapshot.roomId !== this.roomId) this.takeOverFrom(snapshot.roomId);
      if (snapshot?.reason === 'handoff') this.deps.handoff.pacer.arrived(snapshot.roomId); // the draining process may move its next session
    } else {
      const { isFirstLaunch, resumed, message } = joined;
      reply(client, 'welcome', { ...(resume as ResumeWelcome), ...both, isFirstLaunch, resumed, message, lastStation });
    }
    sendRoster(this, client, this.ports.ride.settings);
    this.log.info(
      { resumed: joined.resumed, firstLaunch: joined.isFirstLaunch, restored: grant ? (snapshot?.reason ?? 'durable') : undefined },
      'session joined',
    );
  }

  /** Where a glide was heading (the old room may have locked and told the client after its last snapshot); else the station on screen. */
  private async stationToRestore(snapshot: SessionSnapshot | null) {
    const onDial = await this.deps.stations.stationAt(this.sim.dial.target);
    if (!snapshot?.station.artistId || !snapshot.dial.locked || onDial?.artist.id === snapshot.station.artistId) return onDial;
    return (await this.deps.stations.stationForArtist(snapshot.station.artistId, snapshot.station.frequency)) ?? onDial;
  }

  private credential(): Promise<string> {
    return this.deps.handoff.credentials.issue({ ...this.identity, generation: this.holder.resumeCount }, this.deps.now());
  }

  /** A live room may still hold the session (two tabs, a process cut off rather than dead): it closes its client so two rooms never serve one session. */
  private takeOverFrom(roomId: string): void {
    void matchMaker.remoteRoomCall(roomId, 'yieldSession', [this.identity.sessionId]).catch(() => undefined);
  }

  /** Its client is told the session moved elsewhere. */
  yieldSession(sessionId: string): boolean {
    if (!this.identity || this.identity.sessionId !== sessionId || this.departing) return false;
    this.departing = 'taken_over';
    this.log.info('session resumed in another room; closing this one');
    this.owner?.leave(CLOSE_TAKEN_OVER, 'SESSION_TAKEN_OVER: this session was resumed elsewhere');
    return true;
  }

  /**
   * On shutdown the session is handed over, not ended: inputs stop, work in flight settles, counters and snapshot are
   * saved, the client gets `moving` and close 4100; its next join lands on another process that restores it.
   */
  override onBeforeShutdown(): void {
    void this.handOff().catch((err) => {
      this.fault(err, 'onBeforeShutdown');
      void this.disconnect(CloseCode.SERVER_SHUTDOWN).catch(() => undefined);
    });
  }

  private async handOff(): Promise<void> {
    await this.opening?.catch(() => undefined);
    // Live here until its turn: sessions are taken over a few at a time.
    const turn = this.leavable() ? await this.deps.handoff.departure() : undefined;
    if (!turn || !this.leavable()) {
      turn?.cancel();
      return void (await this.disconnect(CloseCode.SERVER_SHUTDOWN));
    }
    this.departing = 'moving';
    try {
      await this.capture.settled();
      await this.arrivals.drained();
      await this.saveCounters(false);
      const credential = await this.credential();
      // A glide the ticker locks meanwhile starts a lock: the snapshot waits for it too.
      await this.snapshots.last(true, () => this.arrivals.drained());
      // The client's last state is the snapshot's: a lock or arrival of the last tick reaches it before `moving`.
      this.flushPatch();
      reply(this.owner, 'moving', { reason: 'draining', resume: credential, appliedSeq: this.appliedSeq, retryAfterMs: turn.retryAfterMs });
      await rideMoving(this, turn.retryAfterMs, this.ports.ride);
      turn.moved(this.roomId);
    } catch (err) {
      turn.cancel();
      throw err;
    }
    this.log.debug({ appliedSeq: this.appliedSeq }, 'session handed off');
    await this.disconnect(CLOSE_MOVING);
  }

  private leavable(): boolean {
    return !!this.identity && this.clients.length > 0 && !this.departing;
  }

  override async onDrop(client: Client, code?: number): Promise<void> {
    // The session lives on elsewhere: nothing holds a seat for it here.
    if (this.departing) return;
    // A refused or ended rider, or a refused second session: nothing to come back to.
    if (isRider(client) ? this.ride?.riderOf(client)?.seat !== client.sessionId : client.userData === REFUSED) return;
    // A client past CLIENT_DISCONNECT_RATE gets no seat; the same code 4002 also closes the old socket of a client
    // reconnecting over a new one, which must keep its seat.
    if (code === CloseCode.WITH_ERROR && closedForFlooding(client, this.maxMessagesPerSecond))
      return this.log.info({ code }, 'client closed for flooding; not held for reconnection');
    this.log.info({ code }, 'client dropped; holding the session for reconnection');
    // The window passing rejects: not a fault; the session ends in onLeave.
    await this.allowReconnection(client, this.deps.settings.reconnectWindowSec).catch(() => this.log.info('reconnection window passed; the session ends'));
  }

  override async onReconnect(client: Client): Promise<void> {
    await refuseRevokedReconnection(this, this.ports.liveness, client); // a device revoked since the join does not come back
    this.log.info('client reconnected');
    await rideReconnected(this, client, this.ports.ride);
    if (this.ride?.riderOf(client)) return;
    void sendUnread(this, this.ports.notifications, this.identity.userId, client); // entries made while it was away reached no one
  }

  override async onLeave(client: Client): Promise<void> {
    this.guard.forget(client);
    if (isRider(client) || client.userData === REFUSED) {
      if (!this.departing) leaveRide(this, client, this.ports.ride);
      return;
    }
    leaveLive(this); // the room and its session stop counting for the user and device (also after a failed join)
    leaveInbox(this);
    // Handed over: saved, and the session goes on elsewhere (no session.ended).
    if (!this.identity || this.departing) return;
    if (this.ride) await endRide(this, 'host_left', this.ports.ride);
    // Reported, then passed on to Colyseus as its own guard would (the seat is released either way).
    await this.deps.pendingWork.track(this.endSession()).catch((err) => {
      this.fault(err, 'onLeave');
      throw err;
    });
  }

  private async endSession(): Promise<void> {
    await this.counterSaves.end();
    await this.deps.handoff.snapshots
      .delete(this.identity.sessionId)
      .catch((err: Error) => this.log.warn({ err: err.message }, 'snapshot of an ended session not deleted; it expires with its TTL'));
    this.record([{ type: 'session.ended', entityType: 'session', entityId: this.identity.sessionId, payload: { ...this.countersNow() } }]);
  }

  override onDispose(): void {
    try {
      this.sleep();
      this.log?.debug('session room disposed');
    } catch (err) {
      this.fault(err, 'onDispose');
    }
  }

  private async dispatch(client: Client, type: MessageType, raw: unknown): Promise<void> {
    if (!this.admit(client, type)) return;
    this.wake(); // whatever the input changes goes out with the next patch step at the latest
    if (!this.identity) return this.sendError(client, type, 'BUSY', 'the session is still joining; retry shortly');
    const badText = findBadText(raw);
    if (badText) return this.sendError(client, type, 'BAD_INPUT', `invalid ${type} payload: ${badText.field} ${badText.message}`, [badText]);
    const row = SESSION_MESSAGES[type];
    const parsed = row.input.safeParse(raw);
    if (!parsed.success) return this.sendError(client, type, 'BAD_INPUT', `invalid ${type} payload`, issuesToDetails(parsed.error));
    if (this.departing)
      return this.sendError(client, type, 'MOVING', 'the session is moving to another process; this input was not applied: send it again after `resumed`');
    const rider = this.ride?.riderOf(client);
    if (!rider && isRider(client)) return this.sendError(client, type, 'NO_RIDE', 'the ride ended; rejoin your own session');
    const refused = this.ride && rideRefusal(this.ride, row, rider, this.identity.userId);
    if (refused) return this.sendError(client, type, refused.code, refused.message);
    const seq = (parsed.data as { seq?: number } | undefined)?.seq;
    if (seq !== undefined) {
      const applied = rider ? rider.appliedSeq : this.appliedSeq; // a rider numbers their own inputs
      if (seq <= applied) return reply(client, 'duplicate', { for: type, seq, appliedSeq: applied });
      if (rider) rider.appliedSeq = seq;
      else this.appliedSeq = seq;
    }
    try {
      const port = row.port === undefined ? undefined : this.ports[row.port]; // its feature's port, nothing else
      const own = rider && row.rider === 'own' ? rider : undefined; // a rider acting as themselves (ride.ts)
      const result = (row.handle as Handler<unknown>)(own ? riderView(this, own, this.ports.ride) : this, parsed.data, port);
      const done = own
        ? Promise.resolve(result as Outcome | Promise<Outcome>).then((o) => applyForRider(this, o, own, client, this.ports.ride))
        : isSteps(result)
          ? this.run(result, client)
          : result instanceof Promise
            ? result.then((o) => this.apply(o, client))
            : this.apply(result, client);
      if (this.deps.settings.patchOnInput) this.flushPatch(); // the input's effect goes out now, not at the next patch step
      await done;
    } catch (err) {
      const known = toClientError(err, this.deps.databaseUnavailable);
      if (known) return this.sendError(client, type, known.code, known.message, known.details);
      this.log.error({ err, type }, 'message handler failed');
      this.sendError(client, type, 'INTERNAL', 'the server could not process this message; it was logged');
    }
  }
}

/** Never room options: those may travel between processes as JSON. Every room of the class shares the binding. */
export function createSessionRoom(ports: SessionRoomPorts) {
  const binding = bindSessionRoom(ports);
  return class BoundSessionRoom extends SessionRoom {
    protected override get binding(): SessionRoomBinding {
      return binding;
    }
    /** Static, so Colyseus runs it at matchmaking, before it creates a room or reserves a seat. */
    static override async onAuth(token: string, rawOptions: unknown, _context: AuthContext): Promise<SeatAuth> {
      return authorizeSeat(ports.join, token, rawOptions);
    }
  };
}
