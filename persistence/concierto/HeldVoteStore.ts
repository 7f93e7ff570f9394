/**
 * Votes held by a device before it signs up, keyed by the SHA-256 of its secret. Linking moves them to
 * `event_votes` in one transaction, where one vote per user per event still decides (`superseded`).
 */
import { isoSql, type Sql } from '../db.js';
import type { HeldVote, VoterContact } from '../../systems/concierto/shapes.js';

export type HoldOutcome =
  { status: 'held' | 'already_held'; vote: HeldVote } | { status: 'unknown_event' | 'unknown_option' | 'not_open' | 'signed_up' | 'vote_id_taken' };

const COLUMNS = `vote_id::text AS "voteId", event_id AS "eventId", option_id AS "optionId", weight, ${isoSql('held_at')} AS "heldAt", ${isoSql('expires_at')} AS "expiresAt"`;

const HOLD = `WITH open_option AS (
    SELECT o.event_id, o.option_id FROM concierto_events e JOIN concierto_event_options o ON o.event_id = e.id
    WHERE e.id = ? AND o.option_id = ? AND e.status = 'open' AND ?::timestamptz >= e.starts_at AND ?::timestamptz < e.ends_at
      AND NOT EXISTS (SELECT 1 FROM devices d WHERE d.secret_hash = ?)),
  held AS (
    INSERT INTO held_votes (vote_id, secret_hash, event_id, option_id, weight, held_at, expires_at)
    SELECT ?::uuid, ?, event_id, option_id, ?, ?::timestamptz, ?::timestamptz FROM open_option
    ON CONFLICT DO NOTHING
    RETURNING ${COLUMNS})
  SELECT 'held' AS status, * FROM held
  UNION ALL
  SELECT 'already_held', ${COLUMNS} FROM held_votes h WHERE h.secret_hash = ? AND h.event_id = ? AND h.user_id IS NULL AND NOT EXISTS (SELECT 1 FROM held)`;

export class HeldVoteStore {
  constructor(private readonly sql: Sql) {}

