import { resolveAdminToken } from './auth/secretFile.js';
import type { Config } from './config/config.js';
import type { Logger } from './logger.js';
import { stopPm2Agent } from './pm2Agent.js';
import { Lifecycle } from './lifecycle.js';
import type { LogTail } from '../features/ops/logTail.js';
import type { FeatureParts, WireContext } from './wire/context.js';
import { wireFoundation } from './wire/foundation.js';
import { listen, wireTransport, type ServedRoute } from './wire/server.js';
import * as analytics from './wire/analytics.js';
import * as assets from './wire/assets.js';
import * as auth from './wire/auth.js';
import * as catalog from './wire/catalog.js';
import * as coliseum from './wire/coliseum.js';
import * as concierto from './wire/concierto.js';
import * as constellation from './wire/constellation.js';
import * as discovery from './wire/discovery.js';
import * as friends from './wire/friends.js';
import * as gravity from './wire/gravity.js';
import * as influence from './wire/influence.js';
import * as jobs from './wire/jobs.js';
import * as journal from './wire/journal.js';
import * as leaderboard from './wire/leaderboard.js';
import * as links from './wire/links.js';
import * as mediaid from './wire/mediaid.js';
import * as notifications from './wire/notifications.js';
import * as ops from './wire/ops.js';
import * as passport from './wire/passport.js';
import * as payments from './wire/payments.js';
import * as session from './wire/session.js';

export interface RunningApp {
  context: WireContext;
  port: number;
  transport: 'uws' | 'ws';
  /** What the HTTP contract must describe. */
  routes: readonly ServedRoute[];
  /**
   * In reverse order of start: HTTP intake (503 + Connection: close), rooms (their session.ended events queued), the
   * passport writer's drain, the rest. Resolves to the components that failed to stop cleanly (empty: nothing lost).
   */
  stop(): Promise<string[]>;
}

/** The composition root: each feature wires itself from the shared context and what earlier features built. */
export async function startApp(config: Config, log: Logger, extras: { logTail?: LogTail } = {}): Promise<RunningApp> {
  await stopPm2Agent();
  const life = new Lifecycle(log, config.shutdownTimeoutMs);
  try {
    const ctx = await wireFoundation({ ...config, adminToken: resolveAdminToken(config, log) }, log, life);
    const p = passport.wire(ctx);
    const g = gravity.wire(ctx, { writer: p.writer, ingest: p.ingest });
    const c = await catalog.wire(ctx, { writer: p.writer });
    const stars = constellation.wire(ctx, { ...c, writer: p.writer });
    const n = await notifications.wire(ctx);
    const f = friends.wire(ctx, { notifier: n.notifier, writer: p.writer });
    const j = await journal.wire(ctx, { catalog: c.catalog, constellations: stars.constellations, notifier: n.notifier, friends: f.friends });
    const capture = stars.capture(j.invalidate);
    const scheduler = jobs.wire(ctx);
    const invalidateStations = () => c.stations.invalidate();
    const conciertoParts = concierto.wire(ctx, { writer: p.writer });
    const background: FeatureParts[] = [
      analytics.wire(ctx, { gravity: g.gravity, jobLogs: scheduler.logs, stationCache: c.cache }),
      influence.wire(ctx, { invalidateStations }),
      assets.wire(ctx, { scheduler: scheduler.scheduler, invalidateStations, notifier: n.notifier }),
      mediaid.wire(ctx),
      conciertoParts,
      payments.wire(ctx, { writer: p.writer }),
      links.wire(ctx, { writer: p.writer }),
    ];
    const transport = await wireTransport(ctx);
    const o = ops.wire(ctx, { writer: p.writer, logTail: extras.logTail, health: transport.health });
    const lb = await leaderboard.wire(ctx, { writer: p.writer, liveCounts: o.liveCounts });
    const spectators = coliseum.wire(ctx, { broadcaster: lb.leaderboards.broadcaster });
    const d = discovery.wire(ctx, {
      store: lb.leaderboards.store,
      writer: p.writer,
      onList: (userId, list) => void n.notifier.topRecommendation(userId, list),
    });
    const s = session.wire(ctx, {
      ...c,
      writer: p.writer,
      constellations: stars.constellations,
      capture,
      journal: j.journal,
      discovery: d,
      joinPhases: transport.joinPhases,
      notifications: n.roomPort,
      friends: f.friends,
      notifier: n.notifier,
    });
    const signIn = auth.wire(ctx, { afterSignIn: (secretHash, who) => conciertoParts.held.linkDevice(secretHash, who.userId) });
    const features: FeatureParts[] = [g, p, c, n, f, j, scheduler, ...background, o, lb, d, { routes: s.routes, start: s.start }, signIn];
    scheduler.scheduler.add(...features.flatMap((f) => f.jobs ?? []));
    // Running jobs are aborted as the drain begins and awaited (bounded) after the sessions moved, while the database is still there.
    life.addBegunAtDrain('jobs', () => scheduler.scheduler.stop());
    const routes = await listen(ctx, transport, { routes: features.flatMap((f) => f.routes), rooms: [s.room, spectators.room], afterStop: s.afterServerStop });
    o.start();
    scheduler.scheduler.start();
    for (const feature of features) feature.start?.();
    life.reportPending('jobsRunning', () => scheduler.scheduler.runningCount);
    log.info(
      { port: config.port, transport: transport.kind, rooms: config.roomsEnabled, jobs: config.jobs.enabled, ms: Date.now() - ctx.startedAt },
      'DeepStream Realtime listening',
    );
    return { context: ctx, port: config.port, transport: transport.kind, routes, stop: () => life.stopAll() };
  } catch (err) {
    await life.stopAll();
    throw err;
  }
}
