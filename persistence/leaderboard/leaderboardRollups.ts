/**
 * The coliseum's first consumer (seed 004): counts per (entity, metric, period bucket) computed
 * from a passport id range with GROUP BY in SQL and added with
 * `ON CONFLICT DO UPDATE SET value = value + excluded.value`. Buckets are UTC (see systems/passport/periods.ts).
 *
 * | entity_type        | entity_id             | metric          | from                                   |
 * |--------------------|-----------------------|-----------------|----------------------------------------|
 * | artist             | artistId              | station_visits  | station.visited, station.locked         |
 * | artist             | artistId              | captures        | constellation.captured                  |
 * | artist             | artistId              | plays           | player.track_played with an artistId    |
 * | track              | trackId               | plays           | player.track_played                     |
 * | orb_transition     | `from>to`             | transitions     | orb.tapped                              |
 * | artist_path        | `cameFrom>artistId`   | visits          | station.visited with a cameFrom (seed 9.3 popular paths) |
 * | vote_option        | `eventId>voteFor`     | votes           | concierto.vote_cast (sum of weight, 1)  |
 * | concierto_event    | eventId               | attendance      | concierto.event_attended                |
 * | concierto_event    | eventId               | votes           | concierto.vote_cast (sum of weight, 1)  |
 * | concierto_event    | eventId               | engagement      | vote_cast, event_attended, purchase_completed naming the event |
 * | artist_revenue     | `currency>artistId`   | revenue_cents   | treasury.purchase_completed amountCents (integer cents) |
 * | currency           | currency (lower case) | revenue_cents   | treasury.purchase_completed amountCents |
 * | city               | city                  | engagement      | interaction events whose payload or user has a city |
 */
import type { Sql } from '../db.js';
import type { CursorConsumer } from '../passport/PassportCursor.js';
import { isPeriod, type Period } from '../../systems/passport/periods.js';

/** Rows one rollup read returns unless asked for more (a board shows far fewer). */
const DEFAULT_ROWS = 100;

export const COLISEUM_ROLLUPS_CURSOR = 'coliseum_rollups';

/** Categories that count as engagement for city leaderboards (not session bookkeeping, sensors or badges). */
const ENGAGEMENT_CATEGORIES = ['station', 'orb', 'constellation', 'player', 'concierto', 'treasury', 'social'];

const ROLLUP_SQL = `
WITH batch AS (
  SELECT e.event_type, e.event_category, e.occurred_at, e.payload,
         COALESCE(NULLIF(e.payload->>'city', ''), u.city) AS city
  FROM passport_entries e LEFT JOIN users u ON u.id = e.user_id
  WHERE e.id > ? AND e.id <= ?
),
facts (entity_type, entity_id, metric, occurred_at, amount) AS (
  SELECT 'artist', payload->>'artistId', 'station_visits', occurred_at, 1 FROM batch
   WHERE event_type IN ('station.visited', 'station.locked') AND payload->>'artistId' IS NOT NULL
  UNION ALL
  SELECT 'artist', payload->>'artistId', 'captures', occurred_at, 1 FROM batch
   WHERE event_type = 'constellation.captured' AND payload->>'artistId' IS NOT NULL
  UNION ALL
  SELECT 'artist', payload->>'artistId', 'plays', occurred_at, 1 FROM batch
   WHERE event_type = 'player.track_played' AND payload->>'artistId' IS NOT NULL
  UNION ALL
  SELECT 'track', payload->>'trackId', 'plays', occurred_at, 1 FROM batch
   WHERE event_type = 'player.track_played' AND payload->>'trackId' IS NOT NULL
  UNION ALL
  SELECT 'orb_transition', (payload->>'fromArtistId') || '>' || (payload->>'toArtistId'), 'transitions', occurred_at, 1 FROM batch
   WHERE event_type = 'orb.tapped' AND payload->>'fromArtistId' IS NOT NULL AND payload->>'toArtistId' IS NOT NULL
  UNION ALL
  SELECT 'artist_path', (payload->>'cameFrom') || '>' || (payload->>'artistId'), 'visits', occurred_at, 1 FROM batch
   WHERE event_type = 'station.visited' AND payload->>'cameFrom' IS NOT NULL AND payload->>'artistId' IS NOT NULL
  UNION ALL
  SELECT 'vote_option', (payload->>'eventId') || '>' || COALESCE(payload->>'voteFor', payload->>'artistId'), 'votes', occurred_at,
         CASE WHEN jsonb_typeof(payload->'weight') = 'number' THEN (payload->>'weight')::numeric::bigint ELSE 1 END FROM batch
   WHERE event_type = 'concierto.vote_cast' AND payload->>'eventId' IS NOT NULL AND COALESCE(payload->>'voteFor', payload->>'artistId') IS NOT NULL
  UNION ALL
  SELECT 'concierto_event', payload->>'eventId', 'votes', occurred_at,
         CASE WHEN jsonb_typeof(payload->'weight') = 'number' THEN (payload->>'weight')::numeric::bigint ELSE 1 END FROM batch
   WHERE event_type = 'concierto.vote_cast' AND payload->>'eventId' IS NOT NULL
  UNION ALL
  SELECT 'concierto_event', payload->>'eventId', 'engagement', occurred_at, 1 FROM batch
   WHERE event_type IN ('concierto.vote_cast', 'concierto.event_attended', 'treasury.purchase_completed') AND payload->>'eventId' IS NOT NULL
  UNION ALL
  SELECT 'artist_revenue', lower(payload->>'currency') || '>' || (payload->>'artistId'), 'revenue_cents', occurred_at, (payload->>'amountCents')::bigint FROM batch
   WHERE event_type = 'treasury.purchase_completed' AND payload->>'artistId' IS NOT NULL AND jsonb_typeof(payload->'amountCents') = 'number' AND (payload->>'amountCents')::numeric > 0
  UNION ALL
  SELECT 'currency', lower(payload->>'currency'), 'revenue_cents', occurred_at, (payload->>'amountCents')::bigint FROM batch
   WHERE event_type = 'treasury.purchase_completed' AND payload->>'currency' IS NOT NULL AND jsonb_typeof(payload->'amountCents') = 'number' AND (payload->>'amountCents')::numeric > 0
  UNION ALL
  SELECT 'concierto_event', payload->>'eventId', 'attendance', occurred_at, 1 FROM batch
   WHERE event_type = 'concierto.event_attended' AND payload->>'eventId' IS NOT NULL
  UNION ALL
  SELECT 'city', city, 'engagement', occurred_at, 1 FROM batch
   WHERE city IS NOT NULL AND event_category IN (${ENGAGEMENT_CATEGORIES.map((c) => `'${c}'`).join(', ')})
)
INSERT INTO coliseum_metrics AS m (entity_type, entity_id, metric, period, bucket_start, value)
SELECT f.entity_type, f.entity_id, f.metric, p.period, p.bucket_start, sum(f.amount)::bigint
FROM facts f
CROSS JOIN LATERAL (VALUES
  ('hour', date_trunc('hour', f.occurred_at, 'UTC')),
  ('day', date_trunc('day', f.occurred_at, 'UTC')),
  ('week', date_trunc('week', f.occurred_at, 'UTC')),
  ('month', date_trunc('month', f.occurred_at, 'UTC')),
  ('all', 'epoch'::timestamptz)
) AS p(period, bucket_start)
GROUP BY f.entity_type, f.entity_id, f.metric, p.period, p.bucket_start
ON CONFLICT (entity_type, entity_id, metric, period, bucket_start) DO UPDATE SET value = m.value + excluded.value`;

