/**
 * Server metrics on a Registry of our own (never the global default, so tests can build several). Hot paths only add
 * to plain numbers; prom-client objects are built at scrape time, so 10,000 rooms cost no label hashing.
 */
import { wildcardType } from '../rooms/colyseusInternals.js';
import { monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';
import type { StatementBatchStats } from '../persistence/statementBatch.js';
import type { Client, Room } from '@colyseus/core';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type Metric } from 'prom-client';
import type { PassportWriterStats } from '../features/passport/PassportWriter.js';

/** What the passport gauges read: a writer's stats, of which tests pass the first four. */
type PassportStatsLike = Pick<PassportWriterStats, 'queueDepth' | 'maxQueue' | 'accepted' | 'persisted'> & Partial<PassportWriterStats>;

/** From the Colyseus protocol code in the first byte. */
export const FRAME_KINDS = ['patch', 'full_state', 'message', 'other'] as const;

/** FRAME_KINDS index per protocol code, the first byte's low 5 bits (@colyseus/shared-types: STATE_PATCH 15, STATE 14, DATA 13 and 17). */
const KIND_OF_CODE = Uint8Array.from({ length: 32 }, (_, code) => (code === 15 ? 0 : code === 14 ? 1 : code === 13 || code === 17 ? 2 : 3));

/** Seconds; a 20 Hz tick has a 50 ms budget. */
const DURATION_BUCKETS = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25];
const LAG_BUCKETS = [0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 30];

type AnyRoomClass = new (...args: any[]) => Room<any>;

export type Metrics = ReturnType<typeof createMetrics>;

/** A value read at scrape time: a number, or per value of the next label the reading below it; null or undefined leaves the series as they were. */
export type Reading = number | null | undefined | { [labelValue: string]: Reading };

/** Help, the read at each scrape, then the label names its nested readings are by. */
export type Scraped = [help: string, read: () => Reading | Promise<Reading>, ...labels: string[]];

/**
 * Metrics read at each scrape, by name: a counter's totals since start when the name ends in `_total` (as Prometheus
 * names them), else a gauge's levels now. Each reading replaces every series, so a label value gone from it is gone from /metrics.
 */
export function registerScraped(registry: Registry, metrics: Record<string, Scraped>): void {
  for (const [name, [help, read, ...labels]] of Object.entries(metrics)) {
    new (name.endsWith('_total') ? Counter : Gauge)({
      name,
      help,
      labelNames: labels,
      registers: [registry],
      collect(this: Counter | Gauge) {
        const put = (reading: Reading, at: Record<string, string>, depth: number): void => {
          if (typeof reading === 'number') return this instanceof Gauge ? this.set(at, reading) : this.inc(at, reading);
          for (const [value, below] of Object.entries(reading ?? {})) put(below, { ...at, [labels[depth]]: value }, depth + 1);
        };
        const apply = (reading: Reading) => {
          if (reading === null || reading === undefined) return;
          this.reset();
          put(reading, {}, 0);
        };
        const reading = read();
        return reading instanceof Promise ? reading.then(apply) : apply(reading);
      },
    });
  }
}

/** Counted on the hot path, so prom-client's own. */
const counter = (registry: Registry, name: string, help: string, labelNames: string[]) => new Counter({ name, help, labelNames, registers: [registry] });

/** Per room type: the hot path adds to a Float64Array; rendered as a Prometheus histogram on scrape. */
class FastHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly series = new Map<string, Float64Array>(); // [bucket counts..., +Inf, sum]

  constructor(
    registry: Registry,
    readonly name: string,
    readonly help: string,
    private readonly bounds = DURATION_BUCKETS,
  ) {
    registry.registerMetric(this as unknown as Metric);
  }

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
          labels: { le: i < this.bounds.length ? this.bounds[i] : '+Inf', room: lv },
          value: cumulative,
        });
      }
      values.push({ metricName: `${this.name}_sum`, labels: { room: lv }, value: s[this.bounds.length + 1] });
      values.push({ metricName: `${this.name}_count`, labels: { room: lv }, value: cumulative });
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }
}

const ms = (v: number | null | undefined): number | null => (v === null || v === undefined ? null : v / 1000);

