/**
 * The two places we rely on Colyseus internals, kept here and nowhere else. Each has a test that fails
 * when the library changes underneath: test/unit/rooms/pendingChanges.test.ts (against the encoder's
 * own `hasChanges`) and test/rooms/sessionTicking.test.ts ("twelve session rooms add no per-room timers").
 */
import type { Room } from '@colyseus/core';
import { $changes, type Schema } from '@colyseus/schema';

interface Tracked {
  [$changes]?: { root?: { changes: { next?: unknown } } };
}

/**
 * True when `state` holds changes not yet encoded: the same test Colyseus's `applyPatches` starts with
 * (`Encoder.hasChanges`). The ticker asks before each patch step so the ~4 of 5 steps in which an idle
 * session changed nothing skip `broadcastPatch` and its bookkeeping. Unknown → true (patch as usual).
 */
export function hasPendingChanges(state: Schema): boolean {
  const root = (state as unknown as Tracked)[$changes]?.root;
  return root === undefined || root.changes.next !== undefined;
}

/**
 * A cleared timer handle. Colyseus starts a 60 Hz clock interval for any room with no patch rate
 * unless it believes the room owns a simulation interval; the shared ticker is that loop, so the
 * room holds this inert handle (clearing it again on dispose is harmless).
 */
const DRIVEN_BY_SHARED_TICKER = setInterval(() => undefined, 2 ** 30);
clearInterval(DRIVEN_BY_SHARED_TICKER);

/** Call in onCreate of a room stepped by rooms/RoomTicker.ts: no per-room Colyseus timers. */
export function driveWithSharedTicker(room: Room): void {
  (room as unknown as { _simulationInterval: unknown })._simulationInterval = DRIVEN_BY_SHARED_TICKER;
  room.patchRate = null;
}
