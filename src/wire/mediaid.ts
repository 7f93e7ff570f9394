import { CursorProcessor } from '../../features/passport/CursorProcessor.js';
import { dnaMirroring } from '../../persistence/mediaid/dnaMirroring.js';
import { DnaRepository } from '../../persistence/mediaid/DnaRepository.js';
import { DnaIndex } from '../../features/mediaid/DnaIndex.js';
import { MediaIdProfiles } from '../../features/mediaid/MediaIdProfiles.js';
import { MediaIdStore } from '../../persistence/mediaid/MediaIdStore.js';
import { ReportRepository } from '../../persistence/reports/ReportRepository.js';
import { halfLifeMs } from '../../systems/mediaid/dna.js';
import { ReportLibrary } from '../../features/reports/ReportLibrary.js';
import { reportsRoutes } from '../http/reportsRoutes.js';
import { MEDIAID_ROUTES } from '../http/mediaidRoutes.js';
import { DIA_DNA_ROUTES } from '../http/mediaidOpsRoutes.js';
import { serviceGate } from '../http/authGates.js';
import { mount } from '../http/route.js';
import type { FeatureParts, WireContext } from './context.js';

/** DNA per domain and the DIA tools: repositories, the match index, the mirroring job, the reports built from DNA, and routes. */
export function wire(ctx: WireContext): FeatureParts {
  const { config, sql, auth } = ctx;
  const c = config.dna;
  const settings = { dims: c.dims, halfLifeMs: halfLifeMs(c.halfLifeDays), baseWeight: c.baseWeight, halfLifeDays: c.halfLifeDays };
  const store = new MediaIdStore(ctx.orm);
  const history = { maxPerUser: c.historyMaxPerUser, minIntervalSec: c.historyMinIntervalSec };
  const dna = new DnaRepository(sql, c.dims, settings.halfLifeMs, history);
  const reports = new ReportRepository(sql);
  const index = new DnaIndex(dna, { ...settings, maxUsers: c.indexMaxUsers, ttlMs: c.indexTtlSec * 1000, pageSize: c.indexPageSize });
  const processor = new CursorProcessor(sql, dnaMirroring({ dims: c.dims, halfLifeMs: settings.halfLifeMs, history }), ctx.log.child({ component: 'dna' }), {
    batchSize: c.batchSize,
  });
  const profiles = new MediaIdProfiles({
    store,
    dna,
    reports,
    index,
    settings: { ...settings, recomputeMaxEvents: c.recomputeMaxEvents, exportMaxRows: c.exportMaxRows, historyMaxPerUser: c.historyMaxPerUser },
  });
  // A report is built by an admin for an artist, event or campaign; its share link is public until it expires.
  const library = new ReportLibrary({ store, reports, dna, settings: { dna: settings, ...config.reports } });
  return {
    routes: [
      ...mount(MEDIAID_ROUTES, { profiles, auth }),
      ...mount(DIA_DNA_ROUTES, { profiles, admin: serviceGate(auth) }),
      ...reportsRoutes({ library, auth, admin: serviceGate(auth), now: library.now, settings: config.reports }),
    ],
    jobs: [
      {
        name: 'dna_mirroring',
        description: 'passport events → MediaID DNA per domain, with carbon decay (cursor consumer)',
        schedule: c.schedule,
        run: processor.job(c.maxBatchesPerRun),
      },
    ],
  };
}
