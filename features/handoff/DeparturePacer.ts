import type { BackplaneChannel } from '../../persistence/backplane/Backplane.js';

export interface DeparturePacerOptions {
  /** Sessions told to move and not yet reported resumed elsewhere, at most (HANDOFF_MOVES_IN_FLIGHT; 0: unpaced). */
  inFlight: number;
  /** A moved session not reported resumed within this frees its place (HANDOFF_ARRIVAL_WAIT_MS). */
  arrivalWaitMs: number;
  /** From the drain's first departure: past it every session still waiting goes at once (half the shutdown budget). */
  maxPacedMs: number;
}

export interface Departure {
  /** Sessions in flight when this one went (the client's retry delay spreads over them). */
  readonly inFlight: number;
  /** Its client was told to move from `roomId`: the place frees when the session is resumed elsewhere. */
  moved(roomId: string): void;
  /** It did not move (no client any more, a failure): the place frees now. */
  cancel(): void;
}

export interface PacerTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const REAL_TIMERS: PacerTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * Paces a draining process's sessions out as fast as the others take them over (moved all at once, each waited for the
 * whole wave: 2–5 s for 300). At most `inFlight` are between `moving` and the `handoff:arrived` report. Never stalls:
 * a place frees after `arrivalWaitMs`; with no report by then pacing stops; past `maxPacedMs` the rest go at once.
 */
export class DeparturePacer {
  private readonly waiting: Array<() => void> = [];
  /** Moved sessions not yet reported, by the room they left: the timer that frees the place anyway. */
  private readonly awaiting = new Map<string, unknown>();
  private inFlightNow = 0;
  private arrivals = 0;
  private paced: boolean;
  private listening: Promise<void> | null = null;
  private budget: unknown = null;

  constructor(
    private readonly channel: BackplaneChannel | null,
    private readonly options: DeparturePacerOptions,
    private readonly onStop: (reason: string) => void = () => undefined,
    private readonly timers: PacerTimers = REAL_TIMERS,
  ) {
    this.paced = channel !== null && options.inFlight > 0;
  }

  /** Waits for this session's place (at once when unpaced). */
  async turn(): Promise<Departure> {
    if (this.paced && !this.listening) this.startDrain();
    await this.listening;
    if (this.paced && this.inFlightNow >= this.options.inFlight) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.inFlightNow++;
    return this.departure();
  }

  /** A session that left `roomId` (on any process) was resumed: its place on that process frees. */
  arrived(roomId: string): void {
    this.channel?.publish(roomId);
  }

  stats(): { inFlight: number; waiting: number; arrivals: number; paced: boolean } {
    return { inFlight: this.inFlightNow, waiting: this.waiting.length, arrivals: this.arrivals, paced: this.paced };
  }

  private startDrain(): void {
    this.budget = this.timers.setTimeout(() => this.stopPacing(`the drain's pacing budget (${this.options.maxPacedMs} ms) passed`), this.options.maxPacedMs);
    this.listening = this.channel!.subscribe((roomId) => this.heard(roomId)).catch((err: Error) =>
      this.stopPacing(`arrivals cannot be heard (${err.message})`),
    );
  }

  private departure(): Departure {
    let done = false;
    return {
      inFlight: this.inFlightNow,
      moved: (roomId) => {
        if (done) return;
        done = true;
        if (!this.paced) return this.free();
        const timer = this.timers.setTimeout(() => this.unreported(roomId), this.options.arrivalWaitMs);
        this.awaiting.set(roomId, timer);
      },
      cancel: () => {
        if (done) return;
        done = true;
        this.free();
      },
    };
  }

  private heard(roomId: string): void {
    const timer = this.awaiting.get(roomId);
    if (timer === undefined) return; // another process's session
    this.arrivals++;
    this.timers.clearTimeout(timer);
    this.awaiting.delete(roomId);
    this.free();
  }

  private unreported(roomId: string): void {
    if (!this.awaiting.delete(roomId)) return;
    if (this.arrivals === 0) this.stopPacing(`no arrival reported within ${this.options.arrivalWaitMs} ms`);
    this.free();
  }

  private free(): void {
    this.inFlightNow--;
    this.waiting.shift()?.();
  }

  private stopPacing(reason: string): void {
    if (!this.paced) return;
    this.paced = false;
    if (this.budget !== null) this.timers.clearTimeout(this.budget);
    for (const timer of this.awaiting.values()) this.timers.clearTimeout(timer);
    const unreported = this.awaiting.size;
    this.awaiting.clear();
    this.inFlightNow -= unreported;
    for (const next of this.waiting.splice(0)) next();
    this.onStop(reason);
  }
}
