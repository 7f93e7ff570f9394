/**
 * The session room's actor part, below its Colyseus lifecycle (SessionRoom.ts): the state, the one place an
 * outcome is applied (handlers, flows and the simulation's locks and arrivals all go through `apply`), and
 * the shared ticker's steps and patches. Its ports come from the subclass `createSessionRoom` binds: the room
 * keeps its own group and hands each feature (capture, journey, arrivals, snapshots) its own.
 */
import { Room, type Client } from '@colyseus/core';
import type { Logger } from 'pino';
import { SessionState } from '../../schema/SessionState.js';
import type { SessionHolder } from '../../persistence/session/SessionRepository.js';
import type { Badge } from '../../systems/session/badges.js';
import type { LockMethod } from '../../systems/session/momentum.js';
import { InboundGuard } from '../inboundGuard.js';
import { reportUncaught } from '../uncaught.js';
import { kickClient } from '../ops/opsActions.js';
import { assignRoomAccessors, corked, hasPendingChanges } from '../colyseusInternals.js';
import type { CaptureFlow } from './CaptureFlow.js';
import { CounterSaves } from './counterSaves.js';
import { SessionCountersTracker } from './counters.js';
import { SnapshotWriter } from './handoff.js';
import type { SessionJourney } from './journey.js';
import type { SessionErrorCode } from './messages.js';
import { deliver, type Outcome, type Reply, type SessionView, type Steps } from './outcome.js';
import type { EventIdentity, RoomEvent, RoomPorts, SessionRoomPorts } from './ports.js';
import { applyChange } from './changes.js';
import { MESSAGE_TYPES } from './protocol.js';
import { broadcastReply, reply, type ErrorMessage, type ReplyType } from './replies.js';
import type { SessionSimulation } from './SessionSimulation.js';
import { lockSteps, orbArrivalSteps } from './stationArrivals.js';
import { actOnRide, hostOf, RIDE_WIDE, type Ride } from './ride.js';

/** What one room class is bound to: its ports and what every room of the class shares. */
export interface SessionRoomBinding {
  ports: SessionRoomPorts;
  /** Shared by every room of the class: per-room copies were a few hundred bytes per session. */
  guardOptions: ConstructorParameters<typeof InboundGuard>[0];
}

export function bindSessionRoom(ports: SessionRoomPorts): SessionRoomBinding {
  const { settings, now } = ports.room;
  return { ports, guardOptions: { ratePerSec: settings.messageRatePerSec, noticeIntervalMs: settings.noticeIntervalMs, now } };
}

export class SessionActor extends Room<{ state: SessionState }> implements SessionView {
  /** The ports, from the subclass `createSessionRoom` makes (never room options: those may travel between processes as JSON). */
  protected get binding(): SessionRoomBinding {
    throw new Error('a session room needs its ports: define the class createSessionRoom(ports) returns');
  }
  /** Every feature's ports, for the room to hand each feature its own. */
  protected get ports(): SessionRoomPorts {
    return this.binding.ports;
  }
  /** The room's own ports. */
  protected get deps(): RoomPorts {
    return this.binding.ports.room;
  }

  constructor() {
    super();
    assignRoomAccessors(this, { maxClients: 1, state: new SessionState() });
  }

  /** Colyseus closes a client past this rate: beyond replying RATE_LIMITED, a flood is cut off. */
  override maxMessagesPerSecond = this.deps.settings.disconnectRatePerSec;
  identity!: EventIdentity;
  /** This room's hold on the session row: a later resume of the same session takes it over. */
  protected holder!: SessionHolder;
  log!: Logger;
  sim!: SessionSimulation;
  readonly counters = new SessionCountersTracker();
  readonly visitedPath: string[] = [];
  protected readonly guard = new InboundGuard(this.binding.guardOptions);
  capture!: CaptureFlow;
  /** Resume updates, parallax tip, lock connections, offline reply data (seed 000 steps 4.4, 5.4, 14, 15.4). */
  journey!: SessionJourney;
  private untick?: () => void;
  /** Locks and orb arrivals under way (arriving()). */
  private readonly arrivals = new Set<Promise<unknown>>();
  /** The highest input `seq` applied (restored with the session; inputs at or below it are duplicates). */
  appliedSeq = 0;
  /** A ride open on this session (ride.ts): riders share the room. */
  ride?: Ride;
  /** SnapshotHost: the holder's generation, its resume count. */
  get generation(): number {
    return this.holder.resumeCount;
  }
  protected readonly snapshots = new SnapshotWriter(this, this.ports.snapshots);
  private stepsSincePatch = 0;
  private readonly stepsPerPatch = Math.max(1, Math.round(this.deps.settings.simHz / this.deps.settings.patchHz));
  /** An open session's counters reach its row every `countersSaveMs` of activity (ops and DIA read them), not only at its end. */
  protected readonly counterSaves = new CounterSaves((ended) => this.saveCounters(ended), this.deps.settings.countersSaveMs, this.deps.now);

