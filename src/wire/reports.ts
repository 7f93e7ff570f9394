import { DnaRepository } from '../../persistence/mediaid/DnaRepository.js';
import { MediaIdStore } from '../../persistence/mediaid/MediaIdStore.js';
import { ReportRepository } from '../../persistence/reports/ReportRepository.js';
import { halfLifeMs } from '../../systems/mediaid/dna.js';
import { ReportLibrary } from '../../features/reports/ReportLibrary.js';
import { reportsRoutes } from '../http/reportsRoutes.js';
import { serviceGate } from '../http/authGates.js';
import type { FeatureParts, WireContext } from './context.js';

/** Built by an admin for an artist, event or campaign; its share link is public until it expires. */
export function wire(ctx: WireContext): FeatureParts {
  const { config, sql } = ctx;
  const c = config.dna;
  const dnaSettings = { dims: c.dims, halfLifeMs: halfLifeMs(c.halfLifeDays), baseWeight: c.baseWeight, halfLifeDays: c.halfLifeDays };
  const dna = new DnaRepository(sql, c.dims, dnaSettings.halfLifeMs);
  const library = new ReportLibrary({
    store: new MediaIdStore(ctx.orm),
    reports: new ReportRepository(sql),
    dna,
    settings: { dna: dnaSettings, ...config.reports },
  });
  return { routes: reportsRoutes({ library, auth: ctx.auth, admin: serviceGate(ctx.auth), now: library.now, settings: config.reports }) };
}
