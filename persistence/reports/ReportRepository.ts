/**
 * The reads behind a Coliseum report: one subject over a time range, from the passport and the rollups. Every read is
 * an indexed range and bounded.
 */
import { textArrayLiteral, type Sql } from '../db.js';
import { genresOf } from '../catalog/CatalogRepository.js';
import type { ReportType } from '../../systems/reports/reportTypes.js';
import type { ReportMetrics } from '../../systems/reports/reportData.js';

/** The passport rows of a subject, and the parameters its `?` take. */
const FILTERS: Record<ReportType, { sql: string; bind: (s: Subject) => unknown[] }> = {
  artist: { sql: `(e.payload->>'artistId') = ?`, bind: (s) => [s.id] },
  event: { sql: `(e.payload->>'eventId') = ?`, bind: (s) => [s.id] },
  // Without case, as a tournament's cities: "lagos" is the Lagos the boards count.
  city: { sql: `(lower(e.payload->>'city') = lower(?) OR e.user_id IN (SELECT id FROM users WHERE lower(city) = lower(?)))`, bind: (s) => [s.id, s.id] },
  brand_campaign: { sql: `(e.payload->>'campaignId') = ?`, bind: (s) => [s.id] },
  // A tournament's field (systems/reports/tournament.ts), matched without case like its entity id.
  tournament: {
    sql: `(lower(e.payload->>'city') = ANY(?::text[]) OR e.user_id IN (SELECT id FROM users WHERE lower(city) = ANY(?::text[])))`,
    bind: (s) => [textArrayLiteral(s.cities ?? []), textArrayLiteral(s.cities ?? [])],
  },
};

/**
 * The boards a subject may rank on: the first it scores on, else the first with data. `tile`: the report metric that
 * counts the same thing, so the rank card shows the tile's figure (one source per figure).
 */
type Ranking = { entityType: string; metric: string; leaderboard: string; tile: 'plays' | 'visits' | 'captures' | 'attendance' | 'votes' | null };
const RANKED_BY: Record<ReportType, Ranking[]> = {
  artist: [
    { entityType: 'artist', metric: 'plays', leaderboard: 'Top Artists by Plays', tile: 'plays' },
    { entityType: 'artist', metric: 'station_visits', leaderboard: 'Top Artists by Station Visits', tile: 'visits' },
    { entityType: 'artist', metric: 'captures', leaderboard: 'Top Artists by Captures', tile: 'captures' },
  ],
  event: [
    { entityType: 'concierto_event', metric: 'attendance', leaderboard: 'Top Events by Attendance', tile: 'attendance' },
    { entityType: 'concierto_event', metric: 'votes', leaderboard: 'Top Events by Votes', tile: 'votes' },
  ],
  city: [{ entityType: 'city', metric: 'engagement', leaderboard: 'Top Cities by Engagement', tile: null }],
  brand_campaign: [],
  tournament: [],
};

export interface Subject {
  type: ReportType;
  id: string;
  /** A tournament's competing cities, lower-cased (resolved before any read). */
  cities?: string[];
}

/** A range's counts: every one counted (a stored report may lack the later ones). */
export type RangeMetrics = Required<ReportMetrics>;

export interface DailyPoint {
  day: string;
  events: number;
  uniqueUsers: number;
}

export interface LeaderboardPosition {
  leaderboard: string;
  metric: string;
  score: number;
  rank: number | null;
  outOf: number;
}

const bind = (s: Subject) => FILTERS[s.type].bind(s);

export class ReportRepository {
  constructor(private readonly sql: Sql) {}

