/**
 * Replays a client's offline queue idempotently by `opId`. Visits and orb taps: their events are stored BEFORE the op is
 * recorded (event ids derive from the opId, so a retry stores nothing twice). Captures run the live capture use case
 * in a transaction that records the op. Ops applied by older servers kept their events in their result; a sync repairs them.
 */
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { Sql } from '../../persistence/db.js';
import {
  makeEvent,
  nameUuid,
  validateOfflineOperations,
  MAX_OFFLINE_OPERATIONS,
  type OfflineOperation,
  type PassportEvent,
  type CaptureStarOperation,
} from '../../systems/passport/index.js';
import type { CatalogRepository } from '../../persistence/catalog/CatalogRepository.js';
import type { ConstellationRepository } from '../../persistence/constellation/ConstellationRepository.js';
import type { PassportWriter } from '../passport/PassportWriter.js';
import { AppError } from '../../systems/errors.js';
import type { Capture } from '../constellation/Capture.js';
import type { KnownStar } from '../constellation/planStar.js';
import { z } from 'zod';
import { badgeNameSchema, type Badge } from '../../systems/session/badges.js';
import { named } from '../../systems/shapes.js';
import type { PassportIdentity } from '../passport/roomPassport.js';

/** Steps of a discovery path derived from the queue (the bound of a queued one). */
const MAX_QUEUED_PATH = 100;

/** `operations`: per operation, in request order; the client drops from its queue everything not `failed`. */
export const offlineSyncResultSchema = z.object({
  applied: z.number().int(),
  duplicates: z.number().int(),
  conflicts: z.number().int(),
  failed: z.array(named(z.object({ opId: z.string(), error: z.string() }), 'FailedOperation')),
  operations: z.array(named(z.object({ opId: z.string(), status: z.enum(['applied', 'duplicate', 'conflict', 'failed']) }), 'OperationResult')),
  totalStars: z.number().int(),
  badgesAwarded: z.array(badgeNameSchema),
});
export type OfflineSyncResult = z.infer<typeof offlineSyncResultSchema>;
export type OperationStatus = OfflineSyncResult['operations'][number]['status'];

export interface OfflineSyncOptions {
  /** How long to wait for the events of a sync to be stored (PASSPORT_ACK_TIMEOUT_MS). */
  durableTimeoutMs: number;
  now?: () => number;
}

/** What offline sync uses: the log, the stars, the catalog (artist names) and the capture use case. */
export interface OfflineSyncDeps {
  sql: Sql;
  writer: PassportWriter;
  constellations: Pick<ConstellationRepository, 'starsOf' | 'countStars'>;
  catalog: Pick<CatalogRepository, 'artistById'>;
  capture: Capture;
  log: Logger;
}

/** A sync request that cannot be processed at all. */
export class OfflineSyncError extends AppError<'TOO_MANY_OPERATIONS' | 'INVALID_OPERATIONS'> {}

/** A name-based (v5-layout, SHA-1) UUID: the same operation always yields the same event id. */
export function uuidFromName(name: string): string {
  return nameUuid(createHash('sha1').update(`deepstream:passport:${name}`).digest());
}

/** One replay: each operation's status so far; `fail` records why one failed. */
interface Run {
  identity: PassportIdentity;
  nowMs: number;
  status: Map<string, OperationStatus>;
  fail(opId: string, error: string): void;
}

export class OfflineSync {
  constructor(
    private readonly deps: OfflineSyncDeps,
    private readonly options: OfflineSyncOptions,
  ) {}

