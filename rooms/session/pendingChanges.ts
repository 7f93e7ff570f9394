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
