import type { Backplane, BackplaneMap } from '../../persistence/backplane/Backplane.js';
import type { ProcessHeartbeat } from './types.js';

/**
 * Where server processes publish their ops heartbeat so any process can show every process's row: a
 * backplane map (`<prefix>{ops:procs}` scored by expiry, one `<prefix>{ops:procs}:ops:proc:<id>` key per process with a
 * TTL as a backstop when shared). A heartbeat is live until `at + ttlMs`; `list` returns live heartbeats
 * only, ordered by processId, and forgets expired ones. Time is passed in (`nowMs`) so expiry is testable
 * without waiting. With a Local backplane only this process's own heartbeat is ever in it.
 */
export class ProcessRegistry {
  readonly kind: 'local' | 'redis';
  private readonly map: BackplaneMap;

  constructor(backplane: Backplane) {
    this.kind = backplane.kind;
    this.map = backplane.map({ indexKey: 'ops:procs', keyOf: (processId) => `ops:proc:${processId}` });
  }

  /** Stores (or replaces) this process's heartbeat, live until `heartbeat.at + ttlMs`. */
  async publish(heartbeat: ProcessHeartbeat, ttlMs: number): Promise<void> {
    assertPublish(heartbeat, ttlMs);
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

  async close(): Promise<void> {}
}

function assertPublish(heartbeat: ProcessHeartbeat, ttlMs: number): void {
  if (!heartbeat.processId || typeof heartbeat.processId !== 'string') throw new TypeError('heartbeat.processId must be a non-empty string');
  if (!Number.isFinite(heartbeat.at)) throw new TypeError('heartbeat.at must be epoch milliseconds');
  if (!Number.isInteger(ttlMs) || ttlMs < 1 || ttlMs > 3_600_000) throw new RangeError(`ttlMs must be an integer from 1 to 3600000, got ${ttlMs}`);
}
