/**
 * The DNA match of listeners an artist or event counts for the first time in a bucket, added to that bucket's average
 * by the rollups, with the same vectors a report uses. Users with matching off or no DNA are left out.
 */
import { LRUCache } from 'lru-cache';
import { type AudienceMatcher, type NewMember, memberKey } from '../../persistence/leaderboard/rollups.js';
import type { DnaRepository } from '../../persistence/mediaid/DnaRepository.js';
import type { ReportRepository } from '../../persistence/reports/ReportRepository.js';
import { addSignals, DNA_DOMAINS, match, norm, profileEmbedding, zeroVectors, type DnaSettings, type DomainVectors } from '../../systems/mediaid/dna.js';
import { artistSignals, concertSignals } from '../../systems/mediaid/signals.js';

export interface AudienceMatchDeps {
  dna: Pick<DnaRepository, 'dnaOfUsers'>;
  reports: Pick<ReportRepository, 'artistsGenres' | 'concertFacts'>;
  settings: DnaSettings;
  now?: () => number;
}

/** An event's DNA reads its whole passport, which every batch of a busy event must not re-read; five minutes is fresh enough. */
const SUBJECT_CACHE = { max: 5000, ttl: 5 * 60_000 } as const;

const hasDna = (v: DomainVectors): boolean => DNA_DOMAINS.some((d) => norm(v[d]) > 0);

/** The subjects' DNA (an artist's catalog id and genres, an event's voted artists and attendance cities), from `cache` or read. */
async function subjects(deps: AudienceMatchDeps, members: readonly NewMember[], cache: LRUCache<string, DomainVectors>): Promise<Map<string, DomainVectors>> {
  const dims = deps.settings.dims;
  const out = new Map<string, DomainVectors>();
  const missing = (kind: NewMember['kind']) =>
    [...new Set(members.filter((m) => m.kind === kind).map((m) => m.entityId))].filter((id) => {
      const hit = cache.get(`${kind} ${id}`);
      if (hit) out.set(`${kind} ${id}`, hit);
      return !hit;
    });
  const artists = missing('artist');
  const genres = await deps.reports.artistsGenres(artists);
  for (const id of artists) out.set(`artist ${id}`, addSignals(zeroVectors(dims), artistSignals(id, genres.get(id) ?? [])));
  for (const id of missing('event')) out.set(`event ${id}`, await catalogDna(deps.reports, 'event', id, dims, () => []));
  for (const [key, vectors] of out) cache.set(key, vectors);
  return out;
}

/** A catalog artist's or event's DNA; `unknownArtist` answers for an artist the catalog lacks (genres, or a throw). */
export async function catalogDna(reports: AudienceMatchDeps['reports'], kind: 'artist' | 'event', id: string, dims: number, unknownArtist: () => string[]) {
  if (kind === 'event') {
    const facts = await reports.concertFacts(id);
    return addSignals(zeroVectors(dims), concertSignals(id, facts.artists, facts.cities));
  }
  return addSignals(zeroVectors(dims), artistSignals(id, (await reports.artistsGenres([id])).get(id) ?? unknownArtist()));
}

/** The matcher the rollups call once per batch with that batch's new listeners. */
export function audienceMatcher(deps: AudienceMatchDeps): AudienceMatcher {
  const now = deps.now ?? Date.now;
  const cache = new LRUCache<string, DomainVectors>(SUBJECT_CACHE);
  return async (members) => {
    const scores = new Map<string, number>();
    if (!members.length) return scores;
    const users = [...new Set(members.map((m) => m.userId))];
    const at = now();
    const listeners = new Map<string, DomainVectors>();
    for (const d of await deps.dna.dnaOfUsers(users, users.length)) {
      const vectors = profileEmbedding(d.inputs, d.dynamic, at, deps.settings);
      if (hasDna(vectors)) listeners.set(d.userId, vectors);
    }
    if (!listeners.size) return scores;
    const entities = await subjects(deps, members, cache);
    for (const m of members) {
      const listener = listeners.get(m.userId);
      const entity = entities.get(`${m.kind} ${m.entityId}`);
      if (listener && entity) scores.set(memberKey(m), match(listener, entity).score);
    }
    return scores;
  };
}
