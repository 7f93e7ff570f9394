/**
 * The gravity edge builder: one SQL statement per passport id range turns `player.*` events into track → track edges.
 * The run of track B after a run of A is the transition A → B; each event of B's run adds its decay-scaled contribution
 * (systems/gravity/gravity.ts). `gravity_sessions` carries each session's current run across batches. Exactly once:
 * the statement and the cursor move commit together (CursorProcessor).
 */
import type { CursorConsumer } from '../passport/PassportCursor.js';
import { GRAVITY_EPOCH_MS, GRAVITY_SIGNAL_WEIGHTS, SKIP_GRACE_MS, SKIP_MAX_PENALTY } from '../../systems/gravity/gravity.js';
import { halfLifeMs } from '../../systems/mediaid/dna.js';

export const GRAVITY_EDGES_CURSOR = 'gravity_edges';

/** The contribution of systems/gravity/gravity.ts `eventContribution`, as SQL over a passport row `e`. */
export function contributionSql(): string {
  const positive = Object.entries(GRAVITY_SIGNAL_WEIGHTS)
    .map(([type, w]) => `WHEN '${type}' THEN ${Number(w)}::float8`)
    .join(' ');
  const elapsed = `CASE WHEN jsonb_typeof(e.payload->'elapsedMs') = 'number' THEN GREATEST(0, (e.payload->>'elapsedMs')::float8) ELSE 0 END`;
  return `CASE e.event_type ${positive} WHEN 'player.track_skipped' THEN -${SKIP_MAX_PENALTY}::float8 * GREATEST(0, 1 - ${elapsed} / ${SKIP_GRACE_MS}) ELSE 0 END`;
}

/** The statement for one id range `(? , ?]`; `halfLifeDays` fixes the decay (GRAVITY_HALF_LIFE_DAYS). */
export function gravityEdgesSql(halfLifeDays: number): string {
  const scale = `power(2::float8, (extract(epoch FROM e.occurred_at) * 1000 - ${GRAVITY_EPOCH_MS}) / ${halfLifeMs(halfLifeDays)})`;
  return `
WITH ev AS (
  SELECT e.id, e.session_id, e.payload->>'trackId' AS track, (${contributionSql()}) * ${scale} AS w
  FROM passport_entries e
  WHERE e.id > ? AND e.id <= ? AND e.event_category = 'player' AND e.session_id IS NOT NULL AND e.payload->>'trackId' IS NOT NULL
),
prev AS (
  SELECT ev.*, st.current_track AS st_track, st.from_track AS st_from,
         COALESCE(lag(ev.track) OVER (PARTITION BY ev.session_id ORDER BY ev.id), st.current_track) AS prev_track
  FROM ev LEFT JOIN gravity_sessions st ON st.session_id = ev.session_id
),
runs AS (
  SELECT prev.*, (track IS DISTINCT FROM prev_track) AS starts_run,
         sum((track IS DISTINCT FROM prev_track)::int) OVER (PARTITION BY session_id ORDER BY id) AS run_no
  FROM prev
),
attributed AS (
  SELECT runs.*, CASE WHEN run_no = 0 THEN st_from ELSE first_value(prev_track) OVER (PARTITION BY session_id, run_no ORDER BY id) END AS from_track
  FROM runs
),
edges AS (
  SELECT from_track, track AS to_track, sum(w) AS w, sum(starts_run::int)::int AS transitions
  FROM attributed WHERE from_track IS NOT NULL
  GROUP BY from_track, track
),
upserted AS (
  INSERT INTO gravity_edges AS g (from_track, to_track, weight, transitions, updated_at)
  SELECT from_track, to_track, w, transitions, now() FROM edges
  ON CONFLICT (from_track, to_track) DO UPDATE SET weight = g.weight + excluded.weight, transitions = g.transitions + excluded.transitions, updated_at = excluded.updated_at
  RETURNING 1
),
latest AS (
  SELECT DISTINCT ON (session_id) session_id, track, from_track FROM attributed ORDER BY session_id, id DESC
)
INSERT INTO gravity_sessions AS s (session_id, current_track, from_track, updated_at)
SELECT session_id, track, from_track, now() FROM latest
ON CONFLICT (session_id) DO UPDATE SET current_track = excluded.current_track, from_track = excluded.from_track, updated_at = excluded.updated_at`;
}

/** The edge builder consumer for a {@link CursorProcessor}. */
export function gravityEdges(options: { halfLifeDays: number }): CursorConsumer {
  const statement = gravityEdgesSql(options.halfLifeDays);
  return {
    name: GRAVITY_EDGES_CURSOR,
    apply: async (tx, fromId, toId) => {
      // A 50,000-row batch sorts ~7 MB by session: above the default 4 MB it spills to disk (EXPLAIN: external merge).
      await tx.query(`SET LOCAL work_mem = '64MB'`);
      await tx.query(statement, [fromId, toId]);
    },
  };
}
