/**
 * Which process creates a new room. Colyseus' default sends every room to the process with
 * the fewest rooms, so with N processes about (N−1)/N of the joins cross to another process: two
 * request/reply round trips through Redis pub/sub (create the room, reserve the seat) and a second
 * event loop on the join's path. `local` keeps the room on the process that took the matchmaking
 * request (the load balancer already spreads those) while that process is not clearly busier than the
 * least-loaded one; `least_rooms` is Colyseus' rule.
 *
 * Only processes that host rooms are candidates: every process that starts the matchmaker is listed
 * with a room count, a process run with ROOMS_ENABLED=false (jobs and the HTTP edge only) too, and it
 * would look like the least loaded one. A process is a candidate when it is listed with a count AND
 * has announced itself as a room host recently ({@link ROOM_HOST_FRESH_MS}); anything else (a process
 * that never announced, an announcement of a process that is gone or stopped refreshing) is not.
 */
export type PlacementRule = 'local' | 'least_rooms';

export interface ProcessLoad {
  processId: string;
  roomCount: number;
}

/** The process choosing: its live room count, and whether it may create rooms itself. */
export interface PlacingProcess extends ProcessLoad {
  hostsRooms: boolean;
}

/** `local` stays local up to this many more rooms than the least-loaded process, and this fraction more. */
export const LOCAL_SLACK_ROOMS = 50;
export const LOCAL_SLACK_FRACTION = 0.1;

/** A room host re-announces itself this often, so an announcement lost with Redis comes back. */
export const ROOM_HOST_ANNOUNCE_MS = 15_000;
/** An announcement older than this no longer makes its process a candidate (four missed ones). */
export const ROOM_HOST_FRESH_MS = 4 * ROOM_HOST_ANNOUNCE_MS;
/** Announcements this old whose process is no longer listed are deleted (the list stays bounded). */
export const ROOM_HOST_FORGET_MS = 10 * 60_000;

/** Room hosts by process id → epoch ms of their last announcement, as stored. */
export type RoomHostAnnouncements = Readonly<Record<string, string>>;

/** The process ids announced within {@link ROOM_HOST_FRESH_MS} of `nowMs` (either side: clocks of two hosts differ a little). */
export function freshRoomHosts(announced: RoomHostAnnouncements, nowMs: number): Set<string> {
  const fresh = new Set<string>();
  for (const [processId, at] of Object.entries(announced)) if (Math.abs(nowMs - Number(at)) <= ROOM_HOST_FRESH_MS) fresh.add(processId);
  return fresh;
}

/** Announcements to delete: old, and of a process the matchmaker no longer lists. */
export function forgottenRoomHosts(announced: RoomHostAnnouncements, listed: ReadonlySet<string>, nowMs: number): string[] {
  return Object.entries(announced)
    .filter(([processId, at]) => !listed.has(processId) && !(nowMs - Number(at) < ROOM_HOST_FORGET_MS))
    .map(([processId]) => processId);
}

/**
 * The process to create the room on, or undefined when there is none: `self` hosts no rooms and no
 * listed process is a fresh room host. `processes` are every listed process's room counts (this one's
 * included or not); `hosts` the processes that announced hosting rooms ({@link freshRoomHosts}). A
 * room-hosting `self` is always a candidate, with its live count, so an empty list places the room here.
 */
export function chooseProcess(rule: PlacementRule, self: PlacingProcess, processes: readonly ProcessLoad[], hosts: ReadonlySet<string>): string | undefined {
  const others = processes.filter((p) => p.processId !== self.processId && hosts.has(p.processId));
  let least: ProcessLoad | undefined = self.hostsRooms ? self : undefined;
  for (const p of others) if (!least || p.roomCount < least.roomCount) least = p; // a tie keeps this process
  if (!least || !self.hostsRooms || rule === 'least_rooms') return least?.processId;
  const allowed = least.roomCount * (1 + LOCAL_SLACK_FRACTION) + LOCAL_SLACK_ROOMS;
  return self.roomCount <= allowed ? self.processId : least.processId;
}
