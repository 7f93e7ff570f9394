/**
 * The capture as ONE statement: the star, its connection lines, its badges and, when given, its
 * passport events. A star and the events that describe it commit together or not at all, so a crash
 * can never keep a star whose `constellation.captured` event is missing (which the boards, KPIs and
 * reports, all derived from the passport, would then undercount).
 *
 * The passport rows follow the passport's own rules (persistence/passport/sinks.ts): each event id is
 * claimed in `passport_event_ids` first and only a new claim is inserted into the partitioned
 * `passport_entries`, under the transaction-scoped PASSPORT_INSERT_LOCK so passport ids still commit in
 * id order for the cursor processors. The lock is taken after the star, lines and badges are written
 * (it must not be held while waiting for a row another capture of the same user holds) and only when a
 * star went in; an autocommit capture holds it for its commit, as a writer batch does.
 */
import type { PassportEvent } from '../../systems/passport/events.js';
import type { Badge } from '../../systems/session/badges.js';
import { ENTRY_COLUMNS, PASSPORT_INSERT_LOCK, ROW_RECORD, toRow } from '../passport/sinks.js';

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

/** The star alone (no passport rows): what the repository's direct callers and tests use. */
export const CAPTURE_SQL = `WITH ${CONSTELLATION_CTES}
  SELECT ${RESULT}, '{}'::text[] AS logged`;

/**
 * The star and its passport rows. The lock CTE reads the star, lines and badges, so they are written
 * before it is taken, and yields no row when the star already existed: then nothing is claimed or logged.
 */
export const CAPTURE_WITH_PASSPORT_SQL = `WITH ${CONSTELLATION_CTES},
  lock AS MATERIALIZED (
    SELECT pg_advisory_xact_lock(${PASSPORT_INSERT_LOCK}) AS held
    FROM star, (SELECT count(*) FROM conns) c, (SELECT count(*) FROM awarded) a),
  src AS MATERIALIZED (
    SELECT r.* FROM lock CROSS JOIN ROWS FROM (jsonb_to_recordset(?::jsonb) AS (${ROW_RECORD}, b text, k boolean))
      WITH ORDINALITY AS r(e, t, c, u, s, d, o, r, et, ei, p, src, b, k, n)
    WHERE r.b IS NULL OR r.b IN (SELECT badge FROM awarded)),
  claimed AS (
    INSERT INTO passport_event_ids (event_id, received_at) SELECT e, to_timestamp(r / 1000.0) FROM src
    ON CONFLICT (event_id) DO NOTHING RETURNING event_id),
  logged AS (
    INSERT INTO passport_entries (${ENTRY_COLUMNS})
    SELECT x.e, x.t, x.c, x.u, x.s, x.d, to_timestamp(x.o / 1000.0), to_timestamp(x.r / 1000.0), x.et, x.ei,
           CASE WHEN x.k THEN COALESCE(x.p, '{}'::jsonb) || jsonb_build_object('totalStars', (SELECT n FROM counted) + 1) ELSE COALESCE(x.p, '{}'::jsonb) END, x.src
    FROM src x JOIN claimed f ON f.event_id = x.e
    ORDER BY x.n
    RETURNING event_id)
  SELECT ${RESULT}, (SELECT coalesce(array_agg(event_id::text), '{}') FROM logged) AS logged`;

/** The rows parameter of {@link CAPTURE_WITH_PASSPORT_SQL}. */
export function passportRowsJson(rows: readonly CapturePassportRow[]): string {
  return JSON.stringify(rows.map((r) => ({ ...toRow(r.event), b: r.ifBadge ?? null, k: r.stampTotalStars === true })));
}

/**
 * The events as the statement stored them: those whose badge was awarded and whose id was newly
 * claimed, with `totalStars` stamped like the SQL does.
 */
export function loggedEvents(rows: readonly CapturePassportRow[], awarded: ReadonlySet<string>, logged: ReadonlySet<string>, totalStars: number): PassportEvent[] {
  return rows
    .filter((r) => (r.ifBadge === undefined || awarded.has(r.ifBadge)) && logged.has(r.event.eventId))
    .map((r) => (r.stampTotalStars ? ({ ...r.event, payload: { ...(r.event.payload as object), totalStars } } as PassportEvent) : r.event));
}
