/**
 * The TV layout of the jumbotron: the page never scrolls, so when the boards do not all fit the screen
 * they are shown a page at a time (one row of boards, in display order) and the pages rotate. On narrow
 * screens (phones, tablets) every board is shown and the page scrolls as usual. While any board has rows, a
 * TV leaves the empty ones out of the rotation.
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
    // Cinzel arriving changes the titles' height.
    void document.fonts?.ready.then(() => this.layout());
    setInterval(() => this.next(), rotateMs);
  }

  /** Shows the next page (the first after the last). */
  next(): void {
    this.page++;
    this.layout();
  }

  /**
   * Shows the current page; call after boards were added, removed or hidden. On a TV the boards of a page
   * share one row as tall as the screen allows: the row holds as many boards as the grid's minimum width
   * allows, fewer when a board's rows would not fit its height (a wider board wraps its names on fewer lines),
   * down to one board a page. A board that overflows even alone shows only its rows that fit whole.
   */
  layout(): void {
    const all = [...this.container.children].filter((b): b is HTMLElement => b instanceof HTMLElement && !b.hidden);
    for (const board of all) board.classList.remove('off-page');
    // A TV rotates the boards that have rows: a page holding only "No entries yet" would blank the screen for a turn.
    const withRows = all.filter((b) => !b.classList.contains('is-empty'));
    const boards = this.media.matches && withRows.length > 0 ? withRows : all;
    for (const board of all) if (!boards.includes(board)) board.classList.add('off-page');
    for (const row of this.container.querySelectorAll('.below-fold')) row.classList.remove('below-fold');
    for (const board of all) board.style.removeProperty('--row-scale');
    this.container.style.gridTemplateColumns = '';
    const perPage = this.media.matches ? this.columnsThatFit(boards) : boards.length;
    const pages = Math.max(1, Math.ceil(boards.length / Math.max(1, perPage)));
    this.page %= pages;
    boards.forEach((board, i) => board.classList.toggle('off-page', Math.floor(i / perPage) !== this.page));
    if (this.media.matches) for (const board of boards) if (!board.classList.contains('off-page')) fitRows(board);
    this.container.dataset.pages = String(pages);
    this.container.dataset.page = String(this.page + 1);
    this.indicator.textContent = pages > 1 ? `${this.page + 1} / ${pages}` : '';
    this.indicator.hidden = pages === 1;
  }

  /** Boards per row: as many as share the first row at the grid's minimum width, fewer while one overflows. */
  private columnsThatFit(boards: HTMLElement[]): number {
    const top = boards[0]?.getBoundingClientRect().top ?? 0;
    let columns = Math.max(1, boards.filter((board) => board.getBoundingClientRect().top < top + 1).length);
    // Every board is laid out at once here (none is off-page yet), so one measurement covers every page.
    while (columns > 1 && boards.some(overflows)) {
      columns--;
      this.container.style.gridTemplateColumns = `repeat(${columns}, minmax(0, 1fr))`;
    }
    return columns;
  }
}

const overflows = (board: HTMLElement): boolean => board.scrollHeight > board.clientHeight + 1;

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
