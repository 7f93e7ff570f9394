/**
 * One background pass at a time: the first at `start()`, the next `everyMs` after a pass ends, or at once when the pass
 * asks for more (it returned true) or `kick()` came while it ran. A failed pass is reported and the loop goes on.
 */
export abstract class PollLoop {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private started = false;
  /** Set by stop(): a pass in flight may end early. */
  protected stopped = false;

  constructor(
    private readonly everyMs: number,
    private readonly onError: (err: Error) => void,
  ) {}

  /** One pass; true asks for the next at once. */
  abstract pass(): Promise<unknown>;

  start(): void {
    this.started = true;
    this.stopped = false;
    this.schedule(0);
  }

  /** Runs a pass now (or right after the one running). */
  kick(): void {
    if (!this.started || this.stopped) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.round().finally(() => (this.running = null));
    }, delayMs);
    this.timer.unref();
  }

  private async round(): Promise<void> {
    let more = false;
    try {
      more = (await this.pass()) === true;
    } catch (err) {
      this.onError(err as Error);
    }
    const soon = more || this.again;
    this.again = false;
    this.schedule(soon ? 0 : this.everyMs);
  }
}
