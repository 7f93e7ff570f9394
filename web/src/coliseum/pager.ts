/**
 * The TV layout of the jumbotron: the page never scrolls, so when the boards do not all fit the screen
 * they are shown a page at a time and the pages rotate. On a TV the boards flow down columns (CSS multi-column):
 * a short board leaves room under it for the next one, so a page of short boards fills the screen instead of
 * leaving its lower half empty, and a short board from a later page moves up into room a page would leave empty
 * (under a 10-row board on a 1080p TV, a one-row board still fits). On narrow screens (phones, tablets) every board is shown and the page scrolls
 * as usual. Empty boards are hidden by their panels and take no part.
 */
const TV = '(min-width: 1000px) and (min-height: 600px)';

export class BoardPager {
  private page = 0;
  private readonly media = matchMedia(TV);
  /** The last pagination and what it was computed for (board ids and heights, screen size): most updates change neither. */
  private cached: { key: string; pages: HTMLElement[][] } | null = null;
  /** A board with a moment on screen: its page stays, whatever the pagination becomes, until the next turn. */
  private pinned: string | null = null;
  private rotation: ReturnType<typeof setInterval>;

  constructor(
    private readonly container: HTMLElement,
    private readonly indicator: HTMLElement,
    private readonly rotateMs = 12_000,
  ) {
    this.media.addEventListener('change', () => this.layout());
    addEventListener('resize', () => this.layout());
    // Cinzel arriving changes the titles' height.
    void document.fonts?.ready.then(() => this.layout());
    this.rotation = setInterval(() => this.next(), rotateMs);
  }

  /** Shows the next page (the first after the last), or the previous one with `step` −1. */
  next(step = 1): void {
    this.pinned = null;
    this.page += step;
    this.layout();
  }

  /**
   * Turns to the page that holds this board (a moment on it) and gives that page a whole turn: a rotation due a
   * moment later, or an update that paginates again, must not take the board away while its moment shows.
   */
  reveal(board: string): void {
    if (!this.media.matches) return;
    this.pinned = board;
    clearInterval(this.rotation);
    this.rotation = setInterval(() => this.next(), this.rotateMs);
    this.layout();
  }

  /** Shows the current page; call after boards were added, removed or hidden. */
  layout(): void {
    const boards = [...this.container.children].filter((b): b is HTMLElement => b instanceof HTMLElement && !b.hidden);
    for (const board of boards) {
      board.classList.remove('off-page');
      board.style.removeProperty('--row-scale');
      board.style.removeProperty('--row-spread');
    }
    for (const row of this.container.querySelectorAll('.below-fold')) row.classList.remove('below-fold');
    this.container.classList.toggle('stacked', this.media.matches);
    this.container.style.removeProperty('column-count');
    const pages = this.media.matches ? this.pagesOf(boards) : [boards];
    // The DOM in page order: a page's boards flow into its columns in the order they were packed.
    if (pages.length > 1) for (const board of pages.flat()) this.container.appendChild(board);
    const pinnedAt = pages.findIndex((p) => p.some((b) => b.dataset.leaderboard === this.pinned));
    if (pinnedAt >= 0) this.page = pinnedAt;
    this.page = ((this.page % pages.length) + pages.length) % pages.length;
    const shown = pages[this.page];
    for (const board of boards) board.classList.toggle('off-page', !shown.includes(board));
    if (this.media.matches) {
      // The page's boards get the whole width: as many columns as they fill, no empty column on the right.
      this.container.style.columnCount = String(Math.max(1, new Set(shown.map((b) => Math.round(b.getBoundingClientRect().left))).size));
      for (const board of shown) fitRows(board);
      this.fillPage(shown);
    }
    this.container.dataset.pages = String(pages.length);
    this.container.dataset.page = String(this.page + 1);
    this.indicator.textContent = pages.length > 1 ? `${this.page + 1} / ${pages.length}` : '';
    this.indicator.hidden = pages.length === 1;
  }

  /** The pagination of `boards`, computed again only when a board, its height or the screen changed. */
  private pagesOf(boards: HTMLElement[]): HTMLElement[][] {
    const key = `${innerWidth}x${innerHeight}|${boards.map((b) => `${b.dataset.leaderboard}:${b.offsetHeight}`).join(',')}`;
    if (this.cached?.key !== key) this.cached = { key, pages: this.paginate(boards) };
    this.container.style.columnCount = String(this.columns);
    return this.cached.pages;
  }

  private columns = 1;
  /** The row scale that filled each page, by pagination and page: found once, not on every update. */
  private filled = new Map<string, number>();

  /**
   * A page whose boards leave the foot of the screen empty gets larger rows, a step at a time, as large as still
   * fits (no board cut, none pushed into a column past the right edge): a TV fills its screen from across the room.
   */
  private fillPage(shown: HTMLElement[]): void {
    if (!shown.length || shown.some((b) => b.style.getPropertyValue('--row-scale') !== '')) return;
    const key = `${this.cached?.key}|${this.page}`;
    const known = this.filled.get(key);
    const right = this.container.getBoundingClientRect().right - parseFloat(getComputedStyle(this.container).paddingRight) + 1;
    const apply = (scale: number) => {
      for (const b of shown) b.style.setProperty('--row-scale', String(scale));
    };
    const fits = () => shown.every((b) => !overflows(b) && b.getBoundingClientRect().left < right);
    let chosen = 1;
    for (const scale of known !== undefined ? [known] : FILL_SCALES) {
      if (scale === 1) break;
      apply(scale);
      if (fits()) {
        chosen = scale;
        break;
      }
    }
    if (chosen === 1) for (const b of shown) b.style.removeProperty('--row-scale');
    this.filled.set(key, chosen);
    if (this.filled.size > 64) this.filled.delete(this.filled.keys().next().value!);
    this.spreadRows(shown, fits);
  }

