/**
 * A quiet connection indicator for a page on a room: nothing to see while connected; a small pill while
 * the session moves, reconnects or is offline (only once that lasts past `graceMs`, so a quick handoff
 * shows nothing); "session closed" stays. The element keeps its `status <kind>` class (the browser tests
 * wait for `#status.connected` / `#status.live`): connected only fades it out (`quiet`).
 */
export type PillState = 'connecting' | 'connected' | 'moving' | 'reconnecting' | 'offline' | 'closed';

export interface PillOptions {
  /** The class the element gets while connected (play: `connected`, coliseum: `live`). */
  connectedClass?: string;
  /** A state other than connected/closed shows only after this long. Default 400 ms. */
  graceMs?: number;
}

const TEXT: Record<PillState, string> = {
  connecting: 'connecting…',
  connected: 'live',
  moving: 'moving…',
  reconnecting: 'reconnecting…',
  offline: 'offline · retrying',
  closed: 'session closed',
};

export class ConnectionPill {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly connectedClass: string;
  private readonly graceMs: number;
  state: PillState = 'connecting';

  constructor(
    private readonly el: HTMLElement,
    options: PillOptions = {},
  ) {
    this.connectedClass = options.connectedClass ?? 'connected';
    this.graceMs = options.graceMs ?? 400;
    el.setAttribute('role', 'status');
    el.setAttribute('aria-live', 'polite');
  }

  show(state: PillState, detail?: string): void {
    const wasQuiet = this.state === 'connected';
    this.state = state;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (state === 'connected' || state === 'closed' || !wasQuiet) return this.paint(state, detail);
    // Still connected on screen: a handoff that is over within the grace period is never seen.
    this.timer = setTimeout(() => this.paint(state, detail), this.graceMs);
  }

  private paint(state: PillState, detail?: string): void {
    const kind = state === 'connected' ? this.connectedClass : state === 'connecting' ? 'reconnecting' : state;
    this.el.className = `status ${kind}${state === 'connected' ? ' quiet' : ''}`;
    this.el.dataset.state = state;
    this.el.textContent = TEXT[state];
    this.el.title = detail ?? '';
  }
}
