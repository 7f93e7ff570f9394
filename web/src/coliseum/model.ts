/**
 * Reads the `coliseum` room state defensively into plain view models (pure, unit-tested).
 * Shape (schema/ColiseumState.ts): `leaderboards` map of {leaderboard, title, window, rows: [{rank, previousRank,
 * entityId, name, score, trend, change, changePercent, image}]} and `kpis` map of {label, unit, value,
 * previous}. Arrays instead of maps, `entries` instead of `rows` and similar aliases are accepted. Missing fields render as what exists; unknown extra fields are ignored.
 */

export type Trend = 'up' | 'down' | 'stable' | 'new';

export interface EntryView {
  rank: number;
  previousRank: number | null;
  entityId: string;
  name: string;
  score: number | null;
  trend: Trend | null;
  change: number | null;
  changePercent: number | null;
  /** Artwork served by this server (the artist's processed thumbnail), or null: draw the initials. */
  image: string | null;
}

export interface LeaderboardView {
  id: string;
  title: string;
  entries: EntryView[];
}

export interface KpiView {
  id: string;
  label: string;
  value: number | string | null;
  changePercent: number | null;
  unit: string;
}

export interface ColiseumView {
  window: string | null;
  leaderboards: LeaderboardView[];
  kpis: KpiView[];
}

export const WINDOWS = ['hour', 'day', 'week', '30d', 'all'] as const;
export type WindowName = (typeof WINDOWS)[number];
export const isWindow = (value: unknown): value is WindowName => typeof value === 'string' && (WINDOWS as readonly string[]).includes(value);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | null =>
  typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : null;
const str = (...vs: unknown[]): string | null => {
  for (const v of vs) if (typeof v === 'string' && v !== '') return v;
  return null;
};

/** Entries of a map (object) or an array, with their keys. */
function items(collection: unknown): Array<[string, unknown]> {
  if (Array.isArray(collection)) return collection.map((v, i) => [String(i), v]);
  if (isObj(collection)) return Object.entries(collection);
  return [];
}

const TRENDS: readonly string[] = ['up', 'down', 'stable', 'new'];

export function toEntry(raw: unknown, key: string, index: number): EntryView | null {
  if (!isObj(raw)) return null;
  const entityId = str(raw.entityId, raw.entity_id, raw.id) ?? (/^\d+$/.test(key) ? null : key);
  if (!entityId) return null;
  const previousRank = num(raw.previousRank ?? raw.previous_rank);
  return {
    rank: num(raw.rank) ?? index + 1,
    previousRank: previousRank !== null && previousRank > 0 ? previousRank : null,
    entityId,
    name: str(raw.name, raw.entityName, raw.title) ?? readableId(entityId),
    score: num(raw.score ?? raw.value),
    trend: typeof raw.trend === 'string' && TRENDS.includes(raw.trend) ? (raw.trend as Trend) : null,
    change: num(raw.change),
    changePercent: num(raw.changePercent ?? raw.change_percent),
    image: servedImage(raw.image),
  };
}

