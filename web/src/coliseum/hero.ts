/**
 * A board's new leader as a moment on the big screen: a card over the jumbotron ("New #1 · Most explored
 * artists", the artwork, the name, whom it overtook) for a few seconds while the board's top row glows. Moments
 * queue (one at a time, at most a few waiting); a first render or a window switch is no moment (nothing was
 * overtaken). Under prefers-reduced-motion the card appears and goes without moving.
 */
import { $, el } from '../shared/dom.js';
import { paintArt } from './leaderboardPanel.js';
import type { EntryView } from './model.js';

export interface LeaderMoment {
  board: string;
  title: string;
  leader: EntryView;
  /** Who led before (null: the board had no rows). */
  previous: EntryView | null;
  /** The leader's figure as the board shows it. */
  score: string;
}

const SHOW_MS = 5000;
const MAX_WAITING = 3;

export class HeroMoments {
  private readonly root: HTMLElement;
  private readonly queue: LeaderMoment[] = [];
  private busy = false;
  private shown = 0;

  constructor(
    host: HTMLElement,
    /** Brings the board on screen (its page of the rotation). */
    private readonly reveal: (board: string) => void,
  ) {
    this.root = el(
      'div',
      { id: 'hero', class: 'hero', role: 'status', 'aria-live': 'assertive', hidden: '' },
      el(
        'div',
        { class: 'hero-card' },
        el('span', { class: 'art hero-art', 'aria-hidden': 'true' }),
        el('div', { class: 'hero-text' }, el('p', { class: 'kicker' }), el('p', { class: 'hero-name' }), el('p', { class: 'detail' })),
      ),
    );
    host.append(this.root);
  }

  announce(moment: LeaderMoment): void {
    // The same board changing again while waiting: only its latest leader is worth a moment.
    const same = this.queue.findIndex((m) => m.board === moment.board);
    if (same >= 0) this.queue.splice(same, 1);
    this.queue.push(moment);
    while (this.queue.length > MAX_WAITING) this.queue.shift();
    if (!this.busy) this.next();
  }

  private next(): void {
    const moment = this.queue.shift();
    if (!moment) {
      this.busy = false;
      this.root.hidden = true;
      return;
    }
    this.busy = true;
    this.reveal(moment.board);
    paintArt($('.hero-art', this.root), moment.board, moment.leader);
    $('.kicker', this.root).textContent = `${moment.previous ? 'New #1' : 'First #1'} · ${moment.title}`;
    $('.hero-name', this.root).textContent = moment.leader.name;
    $('.detail', this.root).textContent = moment.previous
      ? `${moment.score} · takes the lead from ${moment.previous.name}`
      : `${moment.score} · leads the board`;
    this.root.dataset.board = moment.board;
    this.root.hidden = false;
    // Restart the entrance (a moment right after another).
    this.root.classList.remove('play');
    void this.root.offsetWidth;
    this.root.classList.add('play');
    document.body.dataset.moments = String(++this.shown);
    setTimeout(() => this.next(), SHOW_MS);
  }
}
