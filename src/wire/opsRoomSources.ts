import { matchMaker } from '@colyseus/core';
import type { OpsSources, RoomListing } from '../../features/ops/types.js';

/**
 * The room-related ops sources over Colyseus' matchmaker. With the Redis driver `query` lists every
 * process's rooms and `remoteRoomCall` reaches a room wherever it lives.
 */
export function colyseusRoomSources(timeoutMs = 2000): Pick<OpsSources, 'rooms' | 'inspectRoom' | 'disposeRoom' | 'kickClient'> {
  return {
    rooms: async () => (await matchMaker.query({})) as unknown as RoomListing[],
    inspectRoom: async (roomId: string) => {
      const [listed] = await matchMaker.query({ roomId });
      if (!listed) return null;
      try {
        return await matchMaker.remoteRoomCall(roomId, 'getInspectorView', [], timeoutMs);
      } catch {
        return null; // disposed between the query and the call
      }
    },
    disposeRoom: async (roomId: string) => {
      const [listed] = await matchMaker.query({ roomId });
      if (!listed) return false;
      // Room.disconnect() closes every client and disposes the room, on whichever process holds it.
      await matchMaker.remoteRoomCall(roomId, 'disconnect', [], timeoutMs);
      return true;
    },
    kickClient: async (roomId: string, sessionId: string) => {
      const [listed] = await matchMaker.query({ roomId });
      if (!listed) return 'no_room';
      return (await matchMaker.remoteRoomCall(roomId, 'opsKick', [sessionId], timeoutMs)) ? 'kicked' : 'no_client';
    },
  };
}
