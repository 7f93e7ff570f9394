/**
 * The session room below its Colyseus lifecycle: the state, the one place an outcome is applied (`apply`), and the
 * shared ticker's steps and patches. Each feature (capture, journey, arrivals, snapshots) gets its own ports.
 */
import { Room, type Client } from '@colyseus/core';
import type { Logger } from 'pino';
import { SessionState } from '../../schema/SessionState.js';
import type { SessionHolder } from '../../persistence/session/SessionRepository.js';
import type { Badge } from '../../systems/session/badges.js';
import type { LockMethod } from '../../systems/session/momentum.js';
import { InboundGuard, reportUncaught } from '../inboundGuard.js';
import { PendingWork } from '../PendingWork.js';
import { assignRoomAccessors, corked, hasPendingChanges, kickClient } from '../colyseusInternals.js';
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
import { actOnRide, hostOf, RIDE_WIDE, ridePatched, type Ride } from './ride.js';

export interface SessionRoomBinding {
  ports: SessionRoomPorts;
  /** Shared by every room of the class, not copied per session. */
  guardOptions: ConstructorParameters<typeof InboundGuard>[0];
  rateLimited: string;
}

export function bindSessionRoom(ports: SessionRoomPorts): SessionRoomBinding {
  const { settings, now } = ports.room;
  const rateLimited = `more than ${settings.messageRatePerSec} messages/s; slow down (further messages this second are dropped without reply)`;
  return { ports, guardOptions: { ratePerSec: settings.messageRatePerSec, noticeIntervalMs: settings.noticeIntervalMs, now }, rateLimited };
}

export class SessionActor extends Room<{ state: SessionState }> implements SessionView {
  protected get binding(): SessionRoomBinding {
    throw new Error('a session room needs its ports: define the class createSessionRoom(ports) returns');
  }
  protected get ports(): SessionRoomPorts {
    return this.binding.ports;
  }
  protected get deps(): RoomPorts {
    return this.binding.ports.room;
  }

  constructor() {
    super();
    assignRoomAccessors(this, { maxClients: 1, state: new SessionState() });
  }

  /** Beyond replying RATE_LIMITED, a flood is cut off. */
  override maxMessagesPerSecond = this.deps.settings.disconnectRatePerSec;
  identity!: EventIdentity;
  /** A later resume of the same session takes it over. */
  protected holder!: SessionHolder;
  log!: Logger;
  sim!: SessionSimulation;
  readonly counters = new SessionCountersTracker();
  readonly visitedPath: string[] = [];
  protected readonly guard = new InboundGuard(this.binding.guardOptions);
  capture!: CaptureFlow;
  journey!: SessionJourney;
  private untick?: () => void;
  protected readonly arrivals = new PendingWork();
  /** Restored with the session; inputs at or below it are duplicates. */
  appliedSeq = 0;
  ride?: Ride;
  /** SnapshotHost: the holder's resume count. */
  get generation(): number {
    return this.holder.resumeCount;
  }
  protected readonly snapshots = new SnapshotWriter(this, this.ports.snapshots);
  private stepsSincePatch = 0;
  private readonly stepsPerPatch = Math.max(1, Math.round(this.deps.settings.simHz / this.deps.settings.patchHz));
  /** Every `countersSaveMs` of activity (ops and DIA read them), not only at the end. */
  protected readonly counterSaves = new CounterSaves((ended) => this.saveCounters(ended), this.deps.settings.countersSaveMs, this.deps.now);

  /** Called through matchMaker.remoteRoomCall. */
  opsKick(sessionId: string): boolean {
    return kickClient(this, sessionId);
  }

  /** The only one, or in a ride the host's. */
  get owner(): Client | undefined {
    return this.clients.length === 1 ? this.clients[0] : hostOf(this.clients);
  }

  /** The snapshot carries it. */
  rideChanged(): void {
    this.snapshots.soon();
  }

  /** Metrics count them by name; anything else is "unknown". */
  get messageTypes(): ReadonlySet<string> {
    return MESSAGE_TYPES;
  }

  /**
   * Events accepted first (BACKPRESSURE throws before anything changed), then the change (changes.ts), a capture's
   * tallies, follow-up events, badges, snapshot and recommendations, replies. Returns what continues, to wait on.
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

  /** In a ride the dial's replies go to every member, the session's own to its host, whoever drove. */
  private deliverAll(replies: Reply[] | undefined, to: Client | undefined): void {
    if (!replies) return;
    const everyone = this.ride && { send: (type: string, payload?: unknown) => broadcastReply(this, type as ReplyType, payload as never) };
    for (const r of replies) deliver(everyone && RIDE_WIDE.has(r.type) ? everyone : to, r);
  }

  private continuation(o: Outcome, client?: Client): Promise<void> | undefined {
    if (o.ride) return actOnRide(this, o.ride, this.ports.ride);
    // Not waited on: the lock's snapshot must not wait out the counter batch (CounterSaves keeps the saves in order).
    if (o.saveCounters) return void this.inBackground(this.counterSaves.whileOpen(), 'saveCounters');
    if (o.lock) return this.lockOn(o.lock.frequency, o.lock.method, client);
    return undefined;
  }

  protected async run(steps: Steps, client?: Client): Promise<void> {
    for await (const outcome of steps) await this.apply(outcome, client);
  }