  /** Ops: an operator closes one client (rooms/ops/opsActions.ts), called through matchMaker.remoteRoomCall. */
  opsKick(sessionId: string): boolean {
    return kickClient(this, sessionId);
  }

  /** The session's own client: the only one, or in a ride the host's. */
  get owner(): Client | undefined {
    return this.clients.length === 1 ? this.clients[0] : hostOf(this.clients);
  }

  /** The ride changed: the snapshot carries it. */
  rideChanged(): void {
    this.snapshots.soon();
  }

  /** The types the one '*' handler serves (metrics count them by name; anything else is "unknown"). */
  get messageTypes(): ReadonlySet<string> {
    return MESSAGE_TYPES;
  }

  /**
   * The one place a session changes: events accepted first (BACKPRESSURE throws before anything changed),
   * then the change (changes.ts), a capture's tallies, follow-up events, badges, a capture's snapshot and
   * recommendations request, replies (to `client`, else the session's client). Returns what continues (a
   * lock, a counter save), for the caller to wait on.
   */
  apply(o: Outcome, client?: Client): Promise<void> | undefined {
    if (o.accept) this.deps.passport.record(this.identity, o.accept); // BACKPRESSURE reaches the client through toClientError
    if (o.change) applyChange(this, o.change, this.deps.settings.maxVisitedPath);
    if (o.captured) this.captured(o.captured.totalStars);
    if (o.record?.length) this.record(o.record);
    if (o.badges) this.announce(o.badges);
    if (o.change || o.captured) this.wake();
    if (o.captured) this.recommendAfterCapture();
    const to = this.ride ? this.owner : (client ?? this.clients[0]);
    if (o.flush) {
      corked(to, () => {
        if (this.deps.settings.patchOnInput) this.flushPatch();
        this.deliverAll(o.replies, to);
      });
    } else this.deliverAll(o.replies, to);
    return this.continuation(o, client);
  }

  /** Replies to `to`; in a ride the dial's go to every member, the session's own to its host, whoever drove. */
  private deliverAll(replies: Reply[] | undefined, to: Client | undefined): void {
    if (!replies) return;
    const everyone = this.ride && { send: (type: string, payload?: unknown) => broadcastReply(this, type as ReplyType, payload as never) };
    for (const r of replies) deliver(everyone && RIDE_WIDE.has(r.type) ? everyone : to, r);
  }

  private continuation(o: Outcome, client?: Client): Promise<void> | undefined {
    if (o.ride) return actOnRide(this, o.ride, this.ports.ride);
    if (o.saveCounters) return this.counterSaves.whileOpen();
    if (o.lock) return this.lockOn(o.lock.frequency, o.lock.method, client);
    return undefined;
  }

  /** Applies a flow's steps in order, each before the flow goes on. */
  protected async run(steps: Steps, client?: Client): Promise<void> {
    for await (const outcome of steps) await this.apply(outcome, client);
  }

  /** The dial locked on a station (a swipe settled, or a tune): stationArrivals.ts. */
  protected lockOn(frequency: number, method: LockMethod, client?: Client): Promise<void> {
    return this.arriving(this.run(lockSteps(this, this.ports.arrivals, frequency, method), client).finally(() => this.snapshots.soon()));
  }

  /**
   * A lock or an orb arrival under way: the dial already shows it locked, the station comes after a read. The
   * drain's last snapshot waits for these, so it holds the station the client was last shown (taken before
   * one finished, it named the old station on a locked dial, and the session came back there).
   */
  private arriving<T>(work: Promise<T>): Promise<T> {
    this.arrivals.add(work);
    const done = () => void this.arrivals.delete(work);
    work.then(done, done);
    return work;
  }

  /** Resolves once no lock or arrival is under way (one may start another: waits for that too). */
  protected async arrivalsSettled(): Promise<void> {
    while (this.arrivals.size > 0) await Promise.allSettled([...this.arrivals]);
  }

  /** A star was stored: its tallies and the state's star count. */
  private captured(totalStars: number): void {
    this.counters.capture();
    this.state.totalStars = totalStars;
    this.state.interactions = this.counters.interactions;
  }

  /** Seed step 7.9 → 12: recomputed off the tick by a bounded queue, pushed when ready. */
  private recommendAfterCapture(): void {
    this.snapshots.soon();
    this.deps.discovery.requestRecommendations(this.identity.userId, this.roomId, (list) => reply(this.owner, 'recommendations', list));
  }

  /** New badges into the state, and a `badge` reply each. */
  private announce(badges: readonly Badge[]): void {
    if (badges.length > 0) {
      this.wake();
      this.snapshots.soon();
    }
    for (const badge of badges) {
      if (!this.state.badges.includes(badge)) this.state.badges.push(badge);
      reply(this.owner, 'badge', { badge });
    }
  }

