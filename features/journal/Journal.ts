/** The constellation journal, cached per user until the next capture (`invalidate`) or its TTL. */
import { LRUCache } from 'lru-cache';
import { buildJournal, type Journal, type JournalArtist, type JournalConnectionInput, type JournalStarInput } from '../../systems/journal/index.js';
import type { ArtistRecord, CatalogRepository } from '../../persistence/catalog/CatalogRepository.js';
import type { ConstellationRepository } from '../../persistence/constellation/ConstellationRepository.js';
import { clusterAssignment } from './clusters.js';

export interface JournalDeps {
  constellations: Pick<ConstellationRepository, 'constellationOf'>;
  catalog: Pick<CatalogRepository, 'artistsByIds' | 'popularWithGenres'>;
  /** Journals kept (config.journal.cacheMaxEntries). */
  maxEntries: number;
  /** A cached journal's lifetime (config.journal.cacheTtlSec × 1000). */
  ttlMs: number;
}

/** A star as stored or snapshotted: enough to rebuild the journal against the current catalog. */
export interface StoredStar {
  id: string;
  artistId: string;
  /** The name when stored; shown if the artist left the catalog since. */
  artistName?: string;
  position: { x: number; y: number; z: number };
  capturedAt: string;
}

/** Recommendation candidates read per journal build, most popular first (ties among them go by genre weight). */
const MAX_CANDIDATES = 100;

export class JournalService {
  private readonly cache: LRUCache<string, Journal>;
  /** Builds in flight per user; an invalidation removes the entry so a build that read old rows is not cached. */
  private readonly building = new Map<string, symbol>();

  constructor(private readonly deps: JournalDeps) {
    this.cache = new LRUCache<string, Journal>({ max: deps.maxEntries, ttl: deps.ttlMs });
  }

  /** The user's journal, from the cache when no capture happened since it was built. */
  async of(userId: string): Promise<Journal> {
    const cached = this.cache.get(userId);
    if (cached) return cached;
    const token = Symbol(userId);
    this.building.set(userId, token);
    try {
      const journal = await this.build(userId);
      if (this.building.get(userId) === token) this.cache.set(userId, journal);
      return journal;
    } finally {
      if (this.building.get(userId) === token) this.building.delete(userId);
    }
  }

  /** A capture changed the user's constellation: the next read rebuilds. */
  invalidate(userId: string): void {
    this.cache.delete(userId);
    this.building.delete(userId);
  }

  /** The journal of stored (or snapshotted) stars and lines, with the artists' current catalog data. */
  async fromStars(stars: readonly StoredStar[], connections: readonly JournalConnectionInput[]): Promise<Journal> {
    const artists = await this.deps.catalog.artistsByIds([...new Set(stars.map((s) => s.artistId))]);
    // Ids by capture order ("star_001"): a public share never shows database row ids.
    const inputs: JournalStarInput[] = stars.map((s, i) => ({
      id: `star_${String(i + 1).padStart(3, '0')}`,
      artist: journalArtist(s, artists.get(s.artistId)),
      position: s.position,
      capturedAt: s.capturedAt,
    }));
    const genres = [...new Set(inputs.flatMap((s) => s.artist.genres))];
    const candidates = await this.deps.catalog.popularWithGenres(genres, [...new Set(stars.map((s) => s.artistId))], MAX_CANDIDATES);
    return buildJournal(inputs, connections, clusterAssignment(inputs.map((s) => s.position)), candidates);
  }

  private async build(userId: string): Promise<Journal> {
    const { stars, connections } = await this.deps.constellations.constellationOf(userId);
    return this.fromStars(stars, connections);
  }
}

/** The artist's current data; an artist removed from the catalog keeps its stored name and nothing else. */
function journalArtist(star: StoredStar, row: ArtistRecord | undefined): JournalArtist {
  if (!row) return { id: star.artistId, name: star.artistName ?? star.artistId, genres: [], era: '', origin: '', frequency: null, thumbnail: '' };
  const { id, name, genres, era, origin, frequency, thumbnail } = row;
  return { id, name, genres, era, origin, frequency, thumbnail };
}