  /** @throws OfflineSyncError for a non-array or too long queue; BackpressureError when the passport is full (nothing applied). */
  async replay(identity: PassportIdentity, operations: unknown): Promise<OfflineSyncResult> {
    if (!Array.isArray(operations)) throw new OfflineSyncError('INVALID_OPERATIONS', 'operations must be an array of queued operations');
    if (operations.length > MAX_OFFLINE_OPERATIONS)
      throw new OfflineSyncError(
        'TOO_MANY_OPERATIONS',
        `${operations.length} operations in one sync; send at most ${MAX_OFFLINE_OPERATIONS} per call and the rest in the next`,
      );
    const nowMs = (this.options.now ?? Date.now)();
    const status = new Map<string, OperationStatus>();
    const failed: OfflineSyncResult['failed'] = [];
    const run: Run = {
      identity,
      nowMs,
      status,
      fail: (opId, error) => {
        status.set(opId, 'failed');
        failed.push({ opId, error });
      },
    };
    const { valid, invalid } = validateOfflineOperations(operations, nowMs);
    for (const bad of invalid) failed.push({ opId: bad.opId, error: bad.error });
    const invalidAt = new Map(invalid.map((bad) => [bad.index, bad.opId]));

    const unique = new Map<string, OfflineOperation>();
    for (const op of valid) if (!unique.has(op.opId)) unique.set(op.opId, op);
    const applied = await this.appliedResults(identity.userId, [...unique.keys()]);
    for (const opId of applied.keys()) status.set(opId, 'duplicate');
    const fresh = [...unique.values()].filter((op) => !applied.has(op.opId));

    await this.replayInteractions(run, fresh, applied);
    const captures = fresh.filter((op): op is CaptureStarOperation => op.type === 'capture_star').map((op) => withQueuedPath(op, valid));
    const badgesAwarded = await this.replayCaptures(run, captures);

    // Per position: invalid → failed; the first valid occurrence of an opId → its outcome; repeats → duplicate.
    // `valid` keeps the input order, so the positions not invalid are its operations in turn.
    const counts = { applied: 0, duplicate: 0, conflict: 0, failed: 0 };
    const seen = new Set<string>();
    let nextValid = 0;
    const list = operations.map((_raw, index) => {
      const invalidId = invalidAt.get(index);
      const opId = invalidId ?? valid[nextValid++].opId;
      const s: OperationStatus = invalidId !== undefined ? 'failed' : seen.has(opId) ? 'duplicate' : (status.get(opId) ?? 'failed');
      if (invalidId === undefined) seen.add(opId);
      counts[s]++;
      return { opId, status: s };
    });
    const totalStars = await this.deps.constellations.countStars(identity.userId);
    this.deps.log.info({ userId: identity.userId, sessionId: identity.sessionId, ...counts }, 'offline queue replayed');
    return { applied: counts.applied, duplicates: counts.duplicate, conflicts: counts.conflict, failed, operations: list, totalStars, badgesAwarded };
  }

  /** Orb interactions and station visits (plus repairs of earlier captures): events first, then the op rows. */
  private async replayInteractions(run: Run, fresh: OfflineOperation[], applied: Map<string, { events?: PassportEvent[] }>): Promise<void> {
    const { identity, status, fail } = run;
    const built: Array<{ op: OfflineOperation; event: PassportEvent }> = [];
    for (const op of fresh) {
      if (op.type === 'capture_star') continue;
      try {
        built.push({ op, event: this.interactionEvent(identity, op, run.nowMs) });
      } catch (err) {
        fail(op.opId, (err as Error).message);
      }
    }
    const repairs = await this.missingEvents([...applied.values()].flatMap((r) => r.events ?? []));
    const events = [...built.map((b) => b.event), ...repairs];
    if (events.length === 0) return;
    const durable = this.deps.writer.enqueueDurable(events, this.options.durableTimeoutMs); // throws BackpressureError before anything changed
    try {
      await durable;
    } catch (err) {
      for (const { op } of built) fail(op.opId, `the event log did not confirm in time (${(err as Error).message}); sync again later`);
      return;
    }
    if (repairs.length > 0)
      this.deps.log.warn({ userId: identity.userId, repaired: repairs.length }, 'offline sync re-logged capture events lost by an earlier crash');
    if (built.length === 0) return;
    const claimed = await this.deps.sql.query<{ op_id: string }>(
      `INSERT INTO offline_operations (user_id, op_id, op_type, result)
       SELECT ?, o.id, o.type, jsonb_build_object('status', 'applied', 'eventId', o.event_id)
       FROM jsonb_to_recordset(?::jsonb) AS o(id text, type text, event_id text)
       ON CONFLICT (user_id, op_id) DO NOTHING RETURNING op_id`,
      [identity.userId, JSON.stringify(built.map((b) => ({ id: b.op.opId, type: b.op.type, event_id: b.event.eventId })))],
    );
    const won = new Set(claimed.map((r) => r.op_id));
    for (const { op } of built) status.set(op.opId, won.has(op.opId) ? 'applied' : 'duplicate');
  }

