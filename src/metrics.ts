/**
 * Server metrics on a Registry of our own (never the global default, so tests can build several). Hot paths only add
 * to plain numbers; prom-client objects are built at scrape time, so 10,000 rooms cost no label hashing.
 */
import { wildcardType } from '../rooms/colyseusInternals.js';
import { monitorEventLoopDelay, performance, PerformanceObserver, type IntervalHistogram } from 'node:perf_hooks';
import v8 from 'node:v8';
import type { StatementBatchStats } from '../persistence/statementBatch.js';
import type { Client, Room } from '@colyseus/core';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type Metric } from 'prom-client';
import type { PassportWriterStats } from '../features/passport/PassportWriter.js';

/** What the passport gauges read: a writer's stats, of which tests pass the first four. */
type PassportStatsLike = Pick<PassportWriterStats, 'queueDepth' | 'maxQueue' | 'accepted' | 'persisted'> & Partial<PassportWriterStats>;

/** From the Colyseus protocol code in the first byte. */
export const FRAME_KINDS = ['patch', 'full_state', 'message', 'other'] as const;

// @colyseus/shared-types Protocol: ROOM_DATA 13, ROOM_STATE 14, ROOM_STATE_PATCH 15, ROOM_DATA_BYTES 17; low 5 bits = code.
const PROTOCOL_CODE_MASK = 31;
function frameKind(firstByte: number): number {
  switch (firstByte & PROTOCOL_CODE_MASK) {
    case 15:
      return 0;
    case 14:
      return 1;
    case 13:
    case 17:
      return 2;
    default:
      return 3;
  }
}

/** Seconds; a 20 Hz tick has a 50 ms budget. */
const DURATION_BUCKETS = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25];
const LAG_BUCKETS = [0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 30];

type AnyRoomClass = new (...args: any[]) => Room<any>;

export type Metrics = ReturnType<typeof createMetrics>;

/** A gauge read at each scrape (left as it was when `read` has no value). */
export function scrapedGauge(registry: Registry, name: string, help: string, read: () => number | null | undefined): void {
  new Gauge({
    name,
    help,
    registers: [registry],
    collect() {
      const value = read();
      if (value !== null && value !== undefined) this.set(value);
    },
  });
}

/** One series per value of `label`, read at each scrape: a counter's totals since start, or a gauge's levels now. */
export function scrapedByLabel(
  registry: Registry,
  kind: 'counter' | 'gauge',
  name: string,
  help: string,
  label: string,
  read: () => Record<string, number>,
): void {
  const collect = (put: (labels: Record<string, string>, value: number) => void) => {
    for (const [value, n] of Object.entries(read())) put({ [label]: value }, n);
  };
  const base = { name, help, labelNames: [label], registers: [registry] };
  if (kind === 'counter')
    new Counter({
      ...base,
      collect() {
        this.reset();
        collect((labels, n) => this.inc(labels, n));
      },
    });
  else
    new Gauge({
      ...base,
      collect() {
        this.reset();
        collect((labels, n) => this.set(labels, n));
      },
    });
}

/** The hot path adds to a Float64Array; rendered as a Prometheus histogram on scrape. */
class FastHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly series = new Map<string, Float64Array>(); // [bucket counts..., +Inf, sum]

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly label: string,
    private readonly bounds: number[],
  ) {}

  observe(labelValue: string, value: number): void {
    let s = this.series.get(labelValue);
    if (!s) this.series.set(labelValue, (s = new Float64Array(this.bounds.length + 2)));
    let i = 0;
    while (i < this.bounds.length && value > this.bounds[i]) i++;
    s[i]++;
    s[this.bounds.length + 1] += value;
  }

  get() {
    const values: Array<{ metricName: string; labels: Record<string, string | number>; value: number }> = [];
    for (const [lv, s] of this.series) {
      let cumulative = 0;
      for (let i = 0; i <= this.bounds.length; i++) {
        cumulative += s[i];
        values.push({
          metricName: `${this.name}_bucket`,
          labels: { le: i < this.bounds.length ? this.bounds[i] : '+Inf', [this.label]: lv },
          value: cumulative,
        });
      }
      values.push({ metricName: `${this.name}_sum`, labels: { [this.label]: lv }, value: s[this.bounds.length + 1] });
      values.push({ metricName: `${this.name}_count`, labels: { [this.label]: lv }, value: cumulative });
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }
}

