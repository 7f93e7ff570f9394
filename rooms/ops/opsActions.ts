import type { Client, Room } from '@colyseus/core';

/** Consented (4000), so the SDK does not try to reconnect. */
export const KICKED_CLOSE_CODE = 4000;

/** Reached through `matchMaker.remoteRoomCall` wherever the room lives. False when the client is not here. */
export function kickClient(room: Pick<Room, 'clients'>, sessionId: string): boolean {
  const client = (room.clients as unknown as { getById(id: string): Client | undefined }).getById(sessionId);
  if (!client) return false;
  client.leave(KICKED_CLOSE_CODE, 'removed by an operator');
  return true;
}