/** The coliseum rollup consumer for a {@link CursorProcessor}. */
export function leaderboardRollups(name = COLISEUM_ROLLUPS_CURSOR): CursorConsumer {
  return {
    name,
    apply: async (tx, fromId, toId) => {
      await tx.query(ROLLUP_SQL, [fromId, toId]);
    },
  };
}

function toDate(bucketStart: Date | number | string): Date {
  const d = bucketStart instanceof Date ? bucketStart : new Date(bucketStart);
  if (Number.isNaN(d.getTime())) throw new Error(`bucketStart "${String(bucketStart)}" is not a time; use bucketStart(period, ms) from systems/passport/periods.ts`);
  return d;
}

/**
 * Scores of one metric in one bucket, highest first, for rebuilding leaderboards.
 * `entityIdPrefix` narrows composite ids, e.g. `'<eventId>>'` for one concierto event's vote options.
 */
export async function rollupScores(
  sql: Sql,
  entityType: string,
  metric: string,
  period: Period,
  bucketStart: Date | number | string,
  options: { limit?: number; entityIdPrefix?: string } = {},
): Promise<Array<{ entityId: string; value: number }>> {
  if (!isPeriod(period)) throw new Error(`period must be hour, day, week, month or all; got "${String(period)}"`);
  const limit = Math.max(1, Math.min(10_000, Math.floor(options.limit ?? DEFAULT_ROWS)));
  const prefix = options.entityIdPrefix;
  const rows = await sql.query<{ entity_id: string; value: string | number }>(
    `SELECT entity_id, value FROM coliseum_metrics
     WHERE entity_type = ? AND metric = ? AND period = ? AND bucket_start = ?
       ${prefix !== undefined ? 'AND starts_with(entity_id, ?)' : ''}
     ORDER BY value DESC, entity_id LIMIT ${limit}`,
    [entityType, metric, period, toDate(period === 'all' ? 0 : bucketStart), ...(prefix !== undefined ? [prefix] : [])],
  );
  return rows.map((r) => ({ entityId: r.entity_id, value: Number(r.value) }));
}

/** One counter (0 when absent). */
export async function rollupValue(sql: Sql, entityType: string, entityId: string, metric: string, period: Period, bucketStart: Date | number | string): Promise<number> {
  const [row] = await sql.query<{ value: string | number }>(
    `SELECT value FROM coliseum_metrics WHERE entity_type = ? AND entity_id = ? AND metric = ? AND period = ? AND bucket_start = ?`,
    [entityType, entityId, metric, period, toDate(period === 'all' ? 0 : bucketStart)],
  );
  return Number(row?.value ?? 0);
}
