/**
 * Where a join's time goes: `ds_join_phase_seconds{phase}`, fed at the seams Colyseus leaves open. Phases: `matchmake`
 * (the whole request), `select_process`, `ipc_*` (a presence request to another process, publish → reply), `remote_*`
 * (the same on the serving process), `on_auth` (at matchmaking), `on_join`. Labels fixed; maps in flight bounded.
 */
import { performance } from 'node:perf_hooks';
import { LRUCache } from 'lru-cache';
import { matchMaker, Room, ServerError, type AuthContext, type Client, type Presence } from '@colyseus/core';
import { Histogram, type Registry } from 'prom-client';
import { chooseProcess, type PlacementRule, type PlacingProcess, type ProcessLoad } from '../systems/placement.js';
import type { RoomHosts } from './roomHosts.js';

type RequestLabel = 'create_room' | 'reserve_seat' | 'room_call';
export type JoinPhase = 'matchmake' | 'select_process' | `ipc_${RequestLabel}` | `remote_${RequestLabel}` | 'on_auth' | 'on_join';

const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5];
/** Past it the oldest is forgotten (its sample is lost, nothing else). */
const MAX_IN_FLIGHT = 10_000;

export type JoinPhaseTimer = ReturnType<typeof createJoinPhaseTimer>;

/** Failures too: a rejected join or request costs time as well. */
async function timed<T>(timer: JoinPhaseTimer | undefined, phase: JoinPhase, run: () => T): Promise<Awaited<T>> {
  const t0 = performance.now();
  try {
    return await run();
  } finally {
    timer?.observe(phase, performance.now() - t0);
  }
}

export function createJoinPhaseTimer(registry: Registry) {
  const histogram = new Histogram({
    name: 'ds_join_phase_seconds',
    help: 'Parts of a join: matchmaking, presence round trips to other processes, the session room hooks (src/joinPhases.ts)',
    labelNames: ['phase'] as const,
    buckets: BUCKETS,
    registers: [registry],
  });
  return { observe: (phase: JoinPhase, ms: number) => histogram.observe({ phase }, ms / 1000) };
}

const requestLabel = (channel: string, method: unknown): RequestLabel | null => {
  if (channel.startsWith('p:')) return method === 'healthcheck' ? null : 'create_room';
  if (channel.startsWith('$')) return method === '_reserveSeat' ? 'reserve_seat' : 'room_call';
  return null;
};

/** Colyseus's IPC: subscribe `ipc:<id>`, publish `[method, id, args]`, reply to `ipc:<id>`. The presence works as before. */
export function timePresenceIpc<P extends Presence>(presence: P, timer: JoinPhaseTimer, now: () => number = () => performance.now()): P {
  const asked = new LRUCache<string, { t0: number; label?: RequestLabel }>({ max: MAX_IN_FLIGHT });
  const serving = new LRUCache<string, { t0: number; label: RequestLabel }>({ max: MAX_IN_FLIGHT });
  const subscribe = presence.subscribe.bind(presence);
  const unsubscribe = presence.unsubscribe.bind(presence);
  const publish = presence.publish.bind(presence);
  presence.subscribe = (topic: string, callback: (...args: unknown[]) => void) => {
    if (topic.startsWith('ipc:')) {
      const id = topic.slice(4);
      asked.set(id, { t0: now() });
      return subscribe(topic, (...args: unknown[]) => {
        const request = asked.get(id);
        asked.delete(id);
        if (request?.label) timer.observe(`ipc_${request.label}`, now() - request.t0);
        callback(...args);
      });
    }
    if (topic.startsWith('p:') || topic.startsWith('$')) {
      return subscribe(topic, (message: unknown, ...rest: unknown[]) => {
        if (Array.isArray(message) && typeof message[1] === 'string') {
          const label = requestLabel(topic, message[0]);
          if (label) serving.set(message[1], { t0: now(), label });
        }
        callback(message, ...rest);
      });
    }
    return subscribe(topic, callback);
  };
  presence.unsubscribe = (topic: string, callback?: (...args: unknown[]) => void) => {
    if (topic.startsWith('ipc:')) asked.delete(topic.slice(4)); // a timed-out request
    return unsubscribe(topic, callback);
  };
  presence.publish = (topic: string, data: unknown) => {
    if (topic.startsWith('ipc:')) {
      const served = serving.get(topic.slice(4));
      if (served) {
        serving.delete(topic.slice(4));
        timer.observe(`remote_${served.label}`, now() - served.t0);
      }
    } else if (Array.isArray(data) && typeof data[1] === 'string') {
      const request = asked.get(data[1]);
      const label = requestLabel(topic, data[0]);
      if (request && label) request.label = label;
    }
    return publish(topic, data);
  };
  return presence;
}