const ms = (v: number | null | undefined): number | null => (v === null || v === undefined ? null : v / 1000);

/** The gauges (levels now) and counters (totals since start) of the passport writer's stats. */
const PASSPORT_SERIES: Array<[kind: 'gauge' | 'counter', name: string, help: string, pick: (s: PassportStatsLike) => number | null | undefined]> = [
  ['gauge', 'ds_passport_queue_depth', 'Passport events queued in memory, not yet in Postgres', (s) => s.queueDepth],
  ['gauge', 'ds_passport_queue_max', 'Passport queue bound (enqueue beyond it is refused with BACKPRESSURE)', (s) => s.maxQueue],
  ['gauge', 'ds_passport_retrying', '1 while a failed flush is waiting to be retried', (s) => (s.retrying ? 1 : 0)],
  ['gauge', 'ds_passport_flush_latency_p50_seconds', 'Median flush (INSERT) latency over the last 256 flushes', (s) => ms(s.flushLatencyMsP50)],
  ['gauge', 'ds_passport_flush_latency_max_seconds', 'Slowest flush (INSERT) over the last 256 flushes', (s) => ms(s.flushLatencyMsMax)],
  ['gauge', 'ds_passport_last_flush_seconds', 'Duration of the last flush', (s) => ms(s.lastFlushMs)],
  ['counter', 'ds_passport_events_accepted_total', 'Passport events accepted by the writer since start', (s) => s.accepted],
  ['counter', 'ds_passport_events_persisted_total', 'Passport events inserted into Postgres since start', (s) => s.persisted],
  ['counter', 'ds_passport_events_duplicate_total', 'Passport events already stored (retries)', (s) => s.duplicates],
  ['counter', 'ds_passport_events_dead_lettered_total', 'Passport events Postgres refused, kept in passport_dead_letters', (s) => s.deadLettered],
  ['counter', 'ds_passport_events_rejected_total', 'Passport events refused by backpressure', (s) => s.rejected],
  ['counter', 'ds_passport_flushes_total', 'Passport flushes', (s) => s.flushes],
  ['counter', 'ds_passport_flush_failures_total', 'Passport flushes that failed and were retried', (s) => s.failedFlushes],
];

/** Read once per scrape (the first series refreshes the snapshot the others read); `statsFn` may throw (writer not started): skipped. */
function registerPassportStats(registry: Registry, statsFn: () => PassportStatsLike): void {
  let cached: PassportStatsLike | null = null;
  PASSPORT_SERIES.forEach(([kind, name, help, pick], i) => {
    const Kind = kind === 'gauge' ? Gauge : Counter;
    new Kind({
      name,
      help,
      registers: [registry],
      collect(this: Gauge | Counter) {
        if (i === 0) {
          try {
            cached = statsFn();
          } catch {
            cached = null;
          }
        }
        const v = cached ? pick(cached) : null;
        if (v === null || v === undefined) return;
        if (this instanceof Gauge) return this.set(v);
        this.reset();
        this.inc(v);
      },
    });
  });
}

function registerSentFrames(registry: Registry): (roomType: string) => Float64Array {
  // Per room type: [bytes per kind..., frames per kind...].
  const sent = new Map<string, Float64Array>();
  const sentOf = (roomType: string): Float64Array => {
    let s = sent.get(roomType);
    if (!s) sent.set(roomType, (s = new Float64Array(FRAME_KINDS.length * 2)));
    return s;
  };
  const sentCounter = (name: string, help: string, offset: number) =>
    new Counter({
      name,
      help,
      labelNames: ['room', 'kind'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [room, s] of sent) FRAME_KINDS.forEach((kind, i) => s[offset + i] && this.inc({ room, kind }, s[offset + i]));
      },
    });
  sentCounter(
    'ds_room_sent_bytes_total',
    'Bytes handed to the transport per room type and frame kind (patch = ROOM_STATE_PATCH, full_state = ROOM_STATE, message = ROOM_DATA*); WebSocket framing excluded',
    0,
  );
  sentCounter('ds_room_sent_frames_total', 'Frames handed to the transport per room type and frame kind', FRAME_KINDS.length);
  return sentOf;
}

