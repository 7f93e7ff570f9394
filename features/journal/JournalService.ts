import { kmeans } from 'ml-kmeans';
import { LRUCache } from 'lru-cache';
import { buildJournal, clusterCount, type Journal, type JournalStarInput } from '../../systems/journal.js';
import type { JournalRepository } from '../../persistence/journal/JournalRepository.js';

export interface JournalServiceOptions {
  /** Users whose journal is kept in memory (LRU); JOURNAL_CACHE_ENTRIES. */
  maxEntries: number;
}

/** k-means cluster per star (ml-kmeans, "mostDistant" initialisation: deterministic, no random seed needed). */
export function clusterStars(stars: readonly JournalStarInput[]): number[] {
  const k = clusterCount(stars.length);
  if (k <= 1) return stars.map(() => 0);
  const points = stars.map((s) => [s.position.x, s.position.y, s.position.z]);
  return kmeans(points, k, { initialization: 'mostDistant', maxIterations: 100 }).clusters;
}

/**
 * A user's constellation journal (seed 000 step 8) for the HTTP route and the session room's `journal`
 * message. Cached per user and checked on every read against a fingerprint of the constellation (star and
 * line counts, newest capture): a capture by any process — a session room, an offline sync, another
 * server — makes the next read rebuild, with no invalidation message to lose.
 */
export class JournalService {
  private readonly cache: LRUCache<string, { version: string; journal: Journal }>;
  private readonly counters = { hits: 0, builds: 0 };

  constructor(
    private readonly repository: JournalRepository,
    options: JournalServiceOptions,
  ) {
    this.cache = new LRUCache({ max: options.maxEntries });
  }

  async journalOf(userId: string): Promise<Journal> {
    const cached = this.cache.get(userId);
    if (cached && cached.version === (await this.repository.versionOf(userId))) {
      this.counters.hits++;
      return cached.journal;
    }
    const rows = await this.repository.rowsOf(userId);
    const journal = buildJournal({ stars: rows.stars, connections: rows.connections, clusterOf: clusterStars(rows.stars), glowOf: (id) => rows.glow[id] });
    this.cache.set(userId, { version: rows.version, journal });
    this.counters.builds++;
    return journal;
  }

  stats(): { hits: number; builds: number; cached: number } {
    return { ...this.counters, cached: this.cache.size };
  }
}