/** The gauges (levels now) and counters (totals since start) of the passport writer's stats. */
const PASSPORT_SERIES: Record<string, [help: string, pick: (s: PassportStatsLike) => number | null | undefined]> = {
  ds_passport_queue_depth: ['Passport events queued in memory, not yet in Postgres', (s) => s.queueDepth],
  ds_passport_queue_max: ['Passport queue bound (enqueue beyond it is refused with BACKPRESSURE)', (s) => s.maxQueue],
  ds_passport_retrying: ['1 while a failed flush is waiting to be retried', (s) => (s.retrying ? 1 : 0)],
  ds_passport_flush_latency_p50_seconds: ['Median flush (INSERT) latency over the last 256 flushes', (s) => ms(s.flushLatencyMsP50)],
  ds_passport_flush_latency_max_seconds: ['Slowest flush (INSERT) over the last 256 flushes', (s) => ms(s.flushLatencyMsMax)],
  ds_passport_last_flush_seconds: ['Duration of the last flush', (s) => ms(s.lastFlushMs)],
  ds_passport_events_accepted_total: ['Passport events accepted by the writer since start', (s) => s.accepted],
  ds_passport_events_persisted_total: ['Passport events inserted into Postgres since start', (s) => s.persisted],
  ds_passport_events_duplicate_total: ['Passport events already stored (retries)', (s) => s.duplicates],
  ds_passport_events_dead_lettered_total: ['Passport events Postgres refused, kept in passport_dead_letters', (s) => s.deadLettered],
  ds_passport_events_rejected_total: ['Passport events refused by backpressure', (s) => s.rejected],
  ds_passport_flushes_total: ['Passport flushes', (s) => s.flushes],
  ds_passport_flush_failures_total: ['Passport flushes that failed and were retried', (s) => s.failedFlushes],
};

/** Read once per scrape (the first series refreshes the snapshot the others read); `statsFn` may throw (writer not started): skipped. */
function registerPassportStats(registry: Registry, statsFn: () => PassportStatsLike): void {
  let cached: PassportStatsLike | null = null;
  const refresh = () => {
    try {
      cached = statsFn();
    } catch {
      cached = null;
    }
  };
  const series = Object.entries(PASSPORT_SERIES).map(([name, [help, pick]], i): [string, Scraped] => [
    name,
    [help, () => (i === 0 && refresh(), cached && pick(cached))],
  ]);
  registerScraped(registry, Object.fromEntries(series));
}

const clientsIn = (rooms: Set<Room<any>>): number => [...rooms].reduce((n, r) => n + r.clients.length, 0);

/** Per room type, read at scrape time: the rooms each instrumented room joins, and [bytes per kind..., frames per kind...] sent (a kind never sent has no series). */
function registerRoomSeries(registry: Registry) {
  const live = new Map<string, Set<Room<any>>>();
  const sent = new Map<string, Float64Array>();
  const perRoom = (count: (rooms: Set<Room<any>>) => number) => () => Object.fromEntries([...live].map(([room, set]) => [room, count(set)]));
  const perKind = (offset: number) => () =>
    Object.fromEntries([...sent].map(([room, s]) => [room, Object.fromEntries(FRAME_KINDS.map((kind, i) => [kind, s[offset + i]]).filter(([, n]) => n))]));
  registerScraped(registry, {
    ds_room_sent_bytes_total: [
      'Bytes handed to the transport per room type and frame kind (patch = ROOM_STATE_PATCH, full_state = ROOM_STATE, message = ROOM_DATA*); WebSocket framing excluded',
      perKind(0),
      'room',
      'kind',
    ],
    ds_room_sent_frames_total: ['Frames handed to the transport per room type and frame kind', perKind(FRAME_KINDS.length), 'room', 'kind'],
    ds_rooms: ['Rooms alive in this process per room type', perRoom((set) => set.size), 'room'],
    ds_room_clients: [
      'Clients connected to rooms of this process per room type (a dropped client awaiting reconnection is not counted)',
      perRoom(clientsIn),
      'room',
    ],
  });
  const sentOf = (roomType: string): Float64Array => {
    let s = sent.get(roomType);
    if (!s) sent.set(roomType, (s = new Float64Array(FRAME_KINDS.length * 2)));
    return s;
  };
  return { live, sentOf };
}