/** Read at scrape time from the set each instrumented room joins. */
function registerLiveRooms(registry: Registry): Map<string, Set<Room<any>>> {
  const live = new Map<string, Set<Room<any>>>();
  const perRoom = (name: string, help: string, count: (rooms: Set<Room<any>>) => number) =>
    scrapedByLabel(registry, 'gauge', name, help, 'room', () => Object.fromEntries([...live].map(([room, set]) => [room, count(set)])));
  perRoom('ds_rooms', 'Rooms alive in this process per room type', (set) => set.size);
  perRoom('ds_room_clients', 'Clients connected to rooms of this process per room type (a dropped client awaiting reconnection is not counted)', (set) =>
    [...set].reduce((n, r) => n + r.clients.length, 0),
  );
  return live;
}

/** Since the previous scrape. */
function registerEventLoopDelay(registry: Registry): IntervalHistogram {
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  new Gauge({
    name: 'ds_event_loop_delay_seconds',
    help: 'Event-loop delay since the previous scrape (quantile 0.5, 0.99, 1 = max)',
    labelNames: ['quantile'],
    registers: [registry],
    collect() {
      if (loop.count > 0) {
        this.set({ quantile: '0.5' }, loop.percentile(50) / 1e9);
        this.set({ quantile: '0.99' }, loop.percentile(99) / 1e9);
        this.set({ quantile: '1' }, loop.max / 1e9);
      }
      loop.reset();
    },
  });
  return loop;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}) {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });

  const tick = new FastHistogram(
    'ds_room_tick_duration_seconds',
    'Duration of one room simulation tick (session rooms: one shared-ticker step, the simulation plus the patch when one is due)',
    'room',
    DURATION_BUCKETS,
  );
  const patch = new FastHistogram(
    'ds_room_patch_duration_seconds',
    'Duration of one broadcastPatch (encode and hand frames to the transport)',
    'room',
    DURATION_BUCKETS,
  );
  registry.registerMetric(tick as unknown as Metric);
  registry.registerMetric(patch as unknown as Metric);

  const sentOf = registerSentFrames(registry);
  const traffic = createRoomTraffic(registry);
  const baselineBytes = new Counter({
    name: 'ds_room_baseline_json_bytes_total',
    help: 'Bytes of the naive full-state JSON broadcast (PATCH_BASELINE=json), to compare with ds_room_sent_bytes_total{kind="patch"}',
    labelNames: ['room'],
    registers: [registry],
  });

  const live = registerLiveRooms(registry);
  const leaderboardLag = new Histogram({
    name: 'ds_leaderboard_update_lag_seconds',
    help: 'Passport event received → the leaderboard store showing it in the boards spectators watch (a batch nobody watches: at the unwatched flush, LEADERBOARD_UNWATCHED_FLUSH_MS)',
    buckets: LAG_BUCKETS,
    registers: [registry],
  });

  const loop = registerEventLoopDelay(registry);
  const stopHeapAfterGc = registerHeapAfterGc(registry);

  let passportRegistered = false;
  return {
    registry,
    roomTick: (roomType: string, ms: number) => tick.observe(roomType, ms / 1000),
    patchBytes: (roomType: string, n: number) => {
      const s = sentOf(roomType);
      s[0] += n;
      s[FRAME_KINDS.length] += 1;
    },
    /** PATCH_BASELINE=json only. */
    baselineJsonBytes: (roomType: string, n: number) => baselineBytes.inc({ room: roomType }, n),
    /** Passport event occurrence → the store showing it. */
    observeLeaderboardLag: (seconds: number) => {
      if (Number.isFinite(seconds) && seconds >= 0) leaderboardLag.observe(seconds);
    },
    /** Read at every scrape. */
    registerPassport: (statsFn: () => PassportStatsLike) => {
      if (passportRegistered) throw new Error('registerPassport was already called on this Metrics; register the writer once');
      passportRegistered = true;
      registerPassportStats(registry, statsFn);
    },
    /** Each live room counted, ticks and patches timed (one patch in 8), every frame sent counted by kind. */
    instrument: <T extends AnyRoomClass>(roomType: string, Base: T): T => instrumentRoomClass(roomType, Base, { tick, patch }, live, sentOf(roomType), traffic),
    liveRooms: () => {
      const out: Record<string, { rooms: number; clients: number }> = {};
      for (const [room, set] of live) {
        let clients = 0;
        for (const r of set) clients += r.clients.length;
        if (set.size > 0) out[room] = { rooms: set.size, clients };
      }
      return out;
    },
    close: () => {
      loop.disable();
      stopHeapAfterGc();
    },
  };
}