  /** Captures one by one, each in its own transaction that also records the operation. */
  private async replayCaptures(run: Run, ops: CaptureStarOperation[]): Promise<Badge[]> {
    const { identity, nowMs, status, fail } = run;
    const badgesAwarded: Badge[] = [];
    if (ops.length === 0) return badgesAwarded;
    let stars: KnownStar[] = await this.deps.constellations.starsOf(identity.userId);
    for (const op of ops.sort((a, b) => a.occurredAtMs - b.occurredAtMs)) {
      if (stars.some((s) => s.artistId === op.artistId)) {
        await this.deps.sql.query(
          `INSERT INTO offline_operations (user_id, op_id, op_type, result) VALUES (?, ?, ?, '{"status": "conflict"}'::jsonb) ON CONFLICT (user_id, op_id) DO NOTHING`,
          [identity.userId, op.opId, op.type],
        );
        status.set(op.opId, 'conflict');
        this.deps.log.info({ userId: identity.userId, artistId: op.artistId, opId: op.opId }, 'duplicate capture attempt from offline sync');
        continue;
      }
      try {
        const artist = await this.deps.catalog.artistById(op.artistId);
        if (!artist) {
          fail(op.opId, `no such artist "${op.artistId}" in the catalog; drop this operation from the queue`);
          continue;
        }
        const outcome = await this.deps.sql.transaction((tx) =>
          this.captureInTx(tx, identity, op, { id: op.artistId, name: artist.name, genres: artist.genres }, stars, nowMs),
        );
        status.set(op.opId, outcome.status);
        if (outcome.status === 'applied') {
          this.deps.capture.committed(identity.userId); // the journal cache drops again, after the commit
          // Committed with the star (outbox): queued now and answered once stored; if not, the outbox drainer stores them.
          await Promise.resolve()
            .then(() => this.deps.writer.enqueueDurable(outcome.logged, this.options.durableTimeoutMs))
            .catch((err: unknown) =>
              this.deps.log.warn({ err: (err as Error).message, opId: op.opId }, 'capture stored; its passport events wait in the outbox'),
            );
        }
        if (outcome.stars) stars = outcome.stars;
        badgesAwarded.push(...outcome.badgesAwarded);
      } catch (err) {
        fail(op.opId, (err as Error).message);
      }
    }
    return badgesAwarded;
  }

  /** Claims the operation and captures the star (with its events) in one transaction; a conflict corrects the claim's result. */
  private async captureInTx(
    tx: Sql,
    identity: PassportIdentity,
    op: CaptureStarOperation,
    artist: { id: string; name: string; genres: string[] },
    stars: KnownStar[],
    nowMs: number,
  ) {
    const [claimed] = await tx.query(
      `INSERT INTO offline_operations (user_id, op_id, op_type, result) VALUES (?, ?, ?, ?::jsonb) ON CONFLICT (user_id, op_id) DO NOTHING RETURNING op_id`,
      [identity.userId, op.opId, op.type, JSON.stringify({ status: 'applied' })],
    );
    if (!claimed) return { status: 'duplicate' as OperationStatus, logged: [] as PassportEvent[], badgesAwarded: [] as Badge[] };
    const sessionId = op.sessionId ?? identity.sessionId;
    const result = await this.deps.capture.run(
      {
        userId: identity.userId,
        sessionId,
        artist,
        discoveryPath: op.discoveryPath,
        existing: stars,
        opId: op.opId,
        capturedAtMs: Math.min(op.occurredAtMs, nowMs),
        deviceId: identity.deviceId,
        source: 'offline_sync',
        receivedAtMs: nowMs,
        // Derived from the operation: a retried sync stores nothing twice.
        eventId: (n) => uuidFromName(`${identity.userId}:${op.opId}:${n}`),
      },
      tx,
    );
    if (result.status === 'captured')
      return { status: 'applied' as OperationStatus, logged: result.logged, badgesAwarded: result.badgesAwarded, stars: result.stars };
    await tx.query(`UPDATE offline_operations SET result = '{"status": "conflict"}'::jsonb WHERE user_id = ? AND op_id = ?`, [identity.userId, op.opId]);
    return { status: 'conflict' as OperationStatus, logged: [] as PassportEvent[], badgesAwarded: [] as Badge[] };
  }

