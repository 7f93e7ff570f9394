import { GravityRepository } from '../../persistence/gravity/GravityRepository.js';
import { gravityEdges } from '../../persistence/gravity/gravityEdges.js';
import { CursorProcessor } from '../../features/passport/CursorProcessor.js';
import { gravityEventRoutes, gravityRoutes } from '../http/gravityRoutes.js';
import type { IngestOptions } from '../http/passportRoutes.js';
import type { PassportIngest } from '../../features/passport/durableIngest.js';
import { scheduled, type FeatureParts, type WireContext } from './context.js';

/** Play/skip events (`POST /event`) → track edges (a passport consumer), neighbours, the radio ranking. */
export function wire(ctx: WireContext, deps: { writer: PassportIngest; ingest: IngestOptions }): FeatureParts & { gravity: GravityRepository } {
  const { config, sql, log } = ctx;
  const g = config.gravity;
  const gravity = new GravityRepository(sql, { halfLifeDays: g.halfLifeDays, directoryEntries: g.trackCacheEntries, directoryTtlMs: g.trackCacheTtlMs });
  const builder = new CursorProcessor(sql, gravityEdges({ halfLifeDays: g.halfLifeDays }), log.child({ component: 'gravity' }), { batchSize: g.batchSize });
  return {
    gravity,
    routes: [...gravityEventRoutes(deps.writer, { ...deps.ingest, artistOfTrack: (id) => gravity.artistOf(id) }), ...gravityRoutes(gravity, ctx.auth, g)],
    jobs: [scheduled(ctx, 'gravity_edges', 'passport player.* events → track gravity edges (cursor consumer)', builder.job(g.maxBatchesPerRun))],
  };
}
