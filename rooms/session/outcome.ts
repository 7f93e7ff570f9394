/**
 * What a session handler returns instead of calling back into its room: plain data (the state change, a
 * capture's tallies, events, badges, replies) that the room applies in one place (SessionActor.apply), in one
 * order — events accepted first (or BACKPRESSURE and nothing changes), the change (changes.ts), the
 * tallies, follow-up events, badges, replies, the snapshot. A flow that waits between its steps (a lock, an
 * orb arrival, a sensor batch's tip, an offline replay's new data) yields one outcome per step.
 */
import type { Logger } from 'pino';
import type { SessionState } from '../../schema/SessionState.js';
import type { Badge } from '../../systems/session/badges.js';
import type { LockMethod } from '../../systems/session/momentum.js';
import type { Change } from './changes.js';
import type { CaptureFlow } from './CaptureFlow.js';
import type { SessionCountersTracker } from './counters.js';
import type { SessionJourney } from './journey.js';
import type { EventIdentity, RoomEvent } from './ports.js';
import { reply, type ReplyPayload, type ReplyType } from './replies.js';
import type { ReplySink } from '../reply.js';
import { sendEncodedOnce } from '../colyseusInternals.js';
import type { SessionSimulation } from './SessionSimulation.js';
import type { RideAction } from './ride.js';

/**
 * One message to the client, checked against its reply schema at compile time. `shared`: the payload is an
 * object sent as is again and again (a cached journal), never changed: its frame is encoded once and reused.
 */
export type Reply = { [T in ReplyType]: { type: T; payload: ReplyPayload<T>; shared?: true } }[ReplyType];

/** A reply of an outcome (registryCoverage reads the type names of `send('…'` calls as the room's sends). */
export const send = <T extends ReplyType>(type: T, payload: ReplyPayload<T>): Reply => ({ type, payload }) as Reply;

/** `r` with a payload that is sent as is many times and never changed (see {@link Reply}). */
export const shared = (r: Reply): Reply => ({ ...r, shared: true });

/** Sends one reply of an outcome (its payload was checked when `send` built it). */
export function deliver(client: ReplySink | undefined, r: Reply): void {
  if (r.shared && typeof r.payload === 'object' && r.payload !== null) sendEncodedOnce(client, r.type, r.payload);
  else reply(client, r.type, r.payload as ReplyPayload<typeof r.type>);
}

export interface Outcome {
  /** Events the input causes: accepted before anything else applies, or BACKPRESSURE and nothing changes. */
  accept?: RoomEvent[];
  /** The state change (simulation, tallies, path: changes.ts), applied once `accept` was accepted. */
  change?: Change;
  /** A star was stored: the capture tallies, the state's star count, a recommendations refresh. */
  captured?: { totalStars: number };
  /** Events recording what already happened (logged, never thrown, when the passport is full). */
  record?: RoomEvent[];
  /** Badges newly awarded: into the state, and a `badge` reply each. */
  badges?: readonly Badge[];
  /** Send the pending patch first (corked with the replies): the state shows the station before `locked` arrives. */
  flush?: boolean;
  replies?: Reply[];
  /** The dial locked on `frequency` (a tune, or another input that locks it): the lock flow follows, then the input is done. */
  lock?: { method: LockMethod; frequency: number };
  /** Save the session's counters when `countersSaveMs` of activity passed (the flow waits for it). */
  saveCounters?: boolean;
  /** A change of the session's ride (ride.ts), or a reaction in it. */
  ride?: RideAction;
}

/** A flow that waits between its steps yields one outcome per step; the room applies each before the next runs. */
export type Steps = AsyncGenerator<Outcome, void, void>;

/** True for a handler's steps (an async generator), false for one outcome or its promise. */
export function isSteps(result: Outcome | Promise<Outcome> | Steps): result is Steps {
  return typeof (result as Partial<Steps>).next === 'function';
}

/** What handlers and flows read of their session (never write: they return the change). */
export interface SessionView {
  readonly identity: EventIdentity;
  readonly sim: SessionSimulation;
  readonly state: SessionState;
  readonly counters: SessionCountersTracker;
  readonly capture: CaptureFlow;
  readonly journey: SessionJourney;
  /** Artists visited this session, oldest first (bounded by `maxVisitedPath`). */
  readonly visitedPath: string[];
  readonly log: Logger;
}