  private interactionEvent(identity: PassportIdentity, op: Exclude<OfflineOperation, CaptureStarOperation>, nowMs: number): PassportEvent {
    const ids = { userId: identity.userId, sessionId: op.sessionId ?? identity.sessionId, deviceId: identity.deviceId, source: 'offline_sync' as const };
    const common = { eventId: uuidFromName(`${identity.userId}:${op.opId}:0`), occurredAt: op.occurredAtMs };
    if (op.type === 'orb_interaction') {
      const { fromArtistId, toArtistId, orbId, relationship, opId } = op;
      const payload = { fromArtistId, toArtistId, ...(orbId ? { orbId } : {}), relationship, opId };
      const entityId = orbId ?? `${fromArtistId}>${toArtistId}`;
      return makeEvent('orb.tapped', { ...common, payload, entityType: 'orb', entityId }, ids, nowMs, () => common.eventId);
    }
    const payload = { artistId: op.artistId, frequency: op.frequency, method: 'offline_cache' as const, opId: op.opId };
    return makeEvent('station.visited', { ...common, payload, entityType: 'artist', entityId: op.artistId }, ids, nowMs, () => common.eventId);
  }

  private async appliedResults(userId: string, opIds: string[]): Promise<Map<string, { events?: PassportEvent[] }>> {
    if (opIds.length === 0) return new Map();
    const rows = await this.deps.sql.query<{ op_id: string; result: unknown }>(
      `SELECT op_id, result FROM offline_operations WHERE user_id = ? AND op_id IN (SELECT jsonb_array_elements_text(?::jsonb))`,
      [userId, JSON.stringify(opIds)],
    );
    return new Map(
      rows.map((r) => [r.op_id, withNumericTimes((typeof r.result === 'string' ? JSON.parse(r.result) : r.result) as { events?: PassportEvent[] })]),
    );
  }

  /** Stored capture events of earlier syncs that never reached the passport (a crash after the capture commit). */
  private async missingEvents(events: PassportEvent[]): Promise<PassportEvent[]> {
    if (events.length === 0) return [];
    const rows = await this.deps.sql.query<{ event_id: string }>(
      `SELECT event_id::text AS event_id FROM passport_event_ids WHERE event_id IN (SELECT jsonb_array_elements_text(?::jsonb)::uuid)`,
      [JSON.stringify(events.map((e) => e.eventId))],
    );
    const stored = new Set(rows.map((r) => r.event_id));
    return events.filter((e) => !stored.has(e.eventId));
  }
}

/** A capture queued without its path takes the queue's own (what was visited, tapped and captured before it), so offline captures draw lines. */
function withQueuedPath(op: CaptureStarOperation, queue: readonly OfflineOperation[]): CaptureStarOperation {
  if (op.discoveryPath.length > 0) return op;
  const before = queue.filter((o) => o.occurredAtMs < op.occurredAtMs).sort((a, b) => a.occurredAtMs - b.occurredAtMs);
  const path = before.flatMap((o) => (o.type === 'orb_interaction' ? [o.fromArtistId, o.toArtistId] : [o.artistId]));
  return { ...op, discoveryPath: path.slice(-MAX_QUEUED_PATH) };
}

/** Results stored before times became numbers hold ISO strings: the repair path re-queues numbers. */
function withNumericTimes(result: { events?: PassportEvent[] }): { events?: PassportEvent[] } {
  const ms = (t: unknown) => (typeof t === 'string' ? Date.parse(t) : (t as number));
  return result.events
    ? { ...result, events: result.events.map((e) => ({ ...e, occurredAt: ms(e.occurredAt), receivedAt: ms(e.receivedAt) }) as PassportEvent) }
    : result;
}
