/** MediaID DNA reads and writes in SQL: profiles, recompute, match-index pages, audiences, DIA lookup, passport export. */
import { isoSql, type Sql } from '../db.js';
import { lockProfiles, MIRROR_SELECT, PROFILE_COLUMNS, signalsOfRow, writeProfiles, type MirrorRow } from './dnaMirroring.js';
import { dynamicOf, type StoredProfile } from './storedProfile.js';
import { mirror, type DynamicDna, type MediaIdInputs } from '../../systems/mediaid/dna.js';
import { EMPTY_INPUTS } from '../../systems/mediaid/signals.js';
import type { DnaSnapshot } from '../../systems/mediaid/dnaHistory.js';
import type { DnaLookupUser } from '../../systems/ops/answers.js';
import { snapshotProfiles, type DnaHistorySettings } from './dnaHistory.js';

/** Shorter DIA searches find nothing (docs/FEATURES.md "MediaID DNA, DIA and Coliseum reports": a 1–3 character prefix would list a large share of all users). */
export const MIN_LOOKUP_CHARS = 4;

/** A user's DNA as stored: the bases' inputs and the mirrored behaviour. */
export interface StoredDna {
  userId: string;
  inputs: MediaIdInputs;
  dynamic: DynamicDna | null;
  updatedAt: string | null;
}

const STORED_COLUMNS = `u.id::text AS user_id, p.dims, array_to_string(p.cultural || p.behavioral || p.economic || p.spatial, ',') AS v, (extract(epoch FROM p.ref_at) * 1000)::float8 AS ref_ms, p.signals,
  to_json(p.updated_at)#>>'{}' AS updated_at, m.interests, m.genre_preferences, m.content_flags, m.location_code, m.privacy_settings`;
const STORED_FROM = `FROM users u LEFT JOIN dna_profiles p ON p.user_id = u.id LEFT JOIN media_ids m ON m.user_id = u.id`;

type StoredRow = Partial<StoredProfile> & {
  user_id: string;
  updated_at: string | null;
  interests: string[] | null;
  genre_preferences: string[] | null;
  content_flags: unknown;
  location_code: string | null;
  privacy_settings: unknown;
};

