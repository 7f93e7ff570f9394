/**
 * The search tab of /play: artists, genres and eras through GET /api/search as the
 * listener types (with their token, so their taste ranks the results and their stars are marked);
 * tapping a result tunes the dial to that artist's station.
 */
import { $, append, clear, el } from '../shared/dom.js';
import { authedFetch, jsonOf } from './api.js';
import type { DeviceAuth } from './auth.js';

interface SearchResult {
  artist: { id: string; name: string; station: number | null; genres: string[]; era: string };
  inConstellation: boolean;
}

/** Typing pauses this long before a search goes out (one request per word, not per key). */
const DEBOUNCE_MS = 250;
const LIMIT = 8;

export class SearchPanel {
  private readonly input: HTMLInputElement;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** Answers can come back out of order: only the latest query's is shown. */
  private seq = 0;

  constructor(
    private readonly root: HTMLElement,
    private readonly auth: DeviceAuth,
    private readonly tune: (frequency: number, name: string) => void,
  ) {
    this.input = $<HTMLInputElement>('#search-input', root);
    this.input.addEventListener('input', () => this.schedule());
    $<HTMLFormElement>('#search-form', root).addEventListener('submit', (e) => {
      e.preventDefault();
      this.schedule(0);
    });
  }

  focus(): void {
    this.input.focus();
  }

  private schedule(delay = DEBOUNCE_MS): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.run(this.input.value.trim()), delay);
  }

  private async run(q: string): Promise<void> {
    const seq = ++this.seq;
    const status = $('#search-status', this.root);
    if (q.length < 2) {
      status.textContent = q ? 'type at least two letters' : '';
      this.show([]);
      return;
    }
    status.textContent = 'searching…';
    try {
      const answer = await jsonOf<{ results: SearchResult[]; totalResults: number }>(
        await authedFetch(this.auth, `/api/search?q=${encodeURIComponent(q)}&limit=${LIMIT}`),
      );
      if (seq !== this.seq) return;
      status.textContent = answer.results.length ? '' : `nothing found for “${q}”`;
      this.show(answer.results);
    } catch (err) {
      if (seq === this.seq) status.textContent = `search failed: ${(err as Error).message}`;
    }
  }

  private show(results: SearchResult[]): void {
    const list = $('#search-results', this.root);
    clear(list);
    append(list, ...results.map((r) => el('li', {}, this.button(r))));
  }

  /** One result: a button that tunes (an artist with no station is shown but cannot be tuned to). */
  private button(r: SearchResult): HTMLButtonElement {
    const { name, station, genres, era } = r.artist;
    const button = el(
      'button',
      { type: 'button', class: 'result', disabled: station === null, 'data-artist': r.artist.id },
      el('span', { class: 'name' }, name, r.inConstellation ? el('span', { class: 'star', title: 'in your constellation' }, ' ★') : null),
      el('span', { class: 'muted' }, [genres.slice(0, 2).join(', '), era].filter(Boolean).join(' · ')),
      el('span', { class: 'num freq' }, station === null ? 'no station' : `${station.toFixed(1)} MHz`),
    );
    if (station !== null) button.addEventListener('click', () => this.tune(station, name));
    return button;
  }
}
