/**
 * DNA mirroring (seed 002 "Passport → DNA mirroring pipeline") as a passport cursor consumer: each id
 * range's events, per user, evolve that user's `dna_profiles` row with carbon decay
 * (systems/mediaid/dna.ts `mirror`). Like the gravity builder it resumes from its cursor and is exactly
 * once: the profile writes and the cursor move commit in one transaction (CursorProcessor).
 *
 * Rows are locked in user order (`FOR UPDATE`) after an insert-if-missing, so a manual recompute of a
 * user (DnaRepository.recompute, which locks the same row) and a batch never overwrite each other.
 * SQL reads and writes, the arithmetic in JS: it runs at passport rate (BENCHMARKS.md "MediaID DNA").
 */
import type { Sql } from '../db.js';
import type { CursorConsumer } from '../processor/CursorProcessor.js';
import { mirror, type DynamicDna, type TimedSignals } from '../../systems/mediaid/dna.js';
import { eventSignals } from '../../systems/mediaid/signals.js';

export const DNA_MIRRORING_CURSOR = 'dna_mirroring';

/** The passport fields the signals read, flattened (not the whole payload: sensor batches are large). */
export const MIRROR_SELECT = `
  SELECT e.id::text AS id, e.user_id::text AS u, e.event_type AS t, (extract(epoch FROM e.occurred_at) * 1000)::float8 AS at,
         e.payload->>'artistId' AS "artistId", e.payload->>'toArtistId' AS "toArtistId", e.payload->>'voteFor' AS "voteFor",
         e.payload->>'eventId' AS "eventId", e.payload->>'city' AS city, e.payload->>'amountCents' AS "amountCents",
         e.payload->>'currency' AS currency, e.payload->>'reason' AS reason, e.payload->>'productId' AS "productId",
         e.payload->>'weight' AS weight, a.genres
    FROM passport_entries e
    JOIN users usr ON usr.id = e.user_id
    LEFT JOIN artists a ON a.id = CASE e.event_type WHEN 'orb.tapped' THEN e.payload->>'toArtistId' WHEN 'concierto.vote_cast' THEN e.payload->>'voteFor' ELSE e.payload->>'artistId' END`;

export type MirrorRow = Record<string, string | number | string[] | null> & { id: string; u: string; t: string; at: number; genres: string[] | null };

const NUMERIC = new Set(['amountCents', 'weight']);
const FIELDS = ['artistId', 'toArtistId', 'voteFor', 'eventId', 'city', 'amountCents', 'currency', 'reason', 'productId', 'weight'];

/** One selected row → its timed signals. */
export function signalsOfRow(row: MirrorRow): TimedSignals {
  const payload: Record<string, unknown> = {};
  for (const f of FIELDS) {
    const v = row[f];
    if (v !== null && v !== undefined) payload[f] = NUMERIC.has(f) ? Number(v) : v;
  }
  return { atMs: Number(row.at), signals: eventSignals({ eventType: row.t, payload, occurredAtMs: Number(row.at), artistGenres: row.genres ?? undefined }) };
}

export interface StoredProfile {
  user_id: string;
  dims: number;
  cultural: number[];
  behavioral: number[];
  economic: number[];
  spatial: number[];
  ref_ms: number;
  signals: string | number;
  through_id: string;
}

/** A stored row as a DynamicDna, or null when it is empty or was built with other dimensions (DNA_DIMS changed). */
export function dynamicOf(row: StoredProfile | undefined, dims: number): DynamicDna | null {
  if (!row || Number(row.dims) !== dims || Number(row.signals) === 0) return null;
  return { vectors: { cultural: row.cultural.map(Number), behavioral: row.behavioral.map(Number), economic: row.economic.map(Number), spatial: row.spatial.map(Number) }, refMs: Number(row.ref_ms), signals: Number(row.signals) };
}

export const PROFILE_COLUMNS = `user_id::text AS user_id, dims, cultural, behavioral, economic, spatial, (extract(epoch FROM ref_at) * 1000)::float8 AS ref_ms, signals, through_id::text AS through_id`;

