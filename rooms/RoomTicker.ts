/**
 * One timer drives every room of a type (per-room Colyseus intervals cost a large share of the event loop), over
 * `phases` slots stepped in turn so input handlers interleave. A deferred room ({@link RoomTicker.deferFor}) costs one
 * comparison per step until due; {@link RoomTicker.add} makes it due again at once.
 */

/** `step` gets the milliseconds since this room's previous step. */
export interface Tickable {
  step(dtMs: number): void;
}

export interface RoomTickerOptions {
  hz: number;
  /** 1 = all rooms each firing. Default 4. */
  phases: number;
  /** Monotonic ms. Default performance.now. */
  now?: () => number;
  /** One room's step threw: the other rooms still step. */
  onError?: (err: unknown, room: Tickable) => void;
  /** Sampled one step in `sampleEvery`. */
  observeStep?: (ms: number) => void;
  /** Default 8: timing every step costs two clock reads per room per tick. */
  sampleEvery: number;
}

interface Entry {
  room: Tickable;
  last: number;
  /** Ticker clock; -Infinity when due. */
  dueAt: number;
  slot: Map<Tickable, Entry>;
}

export class RoomTicker {
  private readonly periodMs: number;
  private readonly phases: number;
  private readonly now: () => number;
  private readonly sampleEvery: number;
  private readonly slots: Array<Map<Tickable, Entry>>;
  private readonly entries = new Map<Tickable, Entry>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private nextAt = 0;
  private nextSlot = 0;
  private nextJoinSlot = 0;
  private counter = 0;
  private readonly totals = { steps: 0, errors: 0 };

  constructor(private readonly options: RoomTickerOptions) {
    if (!(options.hz > 0 && options.hz <= 1000)) throw new RangeError(`RoomTicker hz must be in (0, 1000], got ${options.hz}`);
    this.phases = Math.max(1, Math.floor(options.phases));
    this.periodMs = 1000 / options.hz / this.phases;
    if (this.periodMs < 1)
      throw new RangeError(`RoomTicker fires hz × phases = ${options.hz * this.phases} times a second; keep it at most 1000 (timers have 1 ms resolution)`);
    this.now = options.now ?? (() => performance.now());
    this.sampleEvery = Math.max(1, Math.floor(options.sampleEvery));
    this.slots = Array.from({ length: this.phases }, () => new Map());
  }

  /** Round-robin over the slots; a room already registered keeps its slot and becomes due at once. Returns the remover. */
  add(room: Tickable): () => void {
    let entry = this.entries.get(room);
    if (entry)
      entry.dueAt = -Infinity; // a room is stepped once per period, never twice
    else {
      entry = { room, last: this.now(), dueAt: -Infinity, slot: this.slots[this.nextJoinSlot] };
      this.nextJoinSlot = (this.nextJoinSlot + 1) % this.phases;
      entry.slot.set(room, entry);
      this.entries.set(room, entry);
    }
    const added = entry;
    if (!this.timer) {
      this.nextAt = this.now() + this.periodMs;
      this.schedule();
    }
    return () => {
      if (this.entries.get(room) !== added) return;
      added.slot.delete(room);
      this.entries.delete(room);
      if (this.size === 0) this.halt();
    };
  }

  /** Its next step then gets the whole elapsed time. */
  deferFor(room: Tickable, ms: number): void {
    const entry = this.entries.get(room);
    if (entry) entry.dueAt = this.now() + Math.max(0, ms);
  }

  get size(): number {
    return this.entries.size;
  }

  stats() {
    return { rooms: this.size, ...this.totals };
  }

  stop(): void {
    for (const slot of this.slots) slot.clear();
    this.entries.clear();
    this.halt();
  }

  fire(): void {
    const slot = this.slots[this.nextSlot];
    this.nextSlot = (this.nextSlot + 1) % this.phases;
    const now = this.now();
    for (const entry of slot.values()) if (entry.dueAt <= now) this.stepOne(entry);
  }

  private stepOne(entry: Entry): void {
    const t0 = this.now();
    const dt = t0 - entry.last;
    entry.last = t0;
    this.totals.steps++;
    try {
      entry.room.step(dt);
    } catch (err) {
      this.totals.errors++;
      this.options.onError?.(err, entry.room);
    }
    if (this.options.observeStep && ++this.counter % this.sampleEvery === 0) this.options.observeStep(this.now() - t0);
  }

  /** Fires at start + n·period: timers round to whole milliseconds, a fixed interval would drift the rate. */
  private schedule(): void {
    const timer = setTimeout(
      () => {
        if (this.timer !== timer) return;
        this.fire();
        if (this.timer !== timer) return; // halted (and maybe restarted) by a room added or removed during the firing
        const now = this.now();
        this.nextAt += this.periodMs;
        if (this.nextAt < now - this.periodMs * this.phases) this.nextAt = now + this.periodMs; // a stall: resume, do not burst to catch up
        this.schedule();
      },
      Math.max(0, this.nextAt - this.now()),
    );
    this.timer = timer;
  }

  private halt(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
