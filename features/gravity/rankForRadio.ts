import { rankCandidates, type RankedCandidate } from '../../systems/gravity/gravity.js';
import type { GravityRepository } from '../../persistence/gravity/GravityRepository.js';

/** What the radio service has when it picks the next track. */
export interface RankRequest {
  currentTrackId: string;
  candidateTrackIds: readonly string[];
  /** Cosine similarity from the map, 0..1, per candidate. */
  embeddingScores: Readonly<Record<string, number>>;
  /** Tracks already played this session: never offered again. */
  sessionHistory: readonly string[];
}

/** The radio's next-track ranking from the gravity of current → each candidate. */
export async function rankForRadio(gravity: Pick<GravityRepository, 'gravityScores'>, request: RankRequest, gravityWeight: number): Promise<RankedCandidate[]> {
  const history = new Set(request.sessionHistory);
  // Only candidates that can be ranked need a gravity read.
  const open = request.candidateTrackIds.filter((id) => id !== request.currentTrackId && !history.has(id));
  const scores = await gravity.gravityScores(request.currentTrackId, [...new Set(open)]);
  return rankCandidates(request.currentTrackId, request.candidateTrackIds, request.embeddingScores, request.sessionHistory, Object.fromEntries(scores), {
    gravityWeight,
  });
}
