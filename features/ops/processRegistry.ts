import type { Backplane, BackplaneMap } from '../../persistence/backplane/Backplane.js';
import type { ProcessHeartbeat } from './types.js';

/**
 * Process heartbeats on a backplane map so any process shows every process's row; live until `at + ttlMs`. Time is
 * passed in so expiry is testable. With a Local backplane only this process's own heartbeat is in it.
 */
export class ProcessRegistry {
  readonly kind: 'local' | 'redis';
  private readonly map: BackplaneMap;

  constructor(backplane: Backplane) {
    this.kind = backplane.kind;
    this.map = backplane.map('ops:procs');
  }

  /** Stores (or replaces) this process's heartbeat, live until `heartbeat.at + ttlMs`. */
  async publish(heartbeat: ProcessHeartbeat, ttlMs: number): Promise<void> {
    if (!heartbeat.processId || typeof heartbeat.processId !== 'string') throw new TypeError('heartbeat.processId must be a non-empty string');
    if (!Number.isFinite(heartbeat.at)) throw new TypeError('heartbeat.at must be epoch milliseconds');
    if (!Number.isInteger(ttlMs) || ttlMs < 1 || ttlMs > 3_600_000) throw new RangeError(`ttlMs must be an integer from 1 to 3600000, got ${ttlMs}`);
    await this.map.set(heartbeat.processId, JSON.stringify(heartbeat), heartbeat.at, heartbeat.at + ttlMs);
  }

  /** Live heartbeats at `nowMs`, ordered by processId. */
  async list(nowMs: number): Promise<ProcessHeartbeat[]> {
    const out: ProcessHeartbeat[] = [];
    for (const [, raw] of await this.map.entries(nowMs)) {
      try {
        out.push(JSON.parse(raw) as ProcessHeartbeat);
      } catch {
        // a corrupt value is skipped rather than hiding every other process
      }
    }
    return out;
  }

  /** Removes a process's heartbeat at once (clean shutdown). */
  async remove(processId: string): Promise<void> {
    await this.map.delete(processId);
  }
}
