/**
 * Capturing as a moment the listener feels: the button says whether this artist is already a star ("Captured ✓",
 * disabled), the count reads "1 star" / "4 stars" and pulses, and on a phone, where the constellation sits below
 * the fold, the map comes up into the corner of the stage while the new star flies in, then goes back. Also the
 * stage's short notices (the end of the band).
 */
import { el } from '../shared/dom.js';

/** How long the map stays in the stage's corner after a capture on a phone (the fly-in takes 1.2 s). */
const PICTURE_IN_PICTURE_MS = 3500;
const NOTICE_MS = 3000;

/** "star" for one, "stars" for any other count. */
export function starsWord(n: number): string {
  return n === 1 ? 'star' : 'stars';
}

export class CaptureMoment {
  private pipTimer: ReturnType<typeof setTimeout> | undefined;
  private noticeTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly notice: HTMLElement;

  constructor(
    private readonly button: HTMLButtonElement,
    private readonly count: HTMLElement,
    private readonly map: HTMLElement,
    private readonly stage: HTMLElement,
  ) {
    this.notice = el('div', { class: 'stage-notice', role: 'status', 'aria-live': 'polite', hidden: '' });
    stage.append(this.notice);
  }

  /** A capture pressed and not yet answered, with the artist it is for. */
  private waiting: { artistId: string; offline: boolean } | null = null;

  get pending(): boolean {
    return this.waiting !== null;
  }

  /**
   * A capture was pressed: the button says so until the server answers. With no connection (a server restart)
   * the capture waits in the client and goes when the session is back: the listener is told it is kept.
   */
  capturing(artistId: string, offline: boolean): void {
    this.waiting = { artistId, offline };
    this.paintWaiting();
    if (offline) this.say('Capture kept: it is sent as soon as the connection is back', 'pending');
  }

  /** The connection came back or went: a waiting capture's words follow it. */
  connection(up: boolean): void {
    if (!this.waiting || this.waiting.offline === !up) return;
    this.waiting.offline = !up;
    this.paintWaiting();
  }

  /** The capture was answered (captured, or refused with an error): the button shows the station again. */
  settled(): void {
    this.waiting = null;
    this.button.classList.remove('pending');
    this.button.removeAttribute('aria-busy');
  }

  private paintWaiting(): void {
    const label = this.waiting?.offline ? '★ Waiting to send…' : '★ Capturing…';
    this.button.textContent = label;
    this.button.disabled = true;
    this.button.classList.add('pending');
    this.button.setAttribute('aria-busy', 'true');
  }

  /** The button for the station on screen: "Captured ✓" and disabled when its artist is already a star. */
  showStation(artistId: string, isStar: boolean): void {
    if (this.waiting) return;
    const captured = artistId !== '' && isStar;
    const label = captured ? 'Captured ✓' : '★ Capture';
    if (this.button.textContent !== label) this.button.textContent = label;
    this.button.disabled = captured;
    this.button.classList.toggle('captured', captured);
    this.button.title = captured ? 'This artist is already a star in your constellation' : 'Capture this artist (C)';
  }

  /** The number of stars, with the right plural ("1 star"). */
  showCount(n: number): void {
    const [number, word] = [this.count.querySelector('#total-stars'), this.count.querySelector('#stars-word')];
    if (number && number.textContent !== String(n)) number.textContent = String(n);
    if (word && word.textContent !== starsWord(n)) word.textContent = starsWord(n);
  }

  /** A new star: the count and the map pulse; where the map is off screen it comes into view for the fly-in. */
  captured(n: number): void {
    this.showCount(n);
    pulse(this.count);
    pulse(this.map);
    if (!this.map.isConnected || this.map.offsetParent === null || inViewport(this.map)) return;
    // Into the stage's corner, under the header and the dial (the frequency and the inbox stay readable).
    document.body.style.setProperty('--pip-top', `${Math.max(12, Math.round(this.stage.getBoundingClientRect().top + 10))}px`);
    document.body.classList.add('capture-pip');
    clearTimeout(this.pipTimer);
    this.pipTimer = setTimeout(() => document.body.classList.remove('capture-pip'), PICTURE_IN_PICTURE_MS);
  }

  /** A short message over the stage (e.g. the end of the band), gone after a few seconds. */
  say(text: string, kind = 'info'): void {
    this.notice.textContent = text;
    this.notice.className = `stage-notice ${kind}`;
    this.notice.hidden = false;
    pulse(this.notice);
    clearTimeout(this.noticeTimer);
    this.noticeTimer = setTimeout(() => (this.notice.hidden = true), NOTICE_MS);
  }
}

function pulse(node: HTMLElement): void {
  node.classList.remove('pulse');
  void node.offsetWidth; // restart the animation
  node.classList.add('pulse');
}

function inViewport(node: HTMLElement): boolean {
  const r = node.getBoundingClientRect();
  return r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth;
}
