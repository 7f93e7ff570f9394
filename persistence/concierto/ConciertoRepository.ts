/**
 * Concierto events and votes. A vote is one conditional insert (event open, option real), else a read of why
 * not: atomic, and one round trip answers every outcome.
 */
import { isoSql, type Sql } from '../db.js';
import type { ConciertoEvent, StoredVote } from '../../systems/concierto/shapes.js';

export type NewConciertoEvent = Pick<ConciertoEvent, 'id' | 'title' | 'options'> & { startsAt: Date; endsAt: Date };

export type VoteOutcome =
  { status: 'cast'; vote: StoredVote } | { status: 'already_voted'; vote: StoredVote } | { status: 'unknown_event' | 'not_open' | 'unknown_option' };

const EVENT_COLUMNS = `e.id, e.title, ${isoSql('e.starts_at')} AS "startsAt", ${isoSql('e.ends_at')} AS "endsAt", e.status,
  COALESCE((SELECT json_agg(json_build_object('id', o.option_id, 'name', o.name) ORDER BY o.option_id) FROM concierto_event_options o WHERE o.event_id = e.id), '[]')
    AS options`;

const CAST_VOTE = `WITH open_option AS (
    SELECT o.event_id, o.option_id FROM concierto_events e JOIN concierto_event_options o ON o.event_id = e.id
    WHERE e.id = ? AND o.option_id = ? AND e.status = 'open' AND ?::timestamptz >= e.starts_at AND ?::timestamptz < e.ends_at),
  cast_vote AS (
    INSERT INTO event_votes (event_id, user_id, option_id, weight, vote_id, cast_at)
    SELECT event_id, ?::uuid, option_id, ?, ?::uuid, ?::timestamptz FROM open_option
    ON CONFLICT DO NOTHING
    RETURNING vote_id::text AS "voteId", option_id AS "optionId", weight, ${isoSql('cast_at')} AS "castAt")
  SELECT 'cast' AS status, * FROM cast_vote
  UNION ALL
  SELECT 'already_voted', v.vote_id::text, v.option_id, v.weight, ${isoSql('v.cast_at')} FROM event_votes v
    WHERE v.event_id = ? AND v.user_id = ?::uuid AND NOT EXISTS (SELECT 1 FROM cast_vote)`;

export class ConciertoRepository {
  constructor(private readonly sql: Sql) {}

  /** Creates an event with its options; false when the id is taken. */
  async createEvent(event: NewConciertoEvent): Promise<boolean> {
    const [created] = await this.sql.query<{ id: string }>(
      `WITH e AS (INSERT INTO concierto_events (id, title, starts_at, ends_at) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING RETURNING id),
        o AS (INSERT INTO concierto_event_options (event_id, option_id, name)
          SELECT e.id, x.id, x.name FROM e CROSS JOIN jsonb_to_recordset(?::jsonb) AS x(id text, name text) RETURNING 1)
      SELECT id FROM e`,
      [event.id, event.title, event.startsAt.toISOString(), event.endsAt.toISOString(), JSON.stringify(event.options)],
    );
    return created !== undefined;
  }

  /** Ends voting on an event at once; false when there is no such event. */
  async closeEvent(eventId: string): Promise<boolean> {
    const rows = await this.sql.query<{ id: string }>(`UPDATE concierto_events SET status = 'closed' WHERE id = ? RETURNING id`, [eventId]);
    return rows.length > 0;
  }

  async event(eventId: string): Promise<ConciertoEvent | null> {
    const [row] = await this.sql.query<ConciertoEvent>(`SELECT ${EVENT_COLUMNS} FROM concierto_events e WHERE e.id = ?`, [eventId]);
    return row ?? null;
  }

  /** Events open for voting at `now`, soonest ending first. */
  async activeEvents(now: Date, limit: number): Promise<ConciertoEvent[]> {
    return this.sql.query<ConciertoEvent>(
      `SELECT ${EVENT_COLUMNS} FROM concierto_events e WHERE e.status = 'open' AND e.starts_at <= ? AND e.ends_at > ? ORDER BY e.ends_at, e.id LIMIT ?`,
      [now.toISOString(), now.toISOString(), limit],
    );
  }

  /** One vote per user and event, only while it is open: the vote cast, the user's earlier vote, or why not. */
  async castVote(input: { eventId: string; optionId: string; userId: string; weight: number; voteId: string; at: Date }): Promise<VoteOutcome> {
    const { eventId, optionId, userId, weight, voteId } = input;
    const at = input.at.toISOString();
    const params = [eventId, optionId, at, at, userId, weight, voteId, at, eventId, userId];
    const [row] = await this.sql.query<StoredVote & { status: 'cast' | 'already_voted' }>(CAST_VOTE, params);
    if (row) {
      const { status, ...vote } = row;
      return { status, vote };
    }
    const event = await this.event(input.eventId);
    return { status: !event ? 'unknown_event' : !event.options.some((o) => o.id === optionId) ? 'unknown_option' : 'not_open' };
  }
}