let matchmakeTimer: JoinPhaseTimer | undefined;

/** Colyseus's controller seam is a module singleton: wrapped once, it reports to the timer of the app that started last. */
export function timeMatchmaking(timer: JoinPhaseTimer): void {
  const controller = matchMaker.controller as unknown as { invokeMethod: (...args: unknown[]) => Promise<unknown>; __dsTimed?: true };
  matchmakeTimer = timer;
  if (controller.__dsTimed) return;
  controller.__dsTimed = true;
  const invoke = controller.invokeMethod.bind(controller);
  controller.invokeMethod = (...args: unknown[]) => timed(matchmakeTimer, 'matchmake', () => invoke(...args));
}

/** Colyseus persists each count at most once a second. */
export const PROCESS_COUNTS_MAX_AGE_MS = 1000;

/** No room-hosting process is known: a valid HTTP status, or Colyseus cannot answer it; retry later. */
export const NO_ROOM_PROCESS = 503;

export interface PlacementSources {
  /** `matchMaker.stats.fetchAll()`. */
  counts(): Promise<ProcessLoad[]>;
  hosts(): Promise<ReadonlySet<string>>;
  /** Its id, live room count, and whether it hosts rooms. */
  self(): PlacingProcess;
  checkRoomName(roomName: string): void;
}

/**
 * {@link chooseProcess}, timed. Both reads (an HGETALL each) are reused for {@link PROCESS_COUNTS_MAX_AGE_MS} instead
 * of per room created; this process's own count is live. No candidate: {@link NO_ROOM_PROCESS}, never this process.
 */
export function processSelection(
  rule: PlacementRule,
  timer: JoinPhaseTimer,
  sources: PlacementSources,
  now: () => number = Date.now,
): (roomName: string) => Promise<string> {
  let cached: { at: number; reads: Promise<[ProcessLoad[], ReadonlySet<string>]> } | undefined;
  return (roomName) =>
    timed(timer, 'select_process', async () => {
      // Checked here: an unknown type sent to another process came back as an IPC failure (523), not "not defined" (520).
      sources.checkRoomName(roomName);
      if (!cached || now() - cached.at >= PROCESS_COUNTS_MAX_AGE_MS) {
        const reads = Promise.all([sources.counts(), sources.hosts()]);
        cached = { at: now(), reads };
        reads.catch(() => (cached = undefined)); // a failed read is retried by the next room
      }
      const [counts, hosts] = await cached.reads;
      const chosen = chooseProcess(rule, sources.self(), counts, hosts);
      if (chosen === undefined)
        throw new ServerError(
          NO_ROOM_PROCESS,
          'NO_ROOM_PROCESS: no process that hosts rooms is available to create this room (this one runs with ROOMS_ENABLED=false). Retry in a few seconds',
        );
      return chosen;
    });
}

export function matchmakerPlacementSources(roomHosts: Pick<RoomHosts, 'fresh'>, hostsRooms: boolean): PlacementSources {
  return {
    counts: () => matchMaker.stats.fetchAll(),
    hosts: () => roomHosts.fresh(),
    self: () => ({ processId: matchMaker.processId, roomCount: matchMaker.stats.local.roomCount, hostsRooms }),
    checkRoomName: (roomName) => void matchMaker.getHandler(roomName),
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any room class, as Metrics.instrument takes
type AnyRoomClass = new (...args: any[]) => Room<any>;

/** An instance `onAuth` runs only when the class has no static one. */
export function timeRoomJoins<T extends AnyRoomClass>(Base: T, timer: JoinPhaseTimer): T {
  class Timed extends (Base as AnyRoomClass) {
    override onJoin(client: Client, options?: unknown, auth?: unknown) {
      return timed(timer, 'on_join', () => super.onJoin?.(client, options, auth)) as ReturnType<NonNullable<Room['onJoin']>>;
    }
  }
  // Only the hook the class defines is replaced: a class overriding both makes Colyseus ignore the instance one.
  const base = Base as unknown as typeof Room;
  if (base.onAuth !== Room.onAuth) {
    (Timed as unknown as typeof Room).onAuth = (token, options, context) => timed(timer, 'on_auth', () => base.onAuth(token, options, context));
  } else if (base.prototype.onAuth !== Room.prototype.onAuth) {
    const onAuth = base.prototype.onAuth;
    Timed.prototype.onAuth = function (this: Room, client: Client, options: unknown, context: AuthContext) {
      return timed(timer, 'on_auth', () => onAuth.call(this, client, options, context));
    };
  }
  Object.defineProperty(Timed, 'name', { value: Base.name });
  return Timed as unknown as T;
}
