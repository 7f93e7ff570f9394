import type { Client, Room } from '@colyseus/core';

/** Close code an operator's kick sends: consented (4000), so the SDK does not try to reconnect. */
export const KICKED_CLOSE_CODE = 4000;

/**
 * Closes one client's connection on an operator's order (`POST /api/ops/rooms/:roomId/clients/:sessionId/kick`,
 * reached through `matchMaker.remoteRoomCall` wherever the room lives). False when the client is not here.
 */
export function kickClient(room: Pick<Room, 'clients'>, sessionId: string): boolean {
  const client = (room.clients as unknown as { getById(id: string): Client | undefined }).getById(sessionId);
  if (!client) return false;
  client.leave(KICKED_CLOSE_CODE, 'removed by an operator');
  return true;
}