  /**
   * What larger rows could not fill (a wrapped name would not fit one step up) is shared out as room between the
   * rows of each column, a few px a row at most, so the boards reach down to the foot of the screen.
   */
  private spreadRows(shown: HTMLElement[], fits: () => boolean): void {
    const bottom = this.container.getBoundingClientRect().bottom - parseFloat(getComputedStyle(this.container).paddingBottom) - 4;
    const columns = new Map<number, HTMLElement[]>();
    for (const b of shown) {
      const left = Math.round(b.getBoundingClientRect().left);
      columns.set(left, [...(columns.get(left) ?? []), b]);
    }
    for (const boards of columns.values()) {
      const lowest = Math.max(...boards.map((b) => b.getBoundingClientRect().bottom));
      const rows = boards.reduce((n, b) => n + b.querySelectorAll('.entry').length, 0);
      const extra = Math.min(MAX_ROW_SPREAD_PX, Math.floor((bottom - lowest) / Math.max(1, rows)));
      if (extra >= 2) for (const b of boards) b.style.setProperty('--row-spread', `${extra}px`);
    }
    if (!fits()) for (const b of shown) b.style.removeProperty('--row-spread');
  }

  /**
   * The boards in pages: each page is what flows into the screen's columns. A page takes the boards in display
   * order while they land inside the screen, and any later board that still does, placed after the page's boards
   * or between two of them (a short one fits under a tall one); the rest start the next page. Columns: as many as the minimum board width (`--board-min`) allows,
   * fewer while a board's rows would not fit its height (a wider board wraps its names on fewer lines), down to one.
   */
  private paginate(boards: HTMLElement[]): HTMLElement[][] {
    const style = getComputedStyle(this.container);
    const gap = parseFloat(style.columnGap) || 0;
    const min = parseFloat(style.getPropertyValue('--board-min')) || 420;
    let columns = Math.max(1, Math.floor((this.container.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) + gap) / (min + gap)));
    this.container.style.columnCount = String(columns);
    while (columns > 1 && boards.some(overflows)) this.container.style.columnCount = String(--columns);
    this.columns = columns;
    const right = this.container.getBoundingClientRect().right - parseFloat(style.paddingRight) + 1;
    const pages: HTMLElement[][] = [];
    let rest = boards;
    const fits = (order: HTMLElement[]): boolean => {
      // Lay out these boards in this order, every other board out of the flow: none may land past the right edge.
      for (const b of boards) b.classList.toggle('off-page', !order.includes(b));
      for (const b of order) this.container.appendChild(b);
      return order.every((b) => b.getBoundingClientRect().left < right);
    };
    while (rest.length > 0) {
      let page = [rest[0]];
      for (const candidate of rest.slice(1)) {
        // After the page's boards, else between two of them: the columns flow in order, so a short board fills
        // the foot of an earlier column only when it comes before the board that opens the next one.
        for (let at = page.length; at >= 1; at--) {
          const order = [...page.slice(0, at), candidate, ...page.slice(at)];
          if (!fits(order)) continue;
          page = order;
          break;
        }
      }
      pages.push(page);
      rest = rest.filter((b) => !page.includes(b));
    }
    for (const b of boards) b.classList.remove('off-page');
    return pages.length ? pages : [[]];
  }
}

const overflows = (board: HTMLElement): boolean => board.scrollHeight > board.clientHeight + 1;

/** Larger rows for a page that leaves the screen's foot empty, largest first (1: as they are). */
const FILL_SCALES = [1.4, 1.3, 1.2, 1.12, 1.06, 1];
/** Room added between rows at most (px), for what larger rows could not fill. */
const MAX_ROW_SPREAD_PX = 14;

/** Smaller row text, a step at a time, for a board whose rows do not all fit; never below this share of the full size. */
const ROW_SCALES = [0.92, 0.85, 0.78];

/**
 * A board's rows at the largest size at which they all fit (long names wrap onto more lines than the screen has);
 * when none does, its rows that would be cut are hidden whole.
 */
function fitRows(board: HTMLElement): void {
  for (const scale of ROW_SCALES) {
    if (!overflows(board)) return;
    board.style.setProperty('--row-scale', String(scale));
  }
  hideRowsBelowFold(board);
}

/** Rows that would be cut by the board's lower edge are hidden whole (the CSV and PNG chips have them all). */
function hideRowsBelowFold(board: HTMLElement): void {
  if (!overflows(board)) return;
  const bottom = board.getBoundingClientRect().bottom - parseFloat(getComputedStyle(board).paddingBottom);
  for (const row of board.querySelectorAll<HTMLElement>('.entry')) if (row.getBoundingClientRect().bottom > bottom) row.classList.add('below-fold');
}