const jsonOf = <T>(v: unknown, fallback: T): T => (v == null ? fallback : typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

function toStored(row: StoredRow, dims: number): StoredDna {
  const privacy = jsonOf<Partial<MediaIdInputs['privacy']>>(row.privacy_settings, {});
  return {
    userId: row.user_id,
    inputs: {
      interests: row.interests ?? [],
      genrePreferences: row.genre_preferences ?? [],
      contentFlags: jsonOf(row.content_flags, {}),
      locationCode: row.location_code ?? null,
      privacy: { ...EMPTY_INPUTS.privacy, ...privacy },
    },
    dynamic: row.dims == null ? null : dynamicOf(row as StoredProfile, dims),
    updatedAt: row.updated_at ?? null,
  };
}

export class DnaRepository {
  constructor(
    private readonly sql: Sql,
    private readonly dims: number,
    private readonly halfLifeMs: number,
    /** Snapshot each recompute into the evolution history (absent: no history). */
    private readonly history?: DnaHistorySettings,
  ) {}

  /** The user's DNA snapshots, newest first, at most `limit` (the evolution timeline's input); other dimensions' (DNA_DIMS changed) are left out. */
  async snapshots(userId: string, limit: number): Promise<DnaSnapshot[]> {
    const rows = await this.sql.query<StoredProfile & { id: string; taken_at: Date; trigger: 'recompute' | 'mirroring' }>(
      `SELECT id::text AS id, taken_at, trigger, ${PROFILE_COLUMNS} FROM dna_snapshots WHERE user_id = ?::uuid ORDER BY taken_at DESC, id DESC LIMIT ?`,
      [userId, limit],
    );
    return rows.flatMap((r) => {
      const dna = dynamicOf(r, this.dims);
      return dna ? [{ id: r.id, takenAt: new Date(r.taken_at).getTime(), trigger: r.trigger, dna }] : [];
    });
  }

  /** The user's stored DNA; null when the user does not exist. */
  async dnaOf(userId: string): Promise<StoredDna | null> {
    const [row] = await this.sql.query<StoredRow>(`SELECT ${STORED_COLUMNS} ${STORED_FROM} WHERE u.id = ?::uuid`, [userId]);
    return row ? toStored(row, this.dims) : null;
  }

  /** Several users' DNA (reports: an audience), those who allow matching only, at most `limit`. */
  async dnaOfUsers(userIds: readonly string[], limit: number): Promise<StoredDna[]> {
    if (!userIds.length) return [];
    const rows = await this.sql.query<StoredRow>(
      `SELECT ${STORED_COLUMNS} ${STORED_FROM}
        WHERE u.id = ANY(?::uuid[]) AND COALESCE((m.privacy_settings->>'allowMatching')::boolean, true)
        ORDER BY u.id LIMIT ?`,
      [`{${userIds.join(',')}}`, limit],
    );
    return rows.map((r) => toStored(r, this.dims));
  }

  /** One page of every matchable profile (a dynamic profile or MediaID inputs) after `afterUserId`, for the match index. */
  async page(afterUserId: string | null, limit: number): Promise<StoredDna[]> {
    const rows = await this.sql.query<StoredRow>(
      `SELECT ${STORED_COLUMNS} ${STORED_FROM}
        WHERE (p.user_id IS NOT NULL OR m.user_id IS NOT NULL) AND (?::uuid IS NULL OR u.id > ?::uuid)
          AND COALESCE((m.privacy_settings->>'allowMatching')::boolean, true)
        ORDER BY u.id LIMIT ?`,
      [afterUserId, afterUserId, limit],
    );
    return rows.map((r) => toStored(r, this.dims));
  }

  /**
   * Rebuilds the user's DNA from their newest `maxEvents` passport events under the profile's row lock; `through_id` makes
   * the mirroring skip those events, so nothing is counted twice.
   */
  async recompute(userId: string, maxEvents: number): Promise<{ events: number; truncated: boolean; throughId: string }> {
    return this.sql.transaction(async (tx) => {
      await lockProfiles(tx, [userId], this.dims);
      const [head] = await tx.query<{ id: string | null }>(`SELECT max(id)::text AS id FROM passport_entries WHERE user_id = ?::uuid`, [userId]);
      const throughId = head?.id ?? '0';
      const rows = await tx.query<MirrorRow>(`${MIRROR_SELECT} WHERE e.user_id = ?::uuid AND e.id <= ? ORDER BY e.occurred_at DESC, e.id DESC LIMIT ?`, [
        userId,
        throughId,
        maxEvents + 1,
      ]);
      const used = rows.slice(0, maxEvents);
      const dna = mirror(null, used.map(signalsOfRow), this.dims, this.halfLifeMs);
      await writeProfiles(tx, [{ userId, dna, throughId }], this.dims);
      if (this.history) await snapshotProfiles(tx, [userId], 'recompute', this.history);
      return { events: used.length, truncated: rows.length > maxEvents, throughId };
    });
  }

  /** DIA lookup by email or display name (prefix, case-insensitive), `MIN_LOOKUP_CHARS`+ characters. */
  async lookup(query: string, limit: number): Promise<DnaLookupUser[]> {
    const q = query.trim().toLowerCase();
    if (q.length < MIN_LOOKUP_CHARS) return [];
    const prefix = `${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return this.sql.query<DnaLookupUser>(
      `SELECT id, "deviceId", "displayName", email, "matchedBy", "lastSeenAt" FROM (
         SELECT u.id::text AS id, u.device_id AS "deviceId", m.display_name AS "displayName", m.email,
                CASE WHEN u.id::text = ? THEN 'id' WHEN lower(u.device_id) LIKE ? ESCAPE '\\' THEN 'device'
                     WHEN lower(m.email) LIKE ? ESCAPE '\\' THEN 'email' ELSE 'displayName' END AS "matchedBy",
                ${isoSql('u.last_seen_at')} AS "lastSeenAt", u.last_seen_at
           FROM users u LEFT JOIN media_ids m ON m.user_id = u.id
          WHERE u.id IN (
            SELECT id FROM users WHERE id::text = ? OR device_id LIKE ? ESCAPE '\\'
            UNION SELECT user_id FROM media_ids WHERE lower(email) LIKE ? ESCAPE '\\' AND email IS NOT NULL
            UNION SELECT user_id FROM media_ids WHERE lower(display_name) LIKE ? ESCAPE '\\' AND display_name IS NOT NULL)
       ) found ORDER BY (lower(coalesce(email, '')) = ? OR lower(coalesce("displayName", '')) = ? OR id = ?) DESC, last_seen_at DESC LIMIT ?`,
      [q, prefix, prefix, q, prefix, prefix, prefix, q, q, q, limit],
    );
  }

  /** The user's passport as JSON lines, oldest first, at most `maxRows` (then a line says it was cut). */
  async *exportPassport(userId: string, maxRows: number, pageSize = 1000): AsyncGenerator<string> {
    let after: { at: string; id: string } | null = null;
    let sent = 0;
    while (sent < maxRows) {
      const want = Math.min(pageSize, maxRows - sent);
      const rows: Array<Record<string, unknown>> = await this.sql.query(
        `SELECT id::text AS id, event_id AS "eventId", event_type AS "eventType", event_category AS "eventCategory",
                to_json(occurred_at)#>>'{}' AS "occurredAtRaw", occurred_at AS "occurredAt", received_at AS "receivedAt",
                session_id AS "sessionId", device_id AS "deviceId", entity_type AS "entityType", entity_id AS "entityId", source, payload
           FROM passport_entries
          WHERE user_id = ?::uuid AND (?::timestamptz IS NULL OR (occurred_at, id) > (?::timestamptz, ?::bigint))
          ORDER BY occurred_at, id LIMIT ?`,
        [userId, after?.at ?? null, after?.at ?? null, after?.id ?? null, want],
      );
      if (!rows.length) return;
      for (const r of rows) {
        const { occurredAtRaw: _raw, ...line } = r;
        yield `${JSON.stringify({ ...line, occurredAt: new Date(r.occurredAt as string).toISOString(), receivedAt: new Date(r.receivedAt as string).toISOString(), payload: jsonOf(r.payload, {}) })}\n`;
      }
      sent += rows.length;
      const last = rows[rows.length - 1];
      after = { at: String(last.occurredAtRaw), id: String(last.id) };
      if (rows.length < want) return;
    }
    const [more] = await this.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM (SELECT 1 FROM passport_entries WHERE user_id = ?::uuid LIMIT ?) x`, [
      userId,
      maxRows + 1,
    ]);
    if (Number(more?.n ?? 0) > maxRows)
      yield `${JSON.stringify({ truncated: true, maxRows, message: `export stopped after ${maxRows} rows (DNA_EXPORT_MAX_ROWS)` })}\n`;
  }
}
