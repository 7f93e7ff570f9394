/**
 * Replays a client's offline queue (seed 000 step 15) idempotently, keyed by each operation's `opId`:
 * - orb interactions and station visits become passport events that keep their original time; their
 *   events are confirmed stored BEFORE the operation is recorded as applied, so a crash in between
 *   only makes the client retry (event ids are derived from the opId, so the retry stores nothing twice);
 * - captures run the normal capture transaction, which also records the operation; a star that
 *   already exists counts as a conflict. Their events are written after the commit; if the process
 *   died in between, the next sync of that opId finds the events missing and writes them (repair).
 */
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { Sql } from '../db.js';
import { makeEvent, validateOfflineOperations, MAX_OFFLINE_OPERATIONS, type OfflineOperation, type PassportEvent, type CaptureStarOperation } from '../../systems/passport/index.js';
import { badgesEarned } from '../../systems/badges.js';
import { buildConnections, mulberry32, placeStar, seedFromIds } from '../../systems/constellation.js';
import type { ConnectionInput, ConstellationRepository, StarPosition } from '../constellation/ConstellationRepository.js';
import type { PassportWriter } from './PassportWriter.js';
import { isBackpressure } from './errors.js';
import { CodedError } from '../../systems/errors.js';

export interface SyncIdentity {
  userId: string;
  sessionId: string;
  deviceId: string;
}

/** Where a replayed capture goes: the same math the room uses for live captures. */
export interface CapturePlan {
  position: StarPosition;
  connections: ConnectionInput[];
  badges: string[];
}
export type CapturePlanner = (input: {
  userId: string;
  artistId: string;
  discoveryPath: string[];
  existing: Array<{ artistId: string; position: StarPosition }>;
}) => CapturePlan | Promise<CapturePlan>;

export type OperationStatus = 'applied' | 'duplicate' | 'conflict' | 'failed';

// A type alias (not an interface) so it also fits ports typed as Record<string, unknown>.
export type OfflineSyncResult = {
  applied: number;
  duplicates: number;
  conflicts: number;
  failed: Array<{ opId: string; error: string }>;
  /** Per operation, in request order: the client drops from its queue everything not `failed`. */
  operations: Array<{ opId: string; status: OperationStatus }>;
  totalStars: number;
  badgesAwarded: string[];
};

export interface OfflineSyncOptions {
  /** Default 500 ({@link MAX_OFFLINE_OPERATIONS}). */
  maxOperations?: number;
  /** How long to wait for the events of a sync to be stored. Default 10 s. */
  durableTimeoutMs?: number;
  now?: () => number;
  planCapture?: CapturePlanner;
}

/** A sync request that cannot be processed at all. */
export class OfflineSyncError extends CodedError<'TOO_MANY_OPERATIONS' | 'INVALID_OPERATIONS'> {
  override readonly name = 'OfflineSyncError';
}

/**
 * Placement without catalog knowledge (relationships count as peer, no genres): the base star is the
 * latest discovery-path star, the badges follow the star count. src/app.ts passes catalogCapturePlanner instead.
 */
export const defaultCapturePlanner: CapturePlanner = ({ userId, artistId, discoveryPath, existing }) => {
  const stars = existing.map((s) => ({ ...s, genres: [] as string[] }));
  const placement = placeStar({ existing: stars, discoveryPath, artistId, relationshipFrom: () => null, rng: mulberry32(seedFromIds(userId, artistId)) });
  const connections = buildConnections({ artistId, genres: [] }, stars, placement).map((c) => ({ ...c }));
  const badges = badgesEarned({ orbsExplored: 0, starsCaptured: existing.length }, { orbsExplored: 0, starsCaptured: existing.length + 1 });
  return { position: { ...placement.position }, connections, badges };
};

