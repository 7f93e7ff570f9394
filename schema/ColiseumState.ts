import { schema, t, type SchemaType } from '@colyseus/schema';

/**
 * One leaderboard row, at index rank − 1 of `LeaderboardView.rows`, updated field by field so a tick where only a
 * score moved patches only that score.
 */
export const LeaderboardRow = schema(
  {
    rank: t.uint16().default(0),
    /** Rank in the previous window; 0 = not ranked there (trend "new"). */
    previousRank: t.uint16().default(0),
    entityId: t.string().default(''),
    /** Display name; empty when none is known yet (show the entity id). */
    name: t.string().default(''),
    score: t.number().default(0),
    /** up | down | stable | new. */
    trend: t.string().default('new'),
    /** Rank positions gained (previousRank − rank); on trending leaderboards, the count gained. */
    change: t.int32().default(0),
    /** Score growth vs the previous window, percent, one decimal. */
    changePercent: t.float32().default(0),
    /** The thumbnail of the row's artist (a track's artist, an orb transition's destination); empty when none (draw the initials). */
    image: t.string().default(''),
  },
  'LeaderboardRow',
);
export type LeaderboardRow = SchemaType<typeof LeaderboardRow>;

/** One leaderboard as a spectator sees it: the top N of `leaderboard` in `window`. */
export const LeaderboardView = schema(
  {
    leaderboard: t.string().default(''),
    title: t.string().default(''),
    window: t.string().default('day'),
    rows: t.array(LeaderboardRow),
    /** Server time (ms) of the last change to `rows`. */
    updatedAt: t.float64().default(0),
  },
  'LeaderboardView',
);
export type LeaderboardView = SchemaType<typeof LeaderboardView>;

/** A KPI tile ("🎵 PLAYS 12,450"): `previous` is yesterday's whole-day value, −1 when not meaningful. */
export const KpiTile = schema(
  {
    label: t.string().default(''),
    unit: t.string().default(''),
    value: t.number().default(0),
    previous: t.number().default(-1),
  },
  'KpiTile',
);
export type KpiTile = SchemaType<typeof KpiTile>;

/** What a coliseum room streams: the leaderboards its spectators asked for (keyed by leaderboard name) and the KPI tiles. */
export const ColiseumState = schema(
  {
    window: t.string().default('day'),
    leaderboards: t.map(LeaderboardView),
    kpis: t.map(KpiTile),
  },
  'ColiseumState',
);
export type ColiseumState = SchemaType<typeof ColiseumState>;