/** Once per client object. */
function meterClient(client: Client, counts: Float64Array): void {
  const c = client as Client & { raw: (data: Uint8Array, ...rest: unknown[]) => unknown; __dsMetered?: true; readyState?: number };
  if (c.__dsMetered) return;
  c.__dsMetered = true;
  const raw = c.raw.bind(c);
  c.raw = (data: Uint8Array, ...rest: unknown[]) => {
    if (data && data.byteLength && c.readyState === 1) {
      const kind = frameKind(data[0]);
      counts[kind] += data.byteLength;
      counts[FRAME_KINDS.length + kind] += 1;
    }
    return raw(data, ...rest);
  };
}

function instrumentRoomClass<T extends AnyRoomClass>(
  roomType: string,
  Base: T,
  timers: { tick: FastHistogram; patch: FastHistogram },
  live: Map<string, Set<Room<any>>>,
  counts: Float64Array,
  traffic: RoomTraffic,
): T {
  const base = Base.prototype as Room<any>;
  if (!live.has(roomType)) live.set(roomType, new Set());
  const rooms = live.get(roomType)!;
  const timed = <A extends unknown[]>(fn: (...args: A) => unknown) =>
    function (this: unknown, ...args: A) {
      const t0 = performance.now();
      try {
        return fn.apply(this, args);
      } finally {
        timers.tick.observe(roomType, (performance.now() - t0) / 1000);
      }
    };

  class Instrumented extends (Base as AnyRoomClass) {
    override onCreate(options: unknown) {
      rooms.add(this);
      return base.onCreate?.call(this, options);
    }
    override onDispose() {
      rooms.delete(this);
      return base.onDispose?.call(this);
    }
    override onJoin(client: Client, options?: unknown, auth?: unknown) {
      meterClient(client, counts);
      countErrorReplies(client, roomType, traffic);
      traffic.connection(roomType, 'join');
      return base.onJoin?.call(this, client, options, auth);
    }
    override onLeave(client: Client, code?: number) {
      traffic.connection(roomType, 'leave');
      return base.onLeave?.call(this, client, code);
    }
    override onReconnect(client: Client) {
      meterClient(client, counts);
      countErrorReplies(client, roomType, traffic);
      traffic.connection(roomType, 'reconnect');
      return base.onReconnect?.call(this, client);
    }
    // A wildcard counts the received type when the room declares it (`messageTypes`), else "unknown" (bounded labels).
    override onMessage(type: string | number, ...rest: any[]): any {
      const handler = rest[rest.length - 1];
      if (typeof handler !== 'function') return (super.onMessage as any)(type, ...rest);
      const declared = (this as { messageTypes?: ReadonlySet<string> }).messageTypes;
      const fixed = type === '*' ? null : String(type);
      const counted = function (this: unknown, ...args: unknown[]) {
        const received = wildcardType(args[1], args[2]);
        traffic.inbound(roomType, fixed ?? (typeof received === 'string' && declared?.has(received) ? received : 'unknown'));
        return handler.apply(this, args);
      };
      return (super.onMessage as any)(type, ...rest.slice(0, -1), counted);
    }
    override setTimestep(onTick?: (dt: number) => void, delay?: number): void {
      super.setTimestep(onTick ? timed(onTick) : onTick, delay);
    }
    override setFixedTimestep(step: (ctx: any) => void, tickRate?: number, opts?: any): void {
      super.setFixedTimestep(timed(step), tickRate, opts);
    }
    private __patches = 0;
    override broadcastPatch(): boolean {
      // Timed on one patch in 8: at 10,000 rooms × 20 Hz timing every call costs ~3 % of the event loop.
      if ((++this.__patches & 7) !== 0) return super.broadcastPatch();
      const t0 = performance.now();
      try {
        return super.broadcastPatch();
      } finally {
        timers.patch.observe(roomType, (performance.now() - t0) / 1000);
      }
    }
  }
  Object.defineProperty(Instrumented, 'name', { value: `${Base.name || 'Room'}WithMetrics` });
  return Instrumented as unknown as T;
}

/**
 * Heap used right after the latest GC: the floor of the sawtooth. A sampled heap size lands anywhere between two
 * collections (tens of MB apart here), so growth of what a process keeps is read from this gauge's lows (the soak does).
 */