  /** Totals over `[from, to)`. Purchases count `treasury.purchase_completed` only: `treasury.money_spent` would count them twice. */
  async metrics(s: Subject, from: Date, to: Date): Promise<RangeMetrics> {
    const where = `${FILTERS[s.type].sql} AND e.occurred_at >= ? AND e.occurred_at < ?`;
    const [[row], revenue] = await Promise.all([
      this.sql.query<Record<string, number>>(
        `SELECT count(*)::int AS events, count(DISTINCT e.user_id)::int AS "uniqueUsers",
                count(*) FILTER (WHERE e.event_type = 'player.track_played')::int AS plays,
                count(*) FILTER (WHERE e.event_type = 'player.like')::int AS likes,
                count(*) FILTER (WHERE e.event_type = 'player.track_skipped')::int AS skips,
                count(*) FILTER (WHERE e.event_type = 'station.visited')::int AS visits,
                count(*) FILTER (WHERE e.event_type = 'constellation.captured')::int AS captures,
                COALESCE(sum(CASE WHEN jsonb_typeof(e.payload->'weight') = 'number' THEN (e.payload->>'weight')::numeric ELSE 1 END) FILTER (WHERE e.event_type = 'concierto.vote_cast'), 0)::int AS votes,
                count(*) FILTER (WHERE e.event_type = 'concierto.event_attended')::int AS attendance,
                count(*) FILTER (WHERE e.event_type = 'concierto.event_viewed')::int AS views,
                count(*) FILTER (WHERE e.event_type = 'treasury.purchase_completed')::int AS purchases,
                count(*) FILTER (WHERE e.event_type = 'player.track_completed')::int AS completions,
                count(*) FILTER (WHERE e.event_type = 'social.link_shared')::int AS shares,
                count(*) FILTER (WHERE e.event_type = 'social.link_opened')::int AS "linkOpens"
           FROM passport_entries e WHERE ${where}`,
        [...bind(s), from, to],
      ),
      this.sql.query<{ kind: string; currency: string; cents: string }>(
        `SELECT e.event_type AS kind, upper(COALESCE(e.payload->>'currency', 'USD')) AS currency, sum((e.payload->>'amountCents')::numeric)::bigint::text AS cents
           FROM passport_entries e
          WHERE ${where} AND e.event_type IN ('treasury.purchase_completed', 'treasury.money_earned') AND jsonb_typeof(e.payload->'amountCents') = 'number'
          GROUP BY 1, 2 ORDER BY 2`,
        [...bind(s), from, to],
      ),
    ]);
    const money = (kind: string) => revenue.filter((r) => r.kind === kind).map((r) => ({ currency: r.currency, cents: Number(r.cents) }));
    return {
      ...(row as unknown as Omit<RangeMetrics, 'revenue' | 'earned'>),
      revenue: money('treasury.purchase_completed'),
      earned: money('treasury.money_earned'),
    };
  }

  /** Events and unique users per UTC day of `[from, to)`. */
  async daily(s: Subject, from: Date, to: Date): Promise<DailyPoint[]> {
    return this.sql.query<DailyPoint>(
      `SELECT to_char(date_trunc('day', e.occurred_at, 'UTC'), 'YYYY-MM-DD') AS day, count(*)::int AS events, count(DISTINCT e.user_id)::int AS "uniqueUsers"
         FROM passport_entries e WHERE ${FILTERS[s.type].sql} AND e.occurred_at >= ? AND e.occurred_at < ?
        GROUP BY 1 ORDER BY 1`,
      [...bind(s), from, to],
    );
  }

  /** Up to `limit` distinct users of the subject in `[from, to)` (the audience the DNA insights analyse). */
  async audience(s: Subject, from: Date, to: Date, limit: number): Promise<string[]> {
    const rows = await this.sql.query<{ u: string }>(
      `SELECT DISTINCT e.user_id::text AS u FROM passport_entries e
        WHERE ${FILTERS[s.type].sql} AND e.occurred_at >= ? AND e.occurred_at < ? AND e.user_id IS NOT NULL LIMIT ?`,
      [...bind(s), from, to, limit],
    );
    return rows.map((r) => r.u);
  }

  /** The subject's place on its board over `[from, to)`; with `metrics`, scored by the tile's figure among the others' rollup totals. */
  async position(s: Subject, from: Date, to: Date, metrics?: RangeMetrics, onBoardOf?: LeaderboardPosition | null): Promise<LeaderboardPosition | null> {
    const boards = RANKED_BY[s.type].filter((r) => !onBoardOf || r.metric === onBoardOf.metric);
    const positions = await Promise.all(boards.map((ranked) => this.positionOn(ranked, s.id, from, to, metrics)));
    return positions.find((p) => p.rank !== null) ?? positions.find((p) => p.outOf > 0) ?? positions[0] ?? null;
  }

  private async positionOn(ranked: Ranking, id: string, from: Date, to: Date, metrics?: RangeMetrics): Promise<LeaderboardPosition> {
    const own = metrics && ranked.tile ? metrics[ranked.tile] : null;
    // A city in any case, as the report's reads count it ("lagos" and "Lagos" are one row).
    const anyCase = ranked.entityType === 'city';
    const key = anyCase ? id.toLowerCase() : id;
    const [row] = await this.sql.query<{ score: string | null; above: number; others: number }>(
      `WITH totals AS (
         SELECT ${anyCase ? 'lower(entity_id)' : 'entity_id'} AS entity_id, sum(value) AS v FROM coliseum_metrics
          WHERE entity_type = ? AND metric = ? AND period = 'day' AND bucket_start >= date_trunc('day', ?::timestamptz, 'UTC') AND bucket_start < ?
          GROUP BY 1)
       SELECT (SELECT v::text FROM totals WHERE entity_id = ?) AS score,
              (SELECT count(*)::int FROM totals WHERE entity_id <> ? AND v > COALESCE(?::numeric, (SELECT v FROM totals WHERE entity_id = ?), 0)) AS above,
              (SELECT count(*)::int FROM totals WHERE entity_id <> ?) AS others`,
      [ranked.entityType, ranked.metric, from, to, key, key, own, key, key],
    );
    const score = own ?? (row?.score == null ? 0 : Number(row.score));
    return {
      leaderboard: ranked.leaderboard,
      metric: ranked.metric,
      score,
      rank: score > 0 ? Number(row.above) + 1 : null,
      outOf: Number(row?.others ?? 0) + (score > 0 ? 1 : 0),
    };
  }

