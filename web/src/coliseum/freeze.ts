/**
 * "Paused — reconnecting": what a room sees when the figures on screen stop being live. Either the connection
 * dropped (the page is reconnecting), or it is open and the server answers nothing (a stalled process: a ping every
 * few seconds goes unanswered). The last figures stay on screen; a banner across it says they are paused and since
 * when, large enough to read across a room, until the figures are live again.
 */
import { el } from '../shared/dom.js';

/** How often the open connection is asked for a pong, and how long without one freezes the screen. */
const PING_MS = 3000;
const STALE_MS = 9000;
/** A drop shorter than this (a handoff to another process) shows nothing. */
const GRACE_MS = 1500;

export interface Pingable {
  ping(callback: (ms: number) => void): void;
}

export class FreezeBanner {
  private readonly root: HTMLElement;
  private readonly since: HTMLElement;
  private up = false;
  private lastPong = 0;
  private lastUpdate = 0;
  private downTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    parent: HTMLElement,
    private readonly room: () => Pingable | null,
    private readonly now: () => number = Date.now,
  ) {
    this.since = el('span', { class: 'since' });
    this.root = el('div', { id: 'paused', class: 'paused', role: 'alert', hidden: '' }, el('strong', {}, 'Paused — reconnecting'), this.since);
    parent.prepend(this.root);
    setInterval(() => this.check(), PING_MS);
  }

  /** The connection is up (joined) or not (dropped, reconnecting, offline). */
  connection(up: boolean): void {
    this.up = up;
    if (!up) {
      // Retries report "down" again every few hundred ms: restarting the grace each time would never show the banner.
      this.downTimer ??= setTimeout(() => {
        this.downTimer = null;
        if (!this.up) this.show(true);
      }, GRACE_MS);
      return;
    }
    if (this.downTimer) clearTimeout(this.downTimer);
    this.downTimer = null;
    this.lastPong = this.now();
    this.show(false);
  }

  /** New figures arrived: the time the banner gives for the figures on screen. */
  updated(): void {
    this.lastUpdate = this.now();
    this.lastPong = this.lastUpdate;
    if (this.up) this.show(false);
  }

  private check(): void {
    const room = this.room();
    if (!this.up || !room) return;
    room.ping(() => {
      this.lastPong = this.now();
      if (this.up) this.show(false);
    });
    if (this.now() - this.lastPong > STALE_MS) this.show(true);
  }

  private show(paused: boolean): void {
    if (paused) {
      const at = this.lastUpdate || this.lastPong;
      this.since.textContent = at ? `Figures as of ${new Date(at).toLocaleTimeString('en-GB', { hour12: false })}` : '';
    }
    this.root.hidden = !paused;
    document.body.classList.toggle('is-paused', paused);
  }
}
