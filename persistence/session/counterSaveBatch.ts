/** One UPDATE for every waiting counter save across sessions: one per save was hundreds of statements a second. */
import type { Sql } from '../db.js';
import { StatementBatch, type StatementBatchOptions } from '../statementBatch.js';
import type { SessionCounters, SessionHolder } from './SessionRepository.js';

export interface CounterSave {
  holder: SessionHolder;
  counters: SessionCounters;
  nowMs: number;
  ended: boolean;
}

/**
 * As the single-row statement: only the latest resume's room matches. `sensor_seconds` null means absent (the column
 * is NOT NULL); `ended_at` is set only by an ending save.
 */
const SAVE_ALL = `UPDATE sessions s SET last_active = r.last_active, current_frequency = r.frequency, current_artist_id = r.artist_id,
    total_interactions = r.interactions, total_swipes = r.swipes, total_orbs_explored = r.orbs_explored, total_captures = r.captures,
    sensor_engagement_count = r.sensor_engagements, sensor_seconds = coalesce(r.sensor_seconds, s.sensor_seconds), ended_at = r.ended_at
  FROM jsonb_to_recordset(?::jsonb) AS r(id uuid, resume_count integer, last_active timestamptz, frequency numeric, artist_id text,
    interactions integer, swipes integer, orbs_explored integer, captures integer, sensor_engagements integer, sensor_seconds float8, ended_at timestamptz)
  WHERE s.id = r.id AND s.resume_count = r.resume_count
  RETURNING s.id::text AS id, s.resume_count AS "resumeCount"`;

const keyOf = (holder: SessionHolder): string => `${holder.sessionId}/${holder.resumeCount}`;

/** Writes `saves` (at most one per holder) in one statement; says for each whether its row was written. */
export async function writeCounterSaves(sql: Sql, saves: readonly CounterSave[]): Promise<boolean[]> {
  const rows = saves.map(({ holder, counters: c, nowMs, ended }) => {
    const at = new Date(nowMs).toISOString();
    return {
      id: holder.sessionId,
      resume_count: holder.resumeCount,
      last_active: at,
      frequency: c.frequency,
      artist_id: c.artistId,
      interactions: c.interactions,
      swipes: c.swipes,
      orbs_explored: c.orbsExplored,
      captures: c.captures,
      sensor_engagements: c.sensorEngagements,
      sensor_seconds: c.sensorSeconds ?? null,
      ended_at: ended ? at : null,
    };
  });
  const written = await sql.query<{ id: string; resumeCount: number }>(SAVE_ALL, [JSON.stringify(rows)]);
  const hit = new Set(written.map((w) => keyOf({ sessionId: w.id, resumeCount: Number(w.resumeCount) })));
  return saves.map((s) => hit.has(keyOf(s.holder)));
}

/** The process's counter saves, each settled when the statement holding it commits (SessionRepository.saveCounters's contract). */
export type CounterSaveBatch = StatementBatch<CounterSave, boolean>;
/**
 * A room's saves come one after another, so a session is in a flush at most once from one room; if two saves of one
 * holder meet anyway, the later wins, but an open save never replaces an ending one. SESSION_COUNTERS_BATCH_MS, _MAX
 * and _WAITING_MAX; past `maxWaiting` a save is refused with an error (the room logs it); `hurry` and `close` at shutdown.
 */
export function counterSaveBatch(
  sql: Sql,
  settings: Pick<StatementBatchOptions<CounterSave, boolean>, 'intervalMs' | 'maxItems' | 'maxWaiting'>,
): CounterSaveBatch {
  return new StatementBatch({
    write: (saves) => writeCounterSaves(sql, saves),
    ...settings,
    keyOf: (save) => keyOf(save.holder),
    replaces: (waiting, later) => later.ended || !waiting.ended,
  });
}