  /** Engagement per city (lower-cased keys; `name` is the rollups' spelling): the named cities, or the `limit` most engaged. */
  async cityEngagement(from: Date, to: Date, cities: string[] | null, limit: number): Promise<Array<{ key: string; name: string; engagement: number }>> {
    return this.sql.query(
      `SELECT lower(entity_id) AS key, min(entity_id) AS name, sum(value)::float8 AS engagement FROM coliseum_metrics
        WHERE entity_type = 'city' AND metric = 'engagement' AND period = 'day'
          AND bucket_start >= date_trunc('day', ?::timestamptz, 'UTC') AND bucket_start < ?
          AND (?::text[] IS NULL OR lower(entity_id) = ANY(?::text[]))
        GROUP BY 1 ORDER BY sum(value) DESC, 1 LIMIT ?`,
      [from, to, cities && textArrayLiteral(cities), cities && textArrayLiteral(cities), limit],
    );
  }

  /** A brand campaign's funnel over `[from, to)`: distinct listeners reached, engaged and buying (systems/reports/campaign.ts). */
  async campaignFunnel(campaignId: string, from: Date, to: Date): Promise<{ reached: number; engaged: number; purchasers: number }> {
    const [row] = await this.sql.query<{ reached: number; engaged: number; purchasers: number }>(
      `SELECT count(DISTINCT e.user_id)::int AS reached,
              count(DISTINCT e.user_id) FILTER (WHERE e.event_type IN ('player.track_played', 'concierto.vote_cast', 'concierto.event_attended'))::int AS engaged,
              count(DISTINCT e.user_id) FILTER (WHERE e.event_type = 'treasury.purchase_completed')::int AS purchasers
         FROM passport_entries e WHERE (e.payload->>'campaignId') = ? AND e.occurred_at >= ? AND e.occurred_at < ?`,
      [campaignId, from, to],
    );
    return { reached: row?.reached ?? 0, engaged: row?.engaged ?? 0, purchasers: row?.purchasers ?? 0 };
  }

  /** Display names of several subjects of one type; ids without one (unknown, or a type without names) are absent. */
  async namesOf(type: ReportType, ids: readonly string[]): Promise<Map<string, string>> {
    const from = type === 'artist' ? 'SELECT id, name FROM artists' : type === 'event' ? 'SELECT id, title AS name FROM concierto_events' : null;
    if (!from || !ids.length) return new Map();
    const rows = await this.sql.query<{ id: string; name: string }>(`${from} WHERE id = ANY(?::text[])`, [textArrayLiteral(ids)]);
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /** Artists' catalog genres (their DNA). */
  artistsGenres(artistIds: readonly string[]): Promise<Map<string, string[]>> {
    return genresOf(this.sql, artistIds);
  }

  /** An event's voted artists and attendance cities (its DNA), the 50 largest of each. */
  async concertFacts(eventId: string): Promise<{ artists: Array<{ artistId: string; votes: number }>; cities: Array<{ city: string; count: number }> }> {
    const [artists, cities] = await Promise.all([
      this.sql.query<{ a: string; n: number }>(
        `SELECT e.payload->>'voteFor' AS a, count(*)::int AS n FROM passport_entries e WHERE (e.payload->>'eventId') = ? AND e.event_type = 'concierto.vote_cast' AND e.payload->>'voteFor' IS NOT NULL GROUP BY 1 ORDER BY 2 DESC LIMIT 50`,
        [eventId],
      ),
      this.sql.query<{ c: string; n: number }>(
        `SELECT e.payload->>'city' AS c, count(*)::int AS n FROM passport_entries e WHERE (e.payload->>'eventId') = ? AND e.event_type = 'concierto.event_attended' AND e.payload->>'city' IS NOT NULL GROUP BY 1 ORDER BY 2 DESC LIMIT 50`,
        [eventId],
      ),
    ]);
    return { artists: artists.map((r) => ({ artistId: r.a, votes: r.n })), cities: cities.map((r) => ({ city: r.c, count: r.n })) };
  }
}
