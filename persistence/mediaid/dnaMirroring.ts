/**
 * DNA mirroring as a passport cursor consumer: each range's events evolve each user's `dna_profiles` row with carbon
 * decay, exactly once (CursorProcessor). Rows are locked in user order after an insert-if-missing, so a recompute
 * and a batch never overwrite each other. It runs in the rooms' process, so the arithmetic yields every
 * {@link SLICE_MS} (one 5,000-row batch held the loop ~200 ms and tripled swipe p99).
 */
import type { Sql } from '../db.js';
import type { CursorConsumer } from '../passport/PassportCursor.js';
import { mirror, type DynamicDna, type TimedSignals } from '../../systems/mediaid/dna.js';
import { eventSignals } from '../../systems/mediaid/signals.js';
import { snapshotProfiles, type DnaHistorySettings } from './dnaHistory.js';
import { dynamicOf, type StoredProfile } from './storedProfile.js';

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

export const PROFILE_COLUMNS = `user_id::text AS user_id, dims, array_to_string(cultural || behavioral || economic || spatial, ',') AS v, (extract(epoch FROM ref_at) * 1000)::float8 AS ref_ms, signals, through_id::text AS through_id`;

/** Locks (creating empty ones first) the profiles of `userIds`, in user order; returns them by user. */
export async function lockProfiles(tx: Sql, userIds: string[], dims: number): Promise<Map<string, StoredProfile>> {
  const ids = `{${userIds.join(',')}}`;
  const zeros = `'{${new Array(dims).fill(0).join(',')}}'::real[]`;
  await tx.query(
    `INSERT INTO dna_profiles (user_id, dims, cultural, behavioral, economic, spatial, ref_at, signals)
     SELECT u, ?, ${zeros}, ${zeros}, ${zeros}, ${zeros}, 'epoch', 0 FROM unnest(?::uuid[]) u ORDER BY 1
     ON CONFLICT (user_id) DO NOTHING`,
    [dims, ids],
  );
  const rows = await tx.query<StoredProfile>(`SELECT ${PROFILE_COLUMNS} FROM dna_profiles WHERE user_id = ANY(?::uuid[]) ORDER BY user_id FOR UPDATE`, [ids]);
  return new Map(rows.map((r) => [r.user_id, r]));
}

/** Longest stretch of mirroring arithmetic between two turns of the event loop. */
export const SLICE_MS = 4;

/** Resolves at once while the slice lasts; past it, after the event loop has run what waits (I/O, ticks). */
function sliceClock(): () => Promise<void> | undefined {
  let since = performance.now();
  return () => {
    if (performance.now() - since < SLICE_MS) return undefined;
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        since = performance.now();
        resolve();
      }),
    );
  };
}

/** Six decimals: a float4 keeps ~7 significant digits anyway, and short numbers print and parse faster. */
const r6 = (x: number): number => Math.round(x * 1e6) / 1e6;

/** Profiles per UPDATE: each statement's vector literal stays ~0.3 MB at 32 dims (one of 1,500 users was ~2 MB). */
export const WRITE_CHUNK = 256;

/**
 * Writes locked profiles {@link WRITE_CHUNK} per statement, a chunk's vectors as ONE flat `real[]` literal (4–5× faster
 * than jsonb arrays); chunks keep the rooms' event loop free.
 */
export async function writeProfiles(tx: Sql, profiles: Array<{ userId: string; dna: DynamicDna; throughId: string }>, dims: number): Promise<void> {
  for (let i = 0; i < profiles.length; i += WRITE_CHUNK) await writeChunk(tx, profiles.slice(i, i + WRITE_CHUNK), dims);
}

async function writeChunk(tx: Sql, profiles: Array<{ userId: string; dna: DynamicDna; throughId: string }>, dims: number): Promise<void> {
  if (!profiles.length) return;
  const w = 4 * dims;
  const due = sliceClock();
  const parts: string[] = [];
  for (const { dna } of profiles) {
    const v = dna.vectors;
    parts.push(`${v.cultural.map(r6).join(',')},${v.behavioral.map(r6).join(',')},${v.economic.map(r6).join(',')},${v.spatial.map(r6).join(',')}`);
    await due();
  }
  const at = (from: number, to: number) => `v.a[(u.n - 1) * ${w} + ${from} : (u.n - 1) * ${w} + ${to}]`;
  await tx.query(
    `WITH u AS (SELECT id, n FROM unnest(?::uuid[]) WITH ORDINALITY AS x(id, n)),
          v AS (SELECT ?::real[] AS a, ?::float8[] AS r, ?::bigint[] AS g, ?::bigint[] AS t)
     UPDATE dna_profiles p SET dims = ?, cultural = ${at(1, dims)}, behavioral = ${at(dims + 1, 2 * dims)}, economic = ${at(2 * dims + 1, 3 * dims)}, spatial = ${at(3 * dims + 1, w)},
            ref_at = to_timestamp(v.r[u.n] / 1000.0), signals = v.g[u.n], through_id = v.t[u.n], updated_at = now()
       FROM u, v WHERE p.user_id = u.id`,
    [
      `{${profiles.map((p) => p.userId).join(',')}}`,
      `{${parts.join(',')}}`,
      `{${profiles.map((p) => p.dna.refMs).join(',')}}`,
      `{${profiles.map((p) => p.dna.signals).join(',')}}`,
      `{${profiles.map((p) => p.throughId).join(',')}}`,
      dims,
    ],
  );
}

/** Rows at or below a profile's `through_id` are already in it (a recompute ran ahead) and are skipped. */
export async function mirrorRows(tx: Sql, rows: MirrorRow[], dims: number, halfLifeMs: number, history?: DnaHistorySettings): Promise<number> {
  const byUser = new Map<string, MirrorRow[]>();
  for (const row of rows) (byUser.get(row.u) ?? byUser.set(row.u, []).get(row.u)!).push(row);
  if (!byUser.size) return 0;
  const stored = await lockProfiles(tx, [...byUser.keys()].sort(), dims);
  const updated: Array<{ userId: string; dna: DynamicDna; throughId: string }> = [];
  const due = sliceClock();
  for (const [userId, list] of byUser) {
    await due();
    const profile = stored.get(userId);
    const through = BigInt(profile?.through_id ?? '0');
    const fresh = list.filter((r) => BigInt(r.id) > through);
    if (!fresh.length) continue;
    updated.push({ userId, dna: mirror(dynamicOf(profile, dims), fresh.map(signalsOfRow), dims, halfLifeMs), throughId: fresh[fresh.length - 1].id });
  }
  await writeProfiles(tx, updated, dims);
  const userIds = updated.map((u) => u.userId);
  if (history) await snapshotProfiles(tx, userIds, 'mirroring', history);
  return updated.length;
}

/** The mirroring consumer for a {@link CursorProcessor}; with `history`, the users it evolves are snapshotted (bounded). */
export function dnaMirroring(options: { dims: number; halfLifeMs: number; name?: string; history?: DnaHistorySettings }): CursorConsumer {
  return {
    name: options.name ?? DNA_MIRRORING_CURSOR,
    apply: async (tx, fromId, toId) => {
      const rows = await tx.query<MirrorRow>(`${MIRROR_SELECT} WHERE e.id > ? AND e.id <= ? ORDER BY e.id`, [fromId, toId]);
      await mirrorRows(tx, rows, options.dims, options.halfLifeMs, options.history);
    },
  };
}
