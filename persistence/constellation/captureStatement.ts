/**
 * The capture as ONE statement: star, lines, badges and its passport events in `passport_outbox`, so a crash never
 * keeps a star whose `constellation.captured` event is missing. The outbox reaches the passport through its writer
 * (features/passport/OutboxDrainer.ts): inserting here would hold the passport lock through the commit (3.5–5×
 * fewer captures/s, bench/captureEvents.bench.ts).
 */
import type { PassportEvent } from '../../systems/passport/events.js';
import type { Badge } from '../../systems/session/badges.js';

/** A passport event written with the star. */
export interface CapturePassportRow {
  event: PassportEvent;
  /** Written only if this capture awarded that badge (a `badge.earned`). */
  ifBadge?: Badge;
  /** The payload's `totalStars` is set to the count the statement finds (the caller's list may be stale). */
  stampTotalStars?: boolean;
}

export const STAR_COLUMNS = 'id, artist_id, x, y, z, captured_at, discovery_path, session_id';

/**
 * Each capture's rows join it by user: a statement holds one capture and one lock line per user (two of one user
 * go in statements one after the other, so the second counts the first star, as two single statements would). Per-row
 * subplans over the CTEs are avoided: Postgres guesses 100 rows per recordset, and a plan estimated past
 * `jit_above_cost` was compiled on every call (3.5 s a statement); this one is estimated at ≈ 5,400 whatever the batch
 * size. The lines drawn on locks (`line_input`, the second parameter: ConstellationRepository.connectOnLock) ride in
 * the same statement, answered on a first row of index -1 (the indexes of the lines drawn): a window's room writes
 * commit once.
 */
export const CAPTURES_SQL = `WITH input AS MATERIALIZED (
    SELECT * FROM jsonb_to_recordset(?::jsonb) AS r(i int, u uuid, a text, x float8, y float8, z float8, t timestamptz, p jsonb, s text, o text,
      c jsonb, b jsonb, e jsonb)),
  line_input AS MATERIALIZED (
    SELECT * FROM jsonb_to_recordset(?::jsonb) AS l(i int, u uuid, f text, t text, s float8, k text, at timestamptz)),
  lined AS (
    INSERT INTO constellation_connections (user_id, from_artist_id, to_artist_id, strength, connection_type, created_at)
    SELECT u, f, t, s, k, at FROM line_input l
    WHERE (SELECT count(*) FROM constellation_stars cs WHERE cs.user_id = l.u AND cs.artist_id IN (l.f, l.t)) = 2
    ON CONFLICT DO NOTHING RETURNING user_id),
  star AS (
    INSERT INTO constellation_stars (user_id, artist_id, x, y, z, captured_at, discovery_path, session_id, op_id)
    SELECT u, a, x, y, z, t, p, s, o FROM input ORDER BY i
    ON CONFLICT (user_id, artist_id) DO NOTHING
    RETURNING user_id, ${STAR_COLUMNS}),
  conns AS (
    INSERT INTO constellation_connections (user_id, from_artist_id, to_artist_id, strength, connection_type, created_at)
    SELECT n.u, c.f, c.t, c.s, c.k, n.t FROM input n JOIN star ON star.user_id = n.u
    CROSS JOIN LATERAL jsonb_to_recordset(n.c) AS c(f text, t text, s float8, k text)
    ON CONFLICT DO NOTHING RETURNING user_id),
  awarded AS (
    INSERT INTO user_badges (user_id, badge, earned_at)
    SELECT n.u, b.badge, n.t FROM input n JOIN star ON star.user_id = n.u CROSS JOIN LATERAL jsonb_array_elements_text(n.b) AS b(badge)
    ON CONFLICT (user_id, badge) DO NOTHING RETURNING user_id, badge),
  counted AS (SELECT n.u, (SELECT count(*)::int FROM constellation_stars cs WHERE cs.user_id = n.u) AS n FROM input n),
  outboxed AS (
    INSERT INTO passport_outbox (event_id, event)
    SELECT r.e, CASE WHEN r.k THEN jsonb_set(r.v, '{payload,totalStars}', to_jsonb(cn.n + 1)) ELSE r.v END
    FROM input n JOIN star ON star.user_id = n.u JOIN counted cn ON cn.u = n.u
    CROSS JOIN LATERAL jsonb_to_recordset(n.e) AS r(e uuid, v jsonb, b text, k boolean)
    LEFT JOIN awarded w ON w.user_id = n.u AND w.badge = r.b
    WHERE r.b IS NULL OR w.badge IS NOT NULL
    ON CONFLICT (event_id) DO NOTHING
    RETURNING event_id),
  lines AS (SELECT user_id, count(*)::int AS n FROM conns GROUP BY user_id),
  earned AS (SELECT user_id, json_agg(badge) AS badges FROM awarded GROUP BY user_id)
  SELECT n.i,
    (SELECT row_to_json(st) FROM (SELECT ${STAR_COLUMNS} FROM star WHERE star.user_id = n.u) st) AS star,
    coalesce(l.n, 0) AS connections,
    coalesce(e.badges, '[]'::json) AS badges,
    cn.n AS before,
    CASE WHEN n.i = (SELECT min(i) FROM input) THEN (SELECT string_agg(event_id::text, ',') FROM outboxed) END AS logged
  FROM input n JOIN counted cn ON cn.u = n.u LEFT JOIN lines l ON l.user_id = n.u LEFT JOIN earned e ON e.user_id = n.u
  UNION ALL
  SELECT -1, NULL, 0, '[]'::json, 0, (SELECT string_agg(l.i::text, ',') FROM line_input l JOIN lined d ON d.user_id = l.u)
  ORDER BY i`;

/** The passport rows of a capture in {@link CAPTURES_SQL}'s input, before it is encoded. */
export function passportRowsOf(rows: readonly CapturePassportRow[]) {
  return rows.map((r) => ({ e: r.event.eventId, v: r.event, b: r.ifBadge ?? null, k: r.stampTotalStars === true }));
}

/** The events as the statement stored them: those whose badge was awarded, with `totalStars` stamped like the SQL does. */
export function loggedEvents(
  rows: readonly CapturePassportRow[],
  awarded: ReadonlySet<string>,
  logged: ReadonlySet<string>,
  totalStars: number,
): PassportEvent[] {
  return rows
    .filter((r) => (r.ifBadge === undefined || awarded.has(r.ifBadge)) && logged.has(r.event.eventId))
    .map((r) => (r.stampTotalStars ? ({ ...r.event, payload: { ...(r.event.payload as object), totalStars } } as PassportEvent) : r.event));
}
