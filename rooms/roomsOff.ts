import { matchMaker, ServerError, type Room } from '@colyseus/core';

/** The matchmake answer's HTTP status; retry. */
export const ROOMS_DISABLED = 503;

/**
 * On a process that hosts no rooms, every room type keeps its matchmaking (`onAuth` runs here, placement sends the
 * create elsewhere) but refuses to create a room here: this covers Colyseus's fallback of creating the room on the
 * requesting process when the chosen one does not answer in time. Call after every room type is defined.
 */
export function refuseRoomCreation(): void {
  for (const handler of Object.values(matchMaker.getAllHandlers())) {
    const Base = handler.klass as new () => Room;
    class NotHere extends Base {
      override onCreate(): void {
        throw new ServerError(
          ROOMS_DISABLED,
          `ROOMS_DISABLED: this process hosts no rooms (ROOMS_ENABLED=false) and the room process chosen for this '${handler.name}' room did not answer. Retry in a few seconds`,
        );
      }
    }
    Object.defineProperty(NotHere, 'name', { value: Base.name });
    handler.klass = NotHere;
  }
}
