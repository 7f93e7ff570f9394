import { matchMaker, Server } from '@colyseus/core';
import { createTransport, type ChosenTransport } from '../transport.js';
import { createLibraryLogger } from '../libraryLogger.js';
import { HttpEdge } from '../http/edge.js';
import { mount, type Route } from '../http/route.js';
import { adminFailureGuard } from '../http/adminFailures.js';
import { matchmakeGate } from '../http/matchmakeGate.js';
import { RedisLiveness, redisGate } from '../http/redisLiveness.js';
import { Limit } from '../../features/limits/Limits.js';
import { HEALTH_ROUTES, registerDependencyGauge, type HealthDeps } from '../http/healthRoutes.js';
import { WEB_DIST, webRoutes } from '../http/webRoutes.js';
import { faviconRoutes } from '../http/favicon.js';
import { createJoinPhaseTimer, matchmakerPlacementSources, processSelection, timeMatchmaking, timePresenceIpc, type JoinPhaseTimer } from '../joinPhases.js';
import { RoomHosts } from '../roomHosts.js';
import { setSchemaBufferBytes } from '../../rooms/colyseusInternals.js';
import { refuseRoomCreation } from '../../rooms/roomsOff.js';
import type { RoomDefinition, WireContext } from './context.js';

export type WiredTransport = ChosenTransport & { joinPhases: JoinPhaseTimer; liveness: RedisLiveness; edge: HttpEdge; health: HealthDeps };

/** Before any route exists. */
export async function wireTransport(ctx: WireContext): Promise<WiredTransport> {
  // Counted per address before Colyseus sees it: a refused create costs no token check and no room.
  const { matchmakesPerAddressPerMinute: perMinute } = ctx.config.limits;
  const matchmakes = new Limit(ctx.backplane, 'matchmakes', perMinute, 60, 'matchmaking requests (room joins) from this address');
  // First: while Redis does not answer, what needs it is refused at once (the matchmaking limit itself would hang).
  const liveness = new RedisLiveness(ctx.backplane, ctx.config.liveness, ctx.log.child({ component: 'redis-liveness' }));
  const edge = new HttpEdge(ctx.config.http, ctx.log.child({ component: 'http' }), [redisGate(liveness), matchmakeGate(matchmakes)]);
  const chosen = await createTransport(ctx.config, ctx.log, edge);
  const joinPhases = createJoinPhaseTimer(ctx.metrics.registry);
  timeMatchmaking(joinPhases);
  const health = {
    sql: ctx.sql,
    backplane: ctx.backplane,
    liveness,
    probeTimeoutMs: ctx.config.liveness.readyProbeTimeoutMs,
    transport: chosen.kind,
    startedAt: ctx.startedAt,
  };
  return { ...chosen, joinPhases, liveness, edge, health };
}

/** An operation, or a page left out with its reason. */
export type ServedRoute = Pick<Route, 'method' | 'path'> & { excluded?: string };

/**
 * Every feature's routes and room types, then listen. Its stop disposes the rooms first (their session.ended events
 * queued), then runs `afterStop`. Resolves to the routes the router serves, in order.
 */
export async function listen(
  ctx: WireContext,
  t: WiredTransport,
  parts: { routes: Route[]; rooms: RoomDefinition[]; afterStop(): Promise<void> },
): Promise<ServedRoute[]> {
  const { config, life } = ctx;
  t.liveness.start();
  life.add('redis-liveness', () => t.liveness.stop());
  registerDependencyGauge(ctx.metrics.registry, t.health);
  const routes = [
    ...mount(HEALTH_ROUTES, t.health),
    ...parts.routes,
    // Built before start (npm start, Dockerfile, tests); without it pages answer 503.
    ...webRoutes(WEB_DIST),
    ...faviconRoutes(),
  ];
  const scaleOut = await scaleOutOptions(ctx, t.joinPhases);
  const server = new Server({
    transport: t.transport,
    gracefullyShutdown: false,
    greet: false,
    publicAddress: config.publicAddress,
    logger: createLibraryLogger(ctx.log, 'colyseus'),
    ...scaleOut?.options,
  });
  const guard = adminFailureGuard(ctx.authLimits.adminFailures, ctx.log.child({ component: 'admin-guard' }));
  t.edge.serve(routes, { draining: () => life.draining, observe: ctx.httpMetrics.observe, settled: guard.settled });
  setSchemaBufferBytes(config.schemaBufferBytes); // before any room exists
  for (const room of parts.rooms) room.define(server);
  if (!config.roomsEnabled) refuseRoomCreation();
  await server.listen(config.port, config.host);
  t.serveHttp(server.router as never);
  // New connections go elsewhere from the drain's first moment; the connections open here are drained in place.
  life.onDraining(() => t.stopListening());
  const hosts = scaleOut && config.roomsEnabled ? scaleOut.roomHosts : null;
  const { processId } = matchMaker;
  await hosts?.start(processId);
  // The sessions start moving at the drain's first moment, alongside the stops awaited before theirs (ops, stats),
  // which wait on the same database pool; placement stops choosing this process first.
  life.addBegunAtDrain('colyseus', async () => {
    const withdrawn = hosts?.stop(processId);
    await server.gracefullyShutdown(false);
    await withdrawn;
    await parts.afterStop();
  });
  return routes.map(({ method, path, ...page }) => ({ method, path, ...('excluded' in page ? { excluded: page.excluded as string } : {}) }));
}

/** Presence and matchmaking on a shared backplane, so processes share rooms; placement among announced room hosts. */
async function scaleOutOptions(ctx: WireContext, joinPhases: JoinPhaseTimer) {
  const { config } = ctx;
  const colyseus = await ctx.backplane.colyseus();
  if (!colyseus) return undefined;
  const presence = timePresenceIpc(colyseus.presence, joinPhases);
  const listed = async () => (await matchMaker.stats.fetchAll()).map((p) => p.processId);
  // A process that does not answer a health check loses its room listings.
  const roomHosts = new RoomHosts(presence, `${ctx.backplane.prefix}roomhosts`, listed, ctx.log.child({ component: 'room-hosts' }), Date.now, (processId) =>
    matchMaker.healthCheckProcessId(processId),
  );
  return {
    roomHosts,
    options: {
      presence,
      driver: colyseus.driver,
      selectProcessIdToCreateRoom: processSelection(config.roomPlacement, joinPhases, matchmakerPlacementSources(roomHosts, config.roomsEnabled)),
    },
  };
}
