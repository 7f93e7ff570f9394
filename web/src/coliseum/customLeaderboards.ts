/**
 * Operator-defined boards (`custom.<slug>`, made in /ops) on the jumbotron. The `coliseum` room streams the
 * fixed boards; a custom board is a view of one of them (a base board, a window, an optional line-up), so
 * the screen reads it from its HTTP route — cached server-side — every `refreshMs`, for the window on
 * screen, and shows it beside the streamed ones (the pager rotates them all).
 */
import { toLeaderboard, type LeaderboardView } from './model.js';

/** Most custom boards one screen shows (the first ones by name); the rest stay reachable through the API. */
export const MAX_CUSTOM_BOARDS = 6;

interface Listing {
  custom?: Array<{ name: string; title: string }>;
}

export class CustomBoards {
  private boards: LeaderboardView[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;
  private generation = 0;

  constructor(
    private readonly onChange: (boards: LeaderboardView[]) => void,
    private readonly refreshMs = 15_000,
  ) {}

  get current(): LeaderboardView[] {
    return this.boards;
  }

  /** Loads the boards for `window` now and then every `refreshMs`; a previous window's answers are dropped. */
  show(window: string): void {
    clearInterval(this.timer);
    const mine = ++this.generation;
    const load = () => void this.load(window, mine);
    load();
    this.timer = setInterval(load, this.refreshMs);
  }

  private async load(window: string, mine: number): Promise<void> {
    const listing = await getJson<Listing>('/api/leaderboards');
    const defined = (listing?.custom ?? []).slice(0, MAX_CUSTOM_BOARDS);
    const answers = await Promise.all(defined.map((b) => getJson<unknown>(`/api/leaderboards/${encodeURIComponent(b.name)}?window=${window}&limit=10`)));
    if (mine !== this.generation) return;
    // A board that failed to load keeps its last rows rather than blinking out.
    const previous = new Map(this.boards.map((b) => [b.id, b]));
    this.boards = defined.map(
      (b, i) => (answers[i] ? toLeaderboard(answers[i], b.name) : null) ?? previous.get(b.name) ?? { id: b.name, title: b.title, entries: [] },
    );
    this.onChange(this.boards);
  }
}

async function getJson<T>(url: string): Promise<T | null> {
  const res = await fetch(url).catch(() => null);
  if (!res?.ok) return null;
  return (await res.json().catch(() => null)) as T | null;
}
