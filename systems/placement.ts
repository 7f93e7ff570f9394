/**
 * Which process creates a new room. Colyseus' default sends every room to the process with
 * the fewest rooms, so with N processes about (N−1)/N of the joins cross to another process: two
 * request/reply round trips through Redis pub/sub (create the room, reserve the seat) and a second
 * event loop on the join's path. `local` keeps the room on the process that took the matchmaking
 * request (the load balancer already spreads those) while that process is not clearly busier than the
 * least-loaded one; `least_rooms` is Colyseus' rule.
 */
export type PlacementRule = 'local' | 'least_rooms';

export interface ProcessLoad {
  processId: string;
  roomCount: number;
}

/** `local` stays local up to this many more rooms than the least-loaded process, and this fraction more. */
export const LOCAL_SLACK_ROOMS = 50;
export const LOCAL_SLACK_FRACTION = 0.1;

/**
 * The process to create the room on. `processes` are every live process's room counts (this one's
 * included, or it is added as `self`); an empty list places it here.
 */
export function chooseProcess(rule: PlacementRule, self: ProcessLoad, processes: readonly ProcessLoad[]): string {
  const all = processes.some((p) => p.processId === self.processId) ? processes.map((p) => (p.processId === self.processId ? self : p)) : [...processes, self];
  let least = self;
  for (const p of all) if (p.roomCount < least.roomCount) least = p; // a tie keeps this process
  if (rule === 'least_rooms') return least.processId;
  const allowed = least.roomCount * (1 + LOCAL_SLACK_FRACTION) + LOCAL_SLACK_ROOMS;
  return self.roomCount <= allowed ? self.processId : least.processId;
}