  /** Holds one vote of a device not signed up yet, or says why not. */
  async hold(v: { secretHash: string; eventId: string; optionId: string; weight: number; voteId: string; at: Date; expiresAt: Date }): Promise<HoldOutcome> {
    const at = v.at.toISOString();
    const { secretHash: hash, eventId, optionId } = v;
    // An expired hold of this device no longer stands in the way (the cleanup job deletes the rest).
    await this.sql.query(`DELETE FROM held_votes WHERE secret_hash = ? AND event_id = ? AND user_id IS NULL AND expires_at <= ?`, [hash, eventId, at]);
    const params = [eventId, optionId, at, at, hash, v.voteId, hash, v.weight, at, v.expiresAt.toISOString(), hash, eventId];
    const [row] = await this.sql.query<HeldVote & { status: 'held' | 'already_held' }>(HOLD, params);
    if (row) {
      const { status, ...vote } = row;
      return { status, vote };
    }
    const [why] = await this.sql.query<{ event: boolean; option: boolean; signed_up: boolean; taken: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM concierto_events WHERE id = ?) AS event,
              EXISTS (SELECT 1 FROM concierto_event_options WHERE event_id = ? AND option_id = ?) AS option,
              EXISTS (SELECT 1 FROM devices WHERE secret_hash = ?) AS signed_up,
              EXISTS (SELECT 1 FROM held_votes WHERE vote_id = ?::uuid) AS taken`,
      [v.eventId, v.eventId, v.optionId, v.secretHash, v.voteId],
    );
    const { event, option, signed_up, taken } = why!;
    return { status: !event ? 'unknown_event' : !option ? 'unknown_option' : signed_up ? 'signed_up' : taken ? 'vote_id_taken' : 'not_open' };
  }

  /** One read, so the sign-in of a device that held nothing (nearly all) pays one round trip, not a transaction. */
  async anythingToLink(secretHash: string, userId: string, at: Date): Promise<boolean> {
    const [row] = await this.sql.query<{ any: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM held_votes WHERE secret_hash = ? AND user_id IS NULL AND expires_at > ?)
           OR EXISTS (SELECT 1 FROM held_votes WHERE user_id = ?::uuid AND outcome = 'counted' AND recorded_at IS NULL) AS any`,
      [secretHash, at, userId],
    );
    return row?.any === true;
  }

  /** Each held vote becomes the user's vote (`counted`) unless the user has one on that event (`superseded`). */
  async link(secretHash: string, userId: string, at: Date): Promise<{ counted: number; superseded: number }> {
    return this.sql.transaction(async (tx) => {
      const live = await tx.query<{ vote_id: string }>(
        `SELECT vote_id::text FROM held_votes WHERE secret_hash = ? AND user_id IS NULL AND expires_at > ? ORDER BY vote_id FOR UPDATE`,
        [secretHash, at],
      );
      if (!live.length) return { counted: 0, superseded: 0 };
      const counted = await tx.query<{ vote_id: string }>(
        `INSERT INTO event_votes (event_id, user_id, option_id, weight, vote_id, cast_at)
         SELECT event_id, ?::uuid, option_id, weight, vote_id, held_at FROM held_votes WHERE secret_hash = ? AND user_id IS NULL AND expires_at > ?
         ON CONFLICT DO NOTHING RETURNING vote_id::text`,
        [userId, secretHash, at],
      );
      await tx.query(
        `UPDATE held_votes SET user_id = ?::uuid, linked_at = ?, outcome = CASE WHEN vote_id = ANY(?::uuid[]) THEN 'counted' ELSE 'superseded' END
          WHERE secret_hash = ? AND user_id IS NULL AND expires_at > ?`,
        [userId, at, `{${counted.map((c) => c.vote_id).join(',')}}`, secretHash, at],
      );
      return { counted: counted.length, superseded: live.length - counted.length };
    });
  }

  /** The user's counted held votes whose passport event has not committed yet (a crash between the two writes). */
  async unrecorded(userId: string, limit: number): Promise<HeldVote[]> {
    return this.sql.query<HeldVote>(
      `SELECT ${COLUMNS} FROM held_votes WHERE user_id = ?::uuid AND outcome = 'counted' AND recorded_at IS NULL ORDER BY held_at LIMIT ?`,
      [userId, limit],
    );
  }

  async markRecorded(voteIds: readonly string[], at: Date): Promise<void> {
    if (voteIds.length) await this.sql.query(`UPDATE held_votes SET recorded_at = ? WHERE vote_id = ANY(?::uuid[])`, [at, `{${voteIds.join(',')}}`]);
  }

  /** The voter's contact for this event, replaced by a newer one; the row's CHECK refuses it without consent. */
  async saveContact(secretHash: string, eventId: string, c: VoterContact, at: Date): Promise<void> {
    await this.sql.query(
      `INSERT INTO voter_contacts (secret_hash, event_id, email, name, phone, marketing_consent, consented_at) VALUES (?, ?, ?, ?, ?, true, ?)
       ON CONFLICT (secret_hash, event_id) DO UPDATE SET email = EXCLUDED.email, name = EXCLUDED.name, phone = EXCLUDED.phone, consented_at = EXCLUDED.consented_at`,
      [secretHash, eventId, c.email, c.name ?? null, c.phone ?? null, at],
    );
  }

  /** Every contact this device gave, on every event; how many rows went. */
  async deleteContacts(secretHash: string): Promise<number> {
    return (await this.sql.query(`DELETE FROM voter_contacts WHERE secret_hash = ? RETURNING 1`, [secretHash])).length;
  }

  /** The event's consenting voters, oldest first: what the brand may follow up. */
  async contacts(eventId: string, limit: number): Promise<(VoterContact & { consentedAt: string })[]> {
    const rows = await this.sql.query<{ email: string; name: string | null; phone: string | null; consented_at: Date }>(
      `SELECT email, name, phone, consented_at FROM voter_contacts WHERE event_id = ? AND marketing_consent ORDER BY consented_at LIMIT ?`,
      [eventId, limit],
    );
    return rows.map((r) => ({ email: r.email, name: r.name ?? undefined, phone: r.phone ?? undefined, consentedAt: new Date(r.consented_at).toISOString() }));
  }
}