/** Only this server's artist images: a screen on a wall fetches nothing from elsewhere. */
function servedImage(v: unknown): string | null {
  return typeof v === 'string' && /^\/api\/artists\/[^/?#]+\/image\/[^/?#]+$/.test(v) ? v : null;
}

export function toLeaderboard(raw: unknown, key: string): LeaderboardView | null {
  if (!isObj(raw)) return null;
  const id = str(raw.id, raw.leaderboard) ?? key;
  const entries = items(raw.entries ?? raw.top ?? raw.rows)
    .map(([k, v], i) => toEntry(v, k, i))
    .filter((e): e is EntryView => e !== null)
    .sort((a, b) => a.rank - b.rank);
  return { id, title: str(raw.title, raw.label, raw.name) ?? humanize(id), entries };
}

export function toKpi(raw: unknown, key: string): KpiView | null {
  if (isObj(raw)) {
    const id = str(raw.id, raw.key, raw.metric) ?? key;
    const value = num(raw.value ?? raw.count ?? raw.total) ?? str(raw.value);
    const changePercent = num(raw.changePercent ?? raw.change_percent ?? raw.change) ?? growthPercent(value, num(raw.previous));
    return { id, label: str(raw.label, raw.title, raw.name) ?? humanize(id), value, changePercent, unit: str(raw.unit) ?? '' };
  }
  const value = num(raw);
  return value === null ? null : { id: key, label: humanize(key), value, changePercent: null, unit: '' };
}

/** Growth vs a previous value (schema/ColiseumState KpiTile.previous; −1 or 0 = not meaningful). */
export function growthPercent(value: number | string | null, previous: number | null): number | null {
  if (typeof value !== 'number' || previous === null || previous <= 0) return null;
  return Math.round(((value - previous) / previous) * 1000) / 10;
}

/** The whole view from `room.state.toJSON()` (or any plain object). */
export function normalizeColiseum(raw: unknown): ColiseumView {
  if (!isObj(raw)) return { window: null, leaderboards: [], kpis: [] };
  const leaderboards = items(raw.leaderboards)
    .map(([k, v]) => toLeaderboard(v, k))
    .filter((b): b is LeaderboardView => b !== null);
  const kpis = items(raw.kpis ?? raw.tiles ?? raw.kpiTiles)
    .map(([k, v]) => toKpi(v, k))
    .filter((k): k is KpiView => k !== null);
  return { window: str(raw.window), leaderboards, kpis };
}

/** An entity the catalog does not name reads as words, not a raw id: "artist_fela_kuti" → "Fela Kuti". */
export function readableId(id: string): string {
  const words = id
    .replace(/^[a-z]+_(?=.)/, '')
    .split(/[_\-.:\s]+/)
    .filter(Boolean);
  return words.length ? words.map((w) => w[0].toUpperCase() + w.slice(1)).join(' ') : id;
}

/** "top_artists" / "topArtists" → "Top artists". */
export function humanize(id: string): string {
  const words = id
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_\-.:]+/g, ' ')
    .trim()
    .toLowerCase();
  return words ? words[0].toUpperCase() + words.slice(1) : id;
}

/** What changed for one entry between two renders (drives the animations). */
export type EntryChange = 'new' | 'rank_up' | 'rank_down' | 'score' | 'none';

export function entryChange(before: EntryView | undefined, after: EntryView): EntryChange {
  if (!before) return 'new';
  if (after.rank < before.rank) return 'rank_up';
  if (after.rank > before.rank) return 'rank_down';
  return before.score !== after.score ? 'score' : 'none';
}

/**
 * A trending board whose every entry is new has no earlier window to compare with: its order is the counts'
 * order, a copy of "Most explored". The jumbotron hides it until growth exists rather than explaining it.
 */
export function lacksPreviousWindow(view: LeaderboardView): boolean {
  return view.id.endsWith('.trending') && view.entries.length > 0 && view.entries.every((e) => e.trend === 'new');
}

/**
 * The trends a board shows: "new" only when it is. A board whose every entry is new has nothing earlier to be
 * new against (the first hour of a window, a fresh system): it shows no marks at all rather than ★ on each row.
 */
export function shownTrends(view: LeaderboardView): LeaderboardView {
  const nothingEarlier = view.entries.length > 0 && view.entries.every((e) => e.trend === 'new');
  return nothingEarlier ? { ...view, entries: view.entries.map((e) => ({ ...e, trend: null })) } : view;
}

/** The most tiles a screen shows: a TV across a room reads six figures at a glance, not eleven. */
export const MAX_TILES = 6;

/** The figures a venue leads with, first first: who is here now and what they are doing, then the day's totals. */
const TILE_ORDER: readonly string[] = [
  'activeSessions',
  'eventsPerMin',
  'capturesToday',
  'visitsToday',
  'votesToday',
  'revenueToday',
  'playsToday',
  'attendanceToday',
  'sessionsToday',
  'transitionsToday',
  'spectators',
];

/**
 * The tiles on screen: only figures with data (a 0, "$0.00" or n/a says nothing to a room), in the venue's order, at
 * most {@link MAX_TILES}. A tile the order does not know comes after those it does.
 */
export function screenTiles(kpis: readonly KpiView[], max = MAX_TILES): KpiView[] {
  const rank = (id: string) => (TILE_ORDER.includes(id) ? TILE_ORDER.indexOf(id) : TILE_ORDER.length);
  return kpis
    .filter((k) => (typeof k.value === 'number' ? k.value > 0 : k.value !== null && k.value !== ''))
    .sort((a, b) => rank(a.id) - rank(b.id))
    .slice(0, max);
}
