/**
 * Wiring of MediaID DNA, DIA DNA tools and Coliseum reports (issue 15 parts 4–6): the repositories,
 * the match index, the `dna_mirroring` job (a passport cursor consumer) and the routes.
 */
import { cursorJob } from '../../features/jobs/cursorJob.js';
import type { Config } from '../config/config.js';
import type { Logger } from '../logger.js';
import type { Orm } from '../../persistence/orm.js';
import type { Sql } from '../../persistence/db.js';
import { CursorProcessor } from '../../features/passport/CursorProcessor.js';
import { dnaMirroring } from '../../persistence/mediaid/dnaMirroring.js';
import { DnaRepository } from '../../persistence/mediaid/DnaRepository.js';
import { DnaIndex } from '../../features/mediaid/DnaIndex.js';
import { MediaIdStore } from '../../persistence/mediaid/MediaIdStore.js';
import { ReportRepository } from '../../persistence/reports/ReportRepository.js';
import type { JobDefinition } from '../../features/jobs/JobScheduler.js';
import { halfLifeMs } from '../../systems/mediaid/dna.js';
import { mediaidRoutes } from '../http/mediaidRoutes.js';
import { reportRoutes } from '../http/reportsRoutes.js';
import { diaDnaRoutes } from '../http/mediaidOpsRoutes.js';
import type { RequestAuth } from '../http/requireUser.js';
import type { Route } from '../http/router.js';

export interface Insights {
  jobs: JobDefinition[];
  routes: Route[];
  index: DnaIndex;
}


export function createInsights(deps: { config: Config; log: Logger; orm: Orm; sql: Sql; auth: RequestAuth }): Insights {
  const { config, sql, auth } = deps;
  const c = config.dna;
  const settings = { dims: c.dims, halfLifeMs: halfLifeMs(c.halfLifeDays), baseWeight: c.baseWeight, halfLifeDays: c.halfLifeDays };
  const store = new MediaIdStore(deps.orm);
  const dna = new DnaRepository(sql, c.dims, settings.halfLifeMs);
  const reports = new ReportRepository(sql);
  const index = new DnaIndex(dna, { ...settings, maxUsers: c.indexMaxUsers, ttlMs: c.indexTtlSec * 1000 });
  const processor = new CursorProcessor(sql, dnaMirroring({ dims: c.dims, halfLifeMs: settings.halfLifeMs }), deps.log.child({ component: 'dna' }), { batchSize: c.batchSize });
  const jobs: JobDefinition[] = [
    { name: 'dna_mirroring', description: 'seed 002: passport events → MediaID DNA per domain, with carbon decay (cursor consumer)', schedule: c.schedule, run: cursorJob(processor, c.batchSize, c.maxBatchesPerRun) },
  ];
  const routes = [
    ...mediaidRoutes({ store, dna, reports, auth, settings }),
    ...reportRoutes({ store, reports, dna, auth, settings: { dna: settings, ...config.reports } }),
    ...diaDnaRoutes({ store, dna, index, auth, settings: { ...settings, recomputeMaxEvents: c.recomputeMaxEvents, exportMaxRows: c.exportMaxRows } }),
  ];
  return { jobs, routes, index };
}
