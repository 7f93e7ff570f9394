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

const CONSTELLATION_CTES = `star AS (
    INSERT INTO constellation_stars (user_id, artist_id, x, y, z, captured_at, discovery_path, session_id, op_id)
    VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)
    ON CONFLICT (user_id, artist_id) DO NOTHING
    RETURNING ${STAR_COLUMNS}),
  conns AS (
    INSERT INTO constellation_connections (user_id, from_artist_id, to_artist_id, strength, connection_type, created_at)
    SELECT ?, c.f, c.t, c.s, c.k, ? FROM jsonb_to_recordset(?::jsonb) AS c(f text, t text, s float8, k text)
    WHERE EXISTS (SELECT 1 FROM star)
    ON CONFLICT DO NOTHING RETURNING 1),
  awarded AS (
    INSERT INTO user_badges (user_id, badge, earned_at)
    SELECT ?, b.badge, ? FROM jsonb_array_elements_text(?::jsonb) AS b(badge)
    WHERE EXISTS (SELECT 1 FROM star)
    ON CONFLICT (user_id, badge) DO NOTHING RETURNING badge),
  counted AS (SELECT count(*)::int AS n FROM constellation_stars WHERE user_id = ?)`;

// `before` is the statement's snapshot, which does not see the new star.
const RESULT = `(SELECT row_to_json(star) FROM star) AS star,
  (SELECT count(*)::int FROM conns) AS connections,
  (SELECT coalesce(json_agg(badge), '[]'::json) FROM awarded) AS badges,
  (SELECT n FROM counted) AS before`;

/** The star and its passport events in the outbox, only when the star went in (and a badge event only if that badge was awarded). */
export const CAPTURE_WITH_PASSPORT_SQL = `WITH ${CONSTELLATION_CTES},
  outboxed AS (
    INSERT INTO passport_outbox (event_id, event)
    SELECT r.e, CASE WHEN r.k THEN jsonb_set(r.v, '{payload,totalStars}', to_jsonb((SELECT n FROM counted) + 1)) ELSE r.v END
    FROM jsonb_to_recordset(?::jsonb) AS r(e uuid, v jsonb, b text, k boolean)
    WHERE EXISTS (SELECT 1 FROM star) AND (r.b IS NULL OR r.b IN (SELECT badge FROM awarded))
    ON CONFLICT (event_id) DO NOTHING
    RETURNING event_id)
  SELECT ${RESULT}, (SELECT coalesce(array_agg(event_id::text), '{}') FROM outboxed) AS logged`;

/** The rows parameter of {@link CAPTURE_WITH_PASSPORT_SQL}, before it is encoded. */
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
