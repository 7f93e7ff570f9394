import { ConstellationRepository } from '../../persistence/constellation/ConstellationRepository.js';
import type { CatalogRepository } from '../../persistence/catalog/CatalogRepository.js';
import type { StationService } from '../../features/catalog/StationService.js';
import { Capture } from '../../features/constellation/Capture.js';
import type { PassportWriter } from '../../features/passport/PassportWriter.js';
import type { WireContext } from './context.js';

/** The stars: where captures are stored, and the one capture use case that live and offline captures share. */
export function wire(
  ctx: WireContext,
  deps: { catalog: CatalogRepository; stations: StationService; writer: PassportWriter },
): { constellations: ConstellationRepository; capture: (onCaptured: (userId: string) => void) => Capture } {
  const constellations = new ConstellationRepository(ctx.sql);
  // A capture's placement reads the orbs pointing at the artist from the stations' in-process cache.
  const catalog = {
    genresOf: (ids: string[]) => deps.catalog.genresOf(ids),
    relationshipsTo: (target: string, sources: string[]) => deps.stations.relationshipsTo(target, sources),
  };
  return { constellations, capture: (onCaptured) => new Capture({ catalog, constellations, passport: deps.writer, onCaptured }) };
}