/**
 * The event-loop delay since the previous scrape (a scrape with no sample leaves the previous quantiles), and the heap
 * used right after the latest GC: the floor of the sawtooth. A sampled heap size lands anywhere between two collections
 * (tens of MB apart here), so growth of what a process keeps is read from this gauge's lows (the soak does). Returns the stop.
 */
function registerProcessSeries(registry: Registry): () => void {
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const delay = () => {
    const reading = loop.count > 0 ? { '0.5': loop.percentile(50) / 1e9, '0.99': loop.percentile(99) / 1e9, '1': loop.max / 1e9 } : null;
    loop.reset();
    return reading;
  };
  let afterGc: number | null = null;
  // Entries arrive soon after each collection: little has been allocated by then.
  const observer = new PerformanceObserver(() => {
    afterGc = v8.getHeapStatistics().used_heap_size;
  });
  observer.observe({ entryTypes: ['gc'] });
  registerScraped(registry, {
    ds_event_loop_delay_seconds: ['Event-loop delay since the previous scrape (quantile 0.5, 0.99, 1 = max)', delay, 'quantile'],
    ds_heap_used_after_gc_bytes: ['V8 heap used just after the latest garbage collection (minor or major): what the process keeps', () => afterGc],
  });
  return () => {
    loop.disable();
    observer.disconnect();
  };
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}) {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });

  const tick = new FastHistogram(
    registry,
    'ds_room_tick_duration_seconds',
    'Duration of one room simulation tick (session rooms: one shared-ticker step, the simulation plus the patch when one is due)',
  );
  const patch = new FastHistogram(registry, 'ds_room_patch_duration_seconds', 'Duration of one broadcastPatch (encode and hand frames to the transport)');

  const { live, sentOf } = registerRoomSeries(registry);
  const traffic = createRoomTraffic(registry);
  const baselineBytes = counter(
    registry,
    'ds_room_baseline_json_bytes_total',
    'Bytes of the naive full-state JSON broadcast (PATCH_BASELINE=json), to compare with ds_room_sent_bytes_total{kind="patch"}',
    ['room'],
  );

  const leaderboardLag = new Histogram({
    name: 'ds_leaderboard_update_lag_seconds',
    help: 'Passport event received → the leaderboard store showing it in the boards spectators watch (a batch nobody watches: at the unwatched flush, LEADERBOARD_UNWATCHED_FLUSH_MS)',
    buckets: LAG_BUCKETS,
    registers: [registry],
  });

  const close = registerProcessSeries(registry);

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
    /** Read at every scrape; once per registry (a second writer's series would clash). */
    registerPassport: (statsFn: () => PassportStatsLike) => registerPassportStats(registry, statsFn),
    /** Each live room counted, ticks and patches timed (one patch in 8), every frame sent counted by kind. */
    instrument: <T extends AnyRoomClass>(roomType: string, Base: T): T => instrumentRoomClass(roomType, Base, { tick, patch }, live, sentOf(roomType), traffic),
    liveRooms: (): Record<string, { rooms: number; clients: number }> =>
      Object.fromEntries([...live].filter(([, set]) => set.size > 0).map(([room, set]) => [room, { rooms: set.size, clients: clientsIn(set) }])),
    close,
  };
}

const ERROR_CODE = /^[A-Z_]{1,40}$/;