  /** Events the server caused (locks, arrivals, replays): no client to push back on, so a rejection is logged and counted by the writer. */
  protected record(events: RoomEvent[]): void {
    try {
      this.deps.passport.record(this.identity, events, { followUp: true });
    } catch (err) {
      this.log.warn({ err: (err as Error).message, types: events.map((e) => e.type) }, 'passport event not accepted');
    }
  }

  /**
   * One shared-ticker step: the simulation, then the patch every `stepsPerPatch` steps. After a patch
   * step the room sleeps when nothing moves, or is skipped until its glide settles or its zoom ends
   * (nothing moving is streamed, so the steps between would do nothing); an input wakes it at once.
   */
  step(): void {
    this.clock.tick();
    // A lock or an orb arrival flushes the patch itself, corked with its `locked` reply (one write, one patch
    // frame): the dial's change waits for it. The next step is a patch step: it sends the change if the flow
    // stopped before its flush (or has not reached it yet), else finds nothing to send and lets the room sleep.
    if (this.tick()) {
      this.stepsSincePatch = this.stepsPerPatch - 1;
      return;
    }
    if (++this.stepsSincePatch >= this.stepsPerPatch) {
      this.stepsSincePatch = 0;
      this.flushPatch();
      if (this.deps.settings.jsonBaseline) this.broadcastJsonBaseline();
      else if (hasPendingChanges(this.state)) return;
      else if (this.sim.idle) this.sleep();
      else this.deferToNextEvent();
    }
  }

  /** One simulation step; true when it started a lock or an orb arrival. */
  private tick(): boolean {
    const outcome = this.sim.tick(this.deps.now());
    if (outcome.lockedAt !== undefined) this.inBackground(this.lockOn(outcome.lockedAt, 'swipe'), 'lockOn');
    if (outcome.zoomFinished)
      this.inBackground(
        this.arriving(this.run(orbArrivalSteps(this, this.ports.arrivals, outcome.zoomFinished)).finally(() => this.snapshots.soon())),
        'arriveViaOrb',
      );
    return outcome.lockedAt !== undefined || outcome.zoomFinished !== undefined;
  }

  /** Work a tick started (it may read the database): a failure is reported like any room fault, never left unhandled. */
  protected inBackground(work: Promise<unknown>, what: string): void {
    // Tracked like session endings: shutdown waits for a lock or an arrival in flight before the writer drains.
    void this.deps.pendingWork.track(work.catch((err: Error) => this.fault(err, what)));
  }

  private deferToNextEvent(): void {
    const at = this.sim.nextEventAt();
    if (at !== null) this.deps.ticker.deferFor(this, at - this.deps.now());
  }

  /**
   * Steps this room from the shared ticker until nothing moves: called by anything that may change
   * the state outside a step (inputs, async completions). An idle session costs no step at all.
   */
  wake(): void {
    const remove = this.deps.ticker.add(this); // registered already (maybe deferred): due at once
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
    this.deps.observeBaselineBytes?.(Buffer.byteLength(json));
  }

  /**
   * Any exception a handler or hook lets escape: logged (throttled per client), answered INTERNAL for a
   * message, never fatal. The hooks call it themselves: a room defining Colyseus's `onUncaughtException`
   * gets every hook, timer and handler wrapped in bound closures of its own, ~18 functions per session.
   */
  protected fault(err: unknown, methodName: string, message?: { client: Client; type: unknown }): void {
    reportUncaught(
      { log: this.log ?? this.deps.log, guard: this.guard, replyError: (client, forType, code, text) => this.sendError(client, forType, code, text) },
      err as Error,
      methodName,
      message,
    );
  }

  sendError(client: Client, forType: string, code: SessionErrorCode, message: string, details?: ErrorMessage['details']): void {
    const payload: ErrorMessage = { code, message, for: forType, ...(details ? { details } : {}) };
    reply(client, 'error', payload);
  }

  /** Rate limit for every inbound message; over the limit, one RATE_LIMITED reply per interval and silence otherwise. */
  protected admit(client: Client, forType: string): boolean {
    const admission = this.guard.admit(client);
    if (admission === 'limited')
      this.sendError(
        client,
        forType,
        'RATE_LIMITED',
        `more than ${this.deps.settings.messageRatePerSec} messages/s; slow down (further messages this second are dropped without reply)`,
      );
    return admission === 'ok';
  }

  protected async saveCounters(ended: boolean): Promise<void> {
    try {
      const counters = this.counters.snapshot(this.sim.dialAt(this.deps.now()), this.state.station.artistId || null);
      const written = await this.deps.sessions.saveCounters(this.holder, counters, this.deps.now(), ended);
      if (!written) this.log.info({ ended }, 'counters not saved: the session was resumed in a newer room, which holds it now (or its row is gone)');
    } catch (err) {
      this.log.error({ err }, 'could not save session counters');
    }
  }

  /** Stops the shared ticker stepping this room (disposal). */
  protected stopTicking(): void {
    this.untick?.();
  }
}
