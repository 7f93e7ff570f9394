import type { LeaderboardBroadcaster } from '../../features/leaderboard/LeaderboardBroadcaster.js';
import { createColiseumRoom, defineColiseumRoom } from '../../rooms/coliseum/ColiseumRoom.js';
import { DEFAULT_COLISEUM_LIMITS } from '../../rooms/coliseum/options.js';
import type { RoomDefinition, WireContext } from './context.js';

/** Fed by this process's leaderboard broadcaster. */
export function wire(ctx: WireContext, deps: { broadcaster: LeaderboardBroadcaster }): { room: RoomDefinition } {
  const { config } = ctx;
  const settings = {
    ...DEFAULT_COLISEUM_LIMITS,
    maxClientsPerRoom: config.coliseum.maxClientsPerRoom,
    namespace: config.redisPrefix,
    ...config.clients,
  };
  return {
    room: {
      name: 'coliseum',
      define: () =>
        void defineColiseumRoom(ctx.metrics.instrument('coliseum', createColiseumRoom({ log: ctx.log, broadcaster: deps.broadcaster, settings })), {
          settings,
        }),
    },
  };
}