/** Locks (creating empty ones first) the profiles of `userIds`, in user order; returns them by user. */
export async function lockProfiles(tx: Sql, userIds: string[], dims: number): Promise<Map<string, StoredProfile>> {
  const ids = JSON.stringify(userIds);
  const zeros = `'{${new Array(dims).fill(0).join(',')}}'::real[]`;
  await tx.query(
    `INSERT INTO dna_profiles (user_id, dims, cultural, behavioral, economic, spatial, ref_at, signals)
     SELECT u::uuid, ?, ${zeros}, ${zeros}, ${zeros}, ${zeros}, 'epoch', 0 FROM jsonb_array_elements_text(?::jsonb) u ORDER BY 1
     ON CONFLICT (user_id) DO NOTHING`,
    [dims, ids],
  );
  const rows = await tx.query<StoredProfile>(`SELECT ${PROFILE_COLUMNS} FROM dna_profiles WHERE user_id IN (SELECT jsonb_array_elements_text(?::jsonb)::uuid) ORDER BY user_id FOR UPDATE`, [ids]);
  return new Map(rows.map((r) => [r.user_id, r]));
}

/** Writes profiles (already locked) in one statement. */
export async function writeProfiles(tx: Sql, profiles: Array<{ userId: string; dna: DynamicDna; throughId: string }>, dims: number): Promise<void> {
  if (!profiles.length) return;
  const round = (v: number[]) => v.map((x) => Math.fround(x));
  const records = profiles.map(({ userId, dna, throughId }) => ({
    user_id: userId,
    through_id: throughId,
    cultural: round(dna.vectors.cultural),
    behavioral: round(dna.vectors.behavioral),
    economic: round(dna.vectors.economic),
    spatial: round(dna.vectors.spatial),
    ref_ms: dna.refMs,
    signals: dna.signals,
  }));
  await tx.query(
    `UPDATE dna_profiles p SET dims = ?, cultural = r.cultural, behavioral = r.behavioral, economic = r.economic, spatial = r.spatial,
            ref_at = to_timestamp(r.ref_ms / 1000.0), signals = r.signals, through_id = r.through_id, updated_at = now()
       FROM jsonb_to_recordset(?::jsonb) AS r(user_id uuid, through_id bigint, cultural real[], behavioral real[], economic real[], spatial real[], ref_ms float8, signals bigint)
      WHERE p.user_id = r.user_id`,
    [dims, JSON.stringify(records)],
  );
}

/**
 * Groups rows by user, mirrors each user's events into their locked profile and writes them back.
 * Rows at or below a profile's `through_id` are already in it (a recompute ran ahead) and are skipped.
 */
export async function mirrorRows(tx: Sql, rows: MirrorRow[], dims: number, halfLifeMs: number): Promise<number> {
  const byUser = new Map<string, MirrorRow[]>();
  for (const row of rows) (byUser.get(row.u) ?? byUser.set(row.u, []).get(row.u)!).push(row);
  if (!byUser.size) return 0;
  const stored = await lockProfiles(tx, [...byUser.keys()].sort(), dims);
  const updated: Array<{ userId: string; dna: DynamicDna; throughId: string }> = [];
  for (const [userId, list] of byUser) {
    const profile = stored.get(userId);
    const through = BigInt(profile?.through_id ?? '0');
    const fresh = list.filter((r) => BigInt(r.id) > through);
    if (!fresh.length) continue;
    const last = fresh[fresh.length - 1].id;
    updated.push({ userId, dna: mirror(dynamicOf(profile, dims), fresh.map(signalsOfRow), dims, halfLifeMs), throughId: last });
  }
  await writeProfiles(tx, updated, dims);
  return updated.length;
}

/** The mirroring consumer for a {@link CursorProcessor}. */
export function dnaMirroring(options: { dims: number; halfLifeMs: number; name?: string }): CursorConsumer {
  return {
    name: options.name ?? DNA_MIRRORING_CURSOR,
    apply: async (tx, fromId, toId) => {
      const rows = await tx.query<MirrorRow>(`${MIRROR_SELECT} WHERE e.id > ? AND e.id <= ? ORDER BY e.id`, [fromId, toId]);
      await mirrorRows(tx, rows, options.dims, options.halfLifeMs);
    },
  };
}