/** Once per client object: each frame sent to it counted by kind, each `error` reply by code. */
function meterClient(client: Client, room: string, counts: Float64Array, traffic: RoomTraffic): void {
  const c = client as Client & { raw: (data: Uint8Array, ...rest: unknown[]) => unknown; __dsMetered?: true; readyState?: number };
  if (c.__dsMetered) return;
  c.__dsMetered = true;
  const raw = c.raw.bind(c);
  c.raw = (data: Uint8Array, ...rest: unknown[]) => {
    if (data && data.byteLength && c.readyState === 1) {
      const kind = KIND_OF_CODE[data[0] & 31];
      counts[kind] += data.byteLength;
      counts[FRAME_KINDS.length + kind] += 1;
    }
    return raw(data, ...rest);
  };
  const send = c.send.bind(c) as (type: unknown, message?: unknown, options?: unknown) => void;
  (c as unknown as { send: typeof send }).send = (type, message, options) => {
    if (type === 'error') {
      const code = (message as { code?: unknown } | undefined)?.code;
      traffic.errorReply(room, typeof code === 'string' && ERROR_CODE.test(code) ? code : 'OTHER');
    }
    return send(type, message, options);
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
  const timed = <A extends unknown[], R>(histogram: FastHistogram, fn: (...args: A) => R) =>
    function (this: unknown, ...args: A): R {
      const t0 = performance.now();
      try {
        return fn.apply(this, args);
      } finally {
        histogram.observe(roomType, (performance.now() - t0) / 1000);
      }
    };
  const timedPatch = timed(timers.patch, base.broadcastPatch);

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
      meterClient(client, roomType, counts, traffic);
      traffic.connection(roomType, 'join');
      return base.onJoin?.call(this, client, options, auth);
    }
    override onLeave(client: Client, code?: number) {
      traffic.connection(roomType, 'leave');
      return base.onLeave?.call(this, client, code);
    }
    override onReconnect(client: Client) {
      meterClient(client, roomType, counts, traffic);
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
      super.setTimestep(onTick ? timed(timers.tick, onTick) : onTick, delay);
    }
    override setFixedTimestep(step: (ctx: any) => void, tickRate?: number, opts?: any): void {
      super.setFixedTimestep(timed(timers.tick, step), tickRate, opts);
    }
    private __patches = 0;
    override broadcastPatch(): boolean {
      // Timed on one patch in 8: at 10,000 rooms × 20 Hz timing every call costs ~3 % of the event loop.
      return (++this.__patches & 7) !== 0 ? super.broadcastPatch() : timedPatch.call(this);
    }
  }
  Object.defineProperty(Instrumented, 'name', { value: `${Base.name || 'Room'}WithMetrics` });
  return Instrumented as unknown as T;
}

/** Bounded labels: registered message types, `unknown` for anything else; error codes from the rooms' own table. */
type RoomTraffic = ReturnType<typeof createRoomTraffic>;

export function createRoomTraffic(registry: Registry) {
  const inbound = counter(registry, 'ds_room_messages_in_total', 'Client messages received, per room type and message type (unknown types as "unknown")', [
    'room',
    'type',
  ]);
  const errors = counter(registry, 'ds_room_error_replies_total', '`error` replies sent to clients, per room type and code', ['room', 'code']);
  const connections = counter(registry, 'ds_room_connections_total', 'Client joins, leaves and reconnects, per room type', ['room', 'event']);
  return {
    inbound: (room: string, type: string) => inbound.inc({ room, type }),
    errorReply: (room: string, code: string) => errors.inc({ room, code }),
    connection: (room: string, event: 'join' | 'leave' | 'reconnect') => connections.inc({ room, event }),
  };
}

/**
 * Writes gathered into one statement (persistence/statementBatch.ts), one series per batch name read at each scrape: refused items mean
 * the database is far slower than the writes arrive; waiting near the bound is the warning before that.
 */
export function registerStatementBatchMetrics(registry: Registry, sources: Record<string, () => StatementBatchStats>): void {
  const perBatch = (read: (s: StatementBatchStats) => Reading) => () =>
    Object.fromEntries(Object.entries(sources).map(([batch, stats]) => [batch, read(stats())]));
  registerScraped(registry, {
    ds_statement_batch_flushes_total: [
      'Statements written by a batch of gathered writes, by outcome (ok: committed; failed: its callers got the error)',
      perBatch((s) => ({ ok: s.flushes - s.failedFlushes, failed: s.failedFlushes })),
      'batch',
      'outcome',
    ],
    ds_statement_batch_items_total: [
      'Writes a batch took, by outcome: written (committed), failed (in a failed statement), refused (the waiting bound was full)',
      perBatch((s) => ({ written: s.written, failed: s.failed, refused: s.refused })),
      'batch',
      'outcome',
    ],
    ds_statement_batch_waiting: ['Writes waiting for their statement now (the one in flight not counted)', perBatch((s) => s.waiting), 'batch'],
  });
}
