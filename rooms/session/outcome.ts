/**
 * What a handler returns instead of calling back into its room: plain data the room applies in one place and one
 * order: events accepted first (or BACKPRESSURE and nothing changes), the change, tallies, follow-up events, badges,
 * replies, the snapshot. A flow that waits between steps yields one outcome per step.
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

/** Checked at compile time. `shared`: a payload sent as is again and again, never changed: its frame is encoded once. */
export type Reply = { [T in ReplyType]: { type: T; payload: ReplyPayload<T>; shared?: true } }[ReplyType];

/** registryCoverage reads the type names of `send('…'` calls as the room's sends. */
export const send = <T extends ReplyType>(type: T, payload: ReplyPayload<T>): Reply => ({ type, payload }) as Reply;

export const shared = (r: Reply): Reply => ({ ...r, shared: true });

export function deliver(client: ReplySink | undefined, r: Reply): void {
  if (r.shared && typeof r.payload === 'object' && r.payload !== null) sendEncodedOnce(client, r.type, r.payload);
  else reply(client, r.type, r.payload as ReplyPayload<typeof r.type>);
}

export interface Outcome {
  /** Accepted before anything else applies, or BACKPRESSURE and nothing changes. */
  accept?: RoomEvent[];
  change?: Change;
  /** A star was stored: tallies, the star count, a recommendations refresh. */
  captured?: { totalStars: number };
  /** What already happened: logged, never thrown, when the passport is full. */
  record?: RoomEvent[];
  badges?: readonly Badge[];
  /** Corked with the replies: the state shows the station before `locked` arrives. */
  flush?: boolean;
  replies?: Reply[];
  /** The lock flow follows, then the input is done. */
  lock?: { method: LockMethod; frequency: number };
  /** When `countersSaveMs` of activity passed (the flow waits for it). */
  saveCounters?: boolean;
  ride?: RideAction;
}

/** The room applies each before the next runs. */
export type Steps = AsyncGenerator<Outcome, void, void>;

export function isSteps(result: Outcome | Promise<Outcome> | Steps): result is Steps {
  return typeof (result as Partial<Steps>).next === 'function';
}

/** Read only: handlers return the change. */
export interface SessionView {
  readonly identity: EventIdentity;
  readonly sim: SessionSimulation;
  readonly state: SessionState;
  readonly counters: SessionCountersTracker;
  readonly capture: CaptureFlow;
  readonly journey: SessionJourney;
  /** Oldest first, bounded by `maxVisitedPath`. */
  readonly visitedPath: string[];
  readonly log: Logger;
}