export function registerHeapAfterGc(registry: Registry): () => void {
  let afterGc: number | null = null;
  // Entries arrive soon after each collection: little has been allocated by then.
  const observer = new PerformanceObserver(() => {
    afterGc = v8.getHeapStatistics().used_heap_size;
  });
  observer.observe({ entryTypes: ['gc'] });
  scrapedGauge(
    registry,
    'ds_heap_used_after_gc_bytes',
    'V8 heap used just after the latest garbage collection (minor or major): what the process keeps',
    () => afterGc,
  );
  return () => observer.disconnect();
}

/** Bounded labels: registered message types, `unknown` for anything else; error codes from the rooms' own table. */
export interface RoomTraffic {
  inbound(room: string, type: string): void;
  errorReply(room: string, code: string): void;
  connection(room: string, event: 'join' | 'leave' | 'reconnect'): void;
}

export function createRoomTraffic(registry: Registry): RoomTraffic {
  const inbound = new Counter({
    name: 'ds_room_messages_in_total',
    help: 'Client messages received, per room type and message type (unknown types as "unknown")',
    labelNames: ['room', 'type'],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'ds_room_error_replies_total',
    help: '`error` replies sent to clients, per room type and code',
    labelNames: ['room', 'code'],
    registers: [registry],
  });
  const connections = new Counter({
    name: 'ds_room_connections_total',
    help: 'Client joins, leaves and reconnects, per room type',
    labelNames: ['room', 'event'],
    registers: [registry],
  });
  return {
    inbound: (room, type) => inbound.inc({ room, type }),
    errorReply: (room, code) => errors.inc({ room, code }),
    connection: (room, event) => connections.inc({ room, event }),
  };
}

const ERROR_CODE = /^[A-Z_]{1,40}$/;

/** Once per client object. */
export function countErrorReplies(client: Client, room: string, traffic: RoomTraffic): void {
  const c = client as Client & { __dsErrorsCounted?: true };
  if (c.__dsErrorsCounted) return;
  c.__dsErrorsCounted = true;
  const send = c.send.bind(c) as (type: unknown, message?: unknown, options?: unknown) => void;
  (c as unknown as { send: typeof send }).send = (type, message, options) => {
    if (type === 'error') {
      const code = (message as { code?: unknown } | undefined)?.code;
      traffic.errorReply(room, typeof code === 'string' && ERROR_CODE.test(code) ? code : 'OTHER');
    }
    return send(type, message, options);
  };
}

/**
 * /metrics for writes gathered into one statement (persistence/statementBatch.ts): how many statements, how
 * many items they carried, failed or refused, and how many wait now. Refused items mean the database is far
 * slower than the writes arrive; waiting near the bound is the warning before that.
 */

/** One series per batch name (`session_counters`, …); `sources` are read at each scrape. */
export function registerStatementBatchMetrics(registry: Registry, sources: Record<string, () => StatementBatchStats>): void {
  const read = () => Object.entries(sources).map(([batch, stats]) => [batch, stats()] as const);
  const countedByOutcome = (name: string, help: string, outcomes: Record<string, (s: StatementBatchStats) => number>) =>
    new Counter({
      name,
      help,
      labelNames: ['batch', 'outcome'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [batch, s] of read()) for (const [outcome, count] of Object.entries(outcomes)) this.inc({ batch, outcome }, count(s));
      },
    });
  countedByOutcome(
    'ds_statement_batch_flushes_total',
    'Statements written by a batch of gathered writes, by outcome (ok: committed; failed: its callers got the error)',
    {
      ok: (s) => s.flushes - s.failedFlushes,
      failed: (s) => s.failedFlushes,
    },
  );
  countedByOutcome(
    'ds_statement_batch_items_total',
    'Writes a batch took, by outcome: written (committed), failed (in a failed statement), refused (the waiting bound was full)',
    {
      written: (s) => s.written,
      failed: (s) => s.failed,
      refused: (s) => s.refused,
    },
  );
  scrapedByLabel(registry, 'gauge', 'ds_statement_batch_waiting', 'Writes waiting for their statement now (the one in flight not counted)', 'batch', () =>
    Object.fromEntries(read().map(([batch, s]) => [batch, s.waiting])),
  );
}
