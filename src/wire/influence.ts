import { InfluenceRepository } from '../../persistence/influence/InfluenceRepository.js';
import { CatalogGenreSource, DatasetSource } from '../../persistence/influence/sources.js';
import { ImportedRelationsRepository, ImportedSource } from '../../persistence/influence/ImportedRelations.js';
import { buildInfluenceGraph } from '../../features/influence/buildInfluenceGraph.js';
import { scheduled, type FeatureParts, type WireContext } from './context.js';

/** Relationships from the sources, scored, thresholded, laid out as orbs. */
export function wire(ctx: WireContext, deps: { invalidateStations: () => Promise<void> }): FeatureParts {
  const { config, sql } = ctx;
  const repo = new InfluenceRepository(sql);
  const imported = new ImportedRelationsRepository(sql);
  // MusicBrainz and Last.fm relations come from `npm run influence:import`; with none imported they say nothing.
  const sources = [
    new DatasetSource(config.influence.datasetPath),
    new CatalogGenreSource(sql),
    new ImportedSource(imported, 'musicbrainz'),
    new ImportedSource(imported, 'lastfm'),
  ];
  return {
    routes: [],
    jobs: [
      scheduled(ctx, 'influence_graph', 'relationships from the sources, scored, thresholded, laid out as orbs', (job) =>
        buildInfluenceGraph({ repo, sources, invalidateStations: deps.invalidateStations, ...config.influence }, job),
      ),
    ],
  };
}
