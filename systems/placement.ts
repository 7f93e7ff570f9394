/**
 * Which process creates a new room. Colyseus's default (fewest rooms) sends about (N−1)/N of joins to another
 * process: two Redis round trips and a second event loop on the join's path. `local` keeps the room where the
 * matchmaking request landed (the load balancer spreads those) while that process is not clearly busier.
 *
 * Only room hosts are candidates: a process with ROOMS_ENABLED=false is listed too and would look least loaded. A
 * candidate is listed with a count AND announced itself recently ({@link ROOM_HOST_FRESH_MS}).
 */
export type PlacementRule = 'local' | 'least_rooms';

export interface ProcessLoad {
  processId: string;
  roomCount: number;
}

export interface PlacingProcess extends ProcessLoad {
  hostsRooms: boolean;
}

/** `local` stays local up to this many more rooms than the least-loaded process, and this fraction more. */
export const LOCAL_SLACK_ROOMS = 50;
export const LOCAL_SLACK_FRACTION = 0.1;

/** So an announcement lost with Redis comes back. */
export const ROOM_HOST_ANNOUNCE_MS = 15_000;
/** Four missed announcements. */
export const ROOM_HOST_FRESH_MS = 4 * ROOM_HOST_ANNOUNCE_MS;
/** Of a process no longer listed: keeps the list bounded. */
export const ROOM_HOST_FORGET_MS = 10 * 60_000;

/** process id → epoch ms of the last announcement. */
export type RoomHostAnnouncements = Readonly<Record<string, string>>;

/** Either side of `nowMs`: two hosts' clocks differ a little. */
export function freshRoomHosts(announced: RoomHostAnnouncements, nowMs: number): Set<string> {
  const fresh = new Set<string>();
  for (const [processId, at] of Object.entries(announced)) if (Math.abs(nowMs - Number(at)) <= ROOM_HOST_FRESH_MS) fresh.add(processId);
  return fresh;
}

export function forgottenRoomHosts(announced: RoomHostAnnouncements, listed: ReadonlySet<string>, nowMs: number): string[] {
  return Object.entries(announced)
    .filter(([processId, at]) => !listed.has(processId) && !(nowMs - Number(at) < ROOM_HOST_FORGET_MS))
    .map(([processId]) => processId);
}

/** undefined when `self` hosts no rooms and no listed process is a fresh host. A room-hosting `self` is always a candidate. */
export function chooseProcess(rule: PlacementRule, self: PlacingProcess, processes: readonly ProcessLoad[], hosts: ReadonlySet<string>): string | undefined {
  const others = processes.filter((p) => p.processId !== self.processId && hosts.has(p.processId));
  let least: ProcessLoad | undefined = self.hostsRooms ? self : undefined;
  for (const p of others) if (!least || p.roomCount < least.roomCount) least = p; // a tie keeps this process
  if (!least || !self.hostsRooms || rule === 'least_rooms') return least?.processId;
  const allowed = least.roomCount * (1 + LOCAL_SLACK_FRACTION) + LOCAL_SLACK_ROOMS;
  return self.roomCount <= allowed ? self.processId : least.processId;
}