/** A name-based (v5-layout, SHA-1) UUID: the same operation always yields the same event id. */
export function uuidFromName(name: string): string {
  const h = createHash('sha1').update(`deepstream:passport:${name}`).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

export class OfflineSync {
  private readonly max: number;
  private readonly durableTimeoutMs: number;
  private readonly now: () => number;
  private readonly planCapture: CapturePlanner;

  constructor(
    private readonly sql: Sql,
    private readonly writer: PassportWriter,
    private readonly constellations: ConstellationRepository,
    private readonly log: Logger,
    options: OfflineSyncOptions = {},
  ) {
    this.max = options.maxOperations ?? MAX_OFFLINE_OPERATIONS;
    this.durableTimeoutMs = options.durableTimeoutMs ?? 10_000;
    this.now = options.now ?? Date.now;
    this.planCapture = options.planCapture ?? defaultCapturePlanner;
  }

  /**
   * Replays `operations` for `identity`. @throws OfflineSyncError for a non-array or too long queue,
   * BackpressureError when the passport cannot take the events (nothing was applied; retry later).
   */
  async replay(identity: SyncIdentity, operations: unknown): Promise<OfflineSyncResult> {
    if (!Array.isArray(operations)) throw new OfflineSyncError('INVALID_OPERATIONS', 'operations must be an array of queued operations');
    if (operations.length > this.max) {
      throw new OfflineSyncError('TOO_MANY_OPERATIONS', `${operations.length} operations in one sync; send at most ${this.max} per call and the rest in the next`);
    }
    const nowMs = this.now();
    const status = new Map<string, OperationStatus>();
    const failed: OfflineSyncResult['failed'] = [];
    const fail = (opId: string, error: string) => {
      status.set(opId, 'failed');
      failed.push({ opId, error });
    };
    const { valid, invalid } = validateOfflineOperations(operations, nowMs);
    for (const bad of invalid) failed.push({ opId: bad.opId, error: bad.error });
    const invalidAt = new Set(invalid.map((bad) => bad.index));

    const unique = new Map<string, OfflineOperation>();
    for (const op of valid) if (!unique.has(op.opId)) unique.set(op.opId, op);
    const applied = await this.appliedResults(identity.userId, [...unique.keys()]);
    for (const opId of applied.keys()) status.set(opId, 'duplicate');
    const fresh = [...unique.values()].filter((op) => !applied.has(op.opId));

    await this.replayInteractions(identity, fresh, applied, nowMs, status, fail);
    const captures = await this.replayCaptures(identity, fresh.filter((op): op is CaptureStarOperation => op.type === 'capture_star'), nowMs, status, fail);

    // Per position: invalid → failed; the first valid occurrence of an opId → its outcome; repeats → duplicate.
    const counts = { applied: 0, duplicate: 0, conflict: 0, failed: 0 };
    const seen = new Set<string>();
    const list = operations.map((raw, index) => {
      const opId = opIdOf(raw, index);
      const s: OperationStatus = invalidAt.has(index) ? 'failed' : seen.has(opId) ? 'duplicate' : (status.get(opId) ?? 'failed');
      if (!invalidAt.has(index)) seen.add(opId);
      counts[s]++;
      return { opId, status: s };
    });
    const result: OfflineSyncResult = {
      applied: counts.applied,
      duplicates: counts.duplicate,
      conflicts: counts.conflict,
      failed,
      operations: list,
      totalStars: await this.constellations.countStars(identity.userId),
      badgesAwarded: captures.badgesAwarded,
    };
    this.log.info({ userId: identity.userId, sessionId: identity.sessionId, ...counts }, 'offline queue replayed');
    return result;
  }

  /** Orb interactions and station visits (plus repairs of earlier captures): events first, then the op rows. */
  private async replayInteractions(
    identity: SyncIdentity,
    fresh: OfflineOperation[],
    applied: Map<string, { events?: PassportEvent[] }>,
    nowMs: number,
    status: Map<string, OperationStatus>,
    fail: (opId: string, error: string) => void,
  ): Promise<void> {
    const built: Array<{ op: OfflineOperation; event: PassportEvent }> = [];
    for (const op of fresh) {
      if (op.type === 'capture_star') continue;
      try {
        built.push({ op, event: this.interactionEvent(identity, op, nowMs) });
      } catch (err) {
        fail(op.opId, (err as Error).message);
      }
    }
    const repairs = await this.missingEvents([...applied.values()].flatMap((r) => r.events ?? []));
    const events = [...built.map((b) => b.event), ...repairs];
    if (events.length === 0) return;
    const reservation = this.writer.reserve(events.length); // throws BackpressureError before anything changed
    try {
      await reservation.enqueueDurable(events, this.durableTimeoutMs);
    } catch (err) {
      for (const { op } of built) fail(op.opId, `the event log did not confirm in time (${(err as Error).message}); sync again later`);
      return;
    } finally {
      reservation.release();
    }
    if (repairs.length > 0) this.log.warn({ userId: identity.userId, repaired: repairs.length }, 'offline sync re-logged capture events lost by an earlier crash');
    if (built.length === 0) return;
    const claimed = await this.sql.query<{ op_id: string }>(
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
  private async replayCaptures(
    identity: SyncIdentity,
    ops: CaptureStarOperation[],
    nowMs: number,
    status: Map<string, OperationStatus>,
    fail: (opId: string, error: string) => void,
  ): Promise<{ badgesAwarded: string[] }> {
    const badgesAwarded: string[] = [];
    if (ops.length === 0) return { badgesAwarded };
    const stars = await this.constellations.starsOf(identity.userId);
    for (const op of ops.sort((a, b) => a.occurredAtMs - b.occurredAtMs)) {
      if (stars.some((s) => s.artistId === op.artistId)) {
        await this.recordOp(identity.userId, op, { status: 'conflict' });
        status.set(op.opId, 'conflict');
        this.log.info({ userId: identity.userId, artistId: op.artistId, opId: op.opId }, 'duplicate capture attempt from offline sync');
        continue;
      }
      try {
        const plan = await this.planCapture({ userId: identity.userId, artistId: op.artistId, discoveryPath: op.discoveryPath, existing: stars });
        const reservation = this.writer.reserve(1 + plan.badges.length);
        try {
          const outcome = await this.sql.transaction(async (tx) => {
            const [claimed] = await tx.query(`INSERT INTO offline_operations (user_id, op_id, op_type) VALUES (?, ?, ?) ON CONFLICT (user_id, op_id) DO NOTHING RETURNING op_id`, [identity.userId, op.opId, op.type]);
            if (!claimed) return { status: 'duplicate' as OperationStatus, events: [] as PassportEvent[], star: undefined };
            const capturedAtMs = Math.min(op.occurredAtMs, nowMs);
            const sessionId = op.sessionId ?? identity.sessionId;
            const result = await this.constellations.capture({ userId: identity.userId, sessionId, artistId: op.artistId, ...plan, discoveryPath: op.discoveryPath, opId: op.opId, capturedAtMs }, tx);
            const events = result.status === 'captured' ? this.captureEvents(identity, op, result.star.position, result.totalStars, result.badgesAwarded, nowMs) : [];
            const state: OperationStatus = result.status === 'captured' ? 'applied' : 'conflict';
            await tx.query(`UPDATE offline_operations SET result = ?::jsonb WHERE user_id = ? AND op_id = ?`, [JSON.stringify({ status: state, events }), identity.userId, op.opId]);
            if (result.status === 'captured') badgesAwarded.push(...result.badgesAwarded);
            return { status: state, events, star: result.star };
          });
          status.set(op.opId, outcome.status);
          if (outcome.status === 'applied' && outcome.star) stars.push({ artistId: op.artistId, position: outcome.star.position });
          await reservation.enqueueDurable(outcome.events, this.durableTimeoutMs).catch((err) => {
            this.log.warn({ err: (err as Error).message, opId: op.opId }, 'capture stored; its passport events are still queued');
          });
        } finally {
          reservation.release();
        }
      } catch (err) {
        fail(op.opId, isBackpressure(err) ? `${(err as Error).message} (this capture was not applied)` : (err as Error).message);
      }
    }
    return { badgesAwarded };
  }

  private interactionEvent(identity: SyncIdentity, op: Exclude<OfflineOperation, CaptureStarOperation>, nowMs: number): PassportEvent {
    const ids = { userId: identity.userId, sessionId: op.sessionId ?? identity.sessionId, deviceId: identity.deviceId, source: 'offline_sync' as const };
    const common = { eventId: uuidFromName(`${identity.userId}:${op.opId}:0`), occurredAt: op.occurredAtMs };
    if (op.type === 'orb_interaction') {
      const payload = { fromArtistId: op.fromArtistId, toArtistId: op.toArtistId, ...(op.orbId ? { orbId: op.orbId } : {}), relationship: op.relationship, opId: op.opId };
      return makeEvent('orb.tapped', { ...common, payload, entityType: 'orb', entityId: op.orbId ?? `${op.fromArtistId}>${op.toArtistId}` }, ids, nowMs, () => common.eventId);
    }
    const payload = { artistId: op.artistId, frequency: op.frequency, method: 'offline_cache' as const, opId: op.opId };
    return makeEvent('station.visited', { ...common, payload, entityType: 'artist', entityId: op.artistId }, ids, nowMs, () => common.eventId);
  }

  private captureEvents(identity: SyncIdentity, op: CaptureStarOperation, position: StarPosition, totalStars: number, badges: string[], nowMs: number): PassportEvent[] {
    const ids = { userId: identity.userId, sessionId: op.sessionId ?? identity.sessionId, deviceId: identity.deviceId, source: 'offline_sync' as const };
    const id = (n: number) => uuidFromName(`${identity.userId}:${op.opId}:${n}`);
    const captured = makeEvent(
      'constellation.captured',
      { eventId: id(0), occurredAt: op.occurredAtMs, entityType: 'artist', entityId: op.artistId, payload: { artistId: op.artistId, position, totalStars, discoveryPath: op.discoveryPath, opId: op.opId } },
      ids,
      nowMs,
      () => id(0),
    );
    const badgeEvents = badges.map((badge, i) => makeEvent('badge.earned', { eventId: id(i + 1), occurredAt: op.occurredAtMs, entityType: 'badge', entityId: badge, payload: { badge } }, ids, nowMs, () => id(i + 1)));
    return [captured, ...badgeEvents];
  }

  private async recordOp(userId: string, op: OfflineOperation, result: Record<string, unknown>): Promise<void> {
    await this.sql.query(`INSERT INTO offline_operations (user_id, op_id, op_type, result) VALUES (?, ?, ?, ?::jsonb) ON CONFLICT (user_id, op_id) DO NOTHING`, [userId, op.opId, op.type, JSON.stringify(result)]);
  }

  private async appliedResults(userId: string, opIds: string[]): Promise<Map<string, { events?: PassportEvent[] }>> {
    if (opIds.length === 0) return new Map();
    const rows = await this.sql.query<{ op_id: string; result: unknown }>(
      `SELECT op_id, result FROM offline_operations WHERE user_id = ? AND op_id IN (SELECT jsonb_array_elements_text(?::jsonb))`,
      [userId, JSON.stringify(opIds)],
    );
    return new Map(rows.map((r) => [r.op_id, (typeof r.result === 'string' ? JSON.parse(r.result) : r.result) as { events?: PassportEvent[] }]));
  }

  /** Stored capture events of earlier syncs that never reached the passport (a crash after the capture commit). */
  private async missingEvents(events: PassportEvent[]): Promise<PassportEvent[]> {
    if (events.length === 0) return [];
    const rows = await this.sql.query<{ event_id: string }>(
      `SELECT event_id::text AS event_id FROM passport_entries WHERE event_id IN (SELECT jsonb_array_elements_text(?::jsonb)::uuid)`,
      [JSON.stringify(events.map((e) => e.eventId))],
    );
    const stored = new Set(rows.map((r) => r.event_id));
    return events.filter((e) => !stored.has(e.eventId));
  }
}

function opIdOf(raw: unknown, index: number): string {
  const r = raw as Record<string, unknown> | null;
  const id = r && typeof r === 'object' ? (r.opId ?? r.op_id ?? r.id) : undefined;
  return typeof id === 'string' && id.length > 0 && id.length <= 100 ? id : `#${index}`;
}
