import type { Logger } from 'pino';
import type { InfluenceRepository } from '../../persistence/influence/InfluenceRepository.js';
import type { RelationshipSource } from '../../persistence/influence/sources.js';
import type { JobContext, JobResult } from '../jobs/JobScheduler.js';
import { mergeRelations, planOrbs, type InfluenceArtist, type SourceRelation } from '../../systems/influence/influence.js';

export interface InfluenceBuilderDeps {
  repo: InfluenceRepository;
  sources: RelationshipSource[];
  /** Drops station snapshots in every process (StationService.invalidate): rooms show new orbs at their next lock. */
  invalidateStations(): Promise<void>;
  artistsPerRun: number;
  refreshDays: number;
  maxOrbs: number;
}

const DAY_MS = 86_400_000;

/** What every source says about one artist; a failing source is skipped (and logged). */
async function ask(sources: RelationshipSource[], artist: InfluenceArtist, log: Logger): Promise<SourceRelation[][]> {
  return Promise.all(
    sources.map((source) =>
      source.relationsFor(artist).catch((err: Error) => {
        log.warn({ err: err.message, source: source.name, artistId: artist.id }, 'relationship source failed; building without it');
        return [];
      }),
    ),
  );
}

/**
 * For the artists due (most popular first): merge the sources, match names to the catalog, score, threshold, lay out
 * and replace each artist's orbs; station caches are invalidated once if any orbs changed.
 */
export async function buildInfluenceGraph(deps: InfluenceBuilderDeps, ctx: Pick<JobContext, 'nowMs' | 'signal' | 'log'>): Promise<JobResult> {
  const artists = await deps.repo.artistsDue(new Date(ctx.nowMs - deps.refreshDays * DAY_MS), deps.artistsPerRun);
  const totals = { created: 0, updated: 0, deleted: 0, belowThreshold: 0 };
  const changedArtists: string[] = [];
  let processed = 0;
  for (const artist of artists) {
    if (ctx.signal.aborted) break;
    const matched = await deps.repo.match(mergeRelations(await ask(deps.sources, artist, ctx.log)));
    const { orbs, scored } = planOrbs(artist, matched, deps.maxOrbs);
    const sourceCounts = new Map(matched.map((m) => [m.target.id, m.sourceCount]));
    const change = await deps.repo.replaceOrbs(artist.id, orbs, scored.length, sourceCounts, new Date(ctx.nowMs));
    totals.created += change.created;
    totals.updated += change.updated;
    totals.deleted += change.deleted;
    totals.belowThreshold += scored.length - orbs.length;
    if (change.changed) changedArtists.push(artist.id);
    processed++;
  }
  if (changedArtists.length > 0) await deps.invalidateStations();
  return { rows: processed, details: { ...totals, changedArtists: changedArtists.slice(0, 100), sources: deps.sources.map((s) => s.name) } };
}
