/**
 * The TV layout of the jumbotron: the page never scrolls, so when the boards do not all fit the screen
 * they are shown a page at a time (one row of boards, in display order) and the pages rotate. On narrow
 * screens (phones, tablets) every board is shown and the page scrolls as usual.
 */
const TV = '(min-width: 1000px) and (min-height: 600px)';

export class BoardPager {
  private page = 0;
  private readonly media = matchMedia(TV);

  constructor(
    private readonly container: HTMLElement,
    private readonly indicator: HTMLElement,
    rotateMs = 12_000,
  ) {
    this.media.addEventListener('change', () => this.layout());
    addEventListener('resize', () => this.layout());
    setInterval(() => this.next(), rotateMs);
  }

  /** Shows the next page (the first after the last). */
  next(): void {
    this.page++;
    this.layout();
  }

  /** Measures how many boards fit and shows the current page; call after boards were added, removed or hidden. */
  layout(): void {
    const boards = [...this.container.children].filter((b): b is HTMLElement => b instanceof HTMLElement && !b.hidden);
    for (const board of boards) board.classList.remove('off-page');
    const perPage = this.media.matches ? this.fitting(boards) : boards.length;
    const pages = Math.max(1, Math.ceil(boards.length / Math.max(1, perPage)));
    this.page %= pages;
    boards.forEach((board, i) => board.classList.toggle('off-page', Math.floor(i / perPage) !== this.page));
    this.container.dataset.pages = String(pages);
    this.container.dataset.page = String(this.page + 1);
    this.indicator.textContent = pages > 1 ? `${this.page + 1} / ${pages}` : '';
    this.indicator.hidden = pages === 1;
  }

  /** How many boards share the first row (the CSS gives each row the container's height: one row per page). */
  private fitting(boards: HTMLElement[]): number {
    const top = boards[0]?.getBoundingClientRect().top ?? 0;
    return Math.max(1, boards.filter((board) => board.getBoundingClientRect().top < top + 1).length);
  }
}