  /** A swipe settled, or a tune: stationArrivals.ts. */
  protected lockOn(frequency: number, method: LockMethod, client?: Client): Promise<void> {
    return this.arriving(lockSteps(this, this.ports.arrivals, frequency, method), client);
  }

  /**
   * The dial already shows the lock; the station comes after a read. The drain's last snapshot waits for these, so it
   * names the station the client was last shown, not the old one.
   */
  private arriving(steps: Steps, client?: Client): Promise<void> {
    return this.arrivals.track(this.run(steps, client).finally(() => this.snapshots.soon()));
  }

  private captured(totalStars: number): void {
    this.counters.captures++;
    this.counters.interactions++;
    this.state.totalStars = totalStars;
    this.state.interactions = this.counters.interactions;
  }

  /** Recomputed off the tick by a bounded queue, pushed when ready. */
  private recommendAfterCapture(): void {
    this.snapshots.soon();
    this.deps.discovery.requestRecommendations(this.identity.userId, this.roomId, (list) => reply(this.owner, 'recommendations', list));
  }

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

  /** No client to push back on: a rejection is logged and counted by the writer. */
  protected record(events: RoomEvent[]): void {
    try {
      this.deps.passport.record(this.identity, events, { followUp: true });
    } catch (err) {
      this.log.warn({ err: (err as Error).message, types: events.map((e) => e.type) }, 'passport event not accepted');
    }
  }

  /**
   * The simulation, then the patch every `stepsPerPatch` steps. After a patch step the room sleeps when nothing moves,
   * or is skipped until its glide settles or zoom ends (nothing moving is streamed); an input wakes it at once.
   */
  step(): void {
    this.clock.tick();
    // A lock or arrival flushes the patch itself, corked with its `locked` reply (one write): the next patch step sends
    // the change only if the flow stopped before its flush, else finds nothing and lets the room sleep.
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

  /** True when it started a lock or an orb arrival. */
  private tick(): boolean {
    const outcome = this.sim.tick(this.deps.now());
    if (outcome.lockedAt !== undefined) this.inBackground(this.lockOn(outcome.lockedAt, 'swipe'), 'lockOn');
    if (outcome.zoomFinished) this.inBackground(this.arriving(orbArrivalSteps(this, this.ports.arrivals, outcome.zoomFinished)), 'arriveViaOrb');
    return outcome.lockedAt !== undefined || outcome.zoomFinished !== undefined;
  }

  /** It may read the database: a failure is reported like any room fault, never left unhandled. */
  protected inBackground(work: Promise<unknown>, what: string): void {
    // Tracked like session endings: shutdown waits for a lock or an arrival in flight before the writer drains.
    void this.deps.pendingWork.track(work.catch((err: Error) => this.fault(err, what)));
  }

  private deferToNextEvent(): void {
    const at = this.sim.nextEventAt();
    if (at !== null) this.deps.ticker.deferFor(this, at - this.deps.now());
  }

  /** Called by anything that may change the state outside a step (inputs, async completions): an idle session costs no step. */
  wake(): void {
    const remove = this.deps.ticker.add(this); // registered already (maybe deferred): due at once
    this.untick ??= remove;
  }

  protected sleep(): void {
    this.untick?.();
    this.untick = undefined;
  }

  flushPatch(): void {
    if (!hasPendingChanges(this.state)) return;
    this.broadcastPatch();
    if (this.ride) ridePatched(this.ride);
  }

  /** What the binary patches are measured against: the full state as JSON every patch step. */
  private broadcastJsonBaseline(): void {
    const json = JSON.stringify(this.state.toJSON());
    broadcastReply(this, 'state_json', json);
    this.deps.observeBaselineBytes?.(Buffer.byteLength(json));
  }

  /**
   * Logged (throttled per client), answered INTERNAL for a message, never fatal. The hooks call it themselves: a room
   * defining `onUncaughtException` gets every hook, timer and handler wrapped in closures, ~18 functions per session.
   */
  protected fault(err: unknown, methodName: string, message?: { client: Client; type: unknown }): void {
    const replyError = (client: Client, forType: string, code: 'INTERNAL', text: string) => this.sendError(client, forType, code, text);
    reportUncaught({ log: this.log ?? this.deps.log, guard: this.guard, replyError }, err as Error, methodName, message);
  }

  sendError(client: Client, forType: string, code: SessionErrorCode, message: string, details?: ErrorMessage['details']): void {
    reply(client, 'error', { code, message, for: forType, ...(details ? { details } : {}) });
  }

  /** Over the limit: one RATE_LIMITED reply per interval, silence otherwise. */
  protected admit(client: Client, forType: string): boolean {
    const admission = this.guard.admit(client);
    if (admission === 'limited') this.sendError(client, forType, 'RATE_LIMITED', this.binding.rateLimited);
    return admission === 'ok';
  }

  protected async saveCounters(ended: boolean): Promise<void> {
    try {
      const written = await this.deps.sessions.saveCounters(this.holder, this.countersNow(), this.deps.now(), ended);
      if (!written) this.log.info({ ended }, 'counters not saved: the session was resumed in a newer room, which holds it now (or its row is gone)');
    } catch (err) {
      this.log.error({ err }, 'could not save session counters');
    }
  }

  protected countersNow() {
    return this.counters.snapshot(this.sim.dialAt(this.deps.now()), this.state.station.artistId || null);
  }
}
