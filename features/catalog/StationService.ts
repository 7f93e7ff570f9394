import { LRUCache } from 'lru-cache';
import type { StationCache } from '../../persistence/catalog/StationCache.js';
import type { ArtistRecord, CatalogRepository, StationListing, StationRecord } from '../../persistence/catalog/CatalogRepository.js';

/**
 * Read-through station snapshots. Concurrent misses for one station share one load (602 loads of a few dozen stations
 * were seen while 1,500 sessions joined); a load an invalidation overtakes is returned but not cached.
 */
export class StationService {
  private stations: Promise<StationListing[]> | undefined;
  /** The frequencies of {@link stations}, derived once per listing and shared by every session's dial. */
  private frequencies: { of: Promise<StationListing[]>; list: Promise<readonly number[]> } | undefined;
  private readonly loading = new Map<number, Promise<StationRecord | null>>();
  /** Bumped by every invalidation: a load started before it must not refill the cache. */
  private generation = 0;
  /** Target artist → its incoming orbs (source → relationship), this process only; emptied with the stations. */
  private readonly incoming: LRUCache<string, Promise<Map<string, string>>>;
  /** Artist id → its row (null: unknown), this process only; emptied with the stations. */
  private readonly artists: LRUCache<string, Promise<ArtistRecord | null>>;

  constructor(
    private readonly repository: CatalogRepository,
    private readonly cache: StationCache,
    /** Bounds of the in-process caches of artists and of the orbs pointing at an artist (the station cache's own settings). */
    kept = { maxEntries: 1000, ttlMs: 600_000 },
  ) {
    this.incoming = new LRUCache({ max: kept.maxEntries, ttl: kept.ttlMs });
    this.artists = new LRUCache({ max: kept.maxEntries, ttl: kept.ttlMs });
    // Another process may change the catalog: its invalidation reaches this cache, and the list with it.
    cache.onInvalidated(() => this.forget());
  }

  async stationAt(frequency: number): Promise<StationRecord | null> {
    const cached = await this.cache.get(frequency);
    if (cached) return cached;
    let load = this.loading.get(frequency);
    if (!load) {
      load = this.load(frequency).finally(() => this.loading.delete(frequency));
      this.loading.set(frequency, load);
    }
    return load;
  }

  /** Station of an artist reached through an orb: by frequency when it has one, so the cache serves it. */
  async stationForArtist(artistId: string, frequency: number | null): Promise<StationRecord | null> {
    if (frequency !== null) {
      const station = await this.stationAt(frequency);
      if (station && station.artist.id === artistId) return station;
    }
    return this.repository.stationForArtist(artistId);
  }

  /** From the target's incoming orbs read once and kept with the stations: every capture's placement asks this. */
  async relationshipsTo(targetId: string, sourceIds: readonly string[]): Promise<Map<string, string>> {
    if (sourceIds.length === 0) return new Map();
    const all = await this.cachedLoad(this.incoming, targetId, () => this.repository.incomingOrbs(targetId));
    return new Map(sourceIds.filter((source) => all.has(source)).map((source) => [source, all.get(source)!]));
  }

  /** Kept with the stations: a capture of an artist not on screen read it per capture. */
  artistById(id: string): Promise<ArtistRecord | null> {
    return this.cachedLoad(this.artists, id, () => this.repository.artistById(id));
  }

  /** Sorted frequencies; loaded once (concurrent callers share the load) and reloaded after {@link invalidate}. */
  listStations(): Promise<StationListing[]> {
    if (!this.stations) {
      const listing = this.repository.listStations();
      this.stations = listing;
      listing.catch(() => {
        if (this.stations === listing) this.stations = undefined; // a failed load is retried by the next caller
      });
    }
    return this.stations;
  }

  /** The dial's frequencies, sorted: one frozen array for every session of the process until the catalog changes. */
  stationFrequencies(): Promise<readonly number[]> {
    const listing = this.listStations();
    if (this.frequencies?.of !== listing) this.frequencies = { of: listing, list: listing.then((all) => Object.freeze(all.map((s) => s.frequency))) };
    return this.frequencies.list;
  }

  /** The catalog changed: drop the cached snapshots and the station list, in every process sharing the cache. */
  async invalidate(): Promise<void> {
    this.forget();
    await this.cache.invalidateAll();
  }

  private async load(frequency: number): Promise<StationRecord | null> {
    const generation = this.generation;
    const station = await this.repository.stationAt(frequency);
    if (station && generation === this.generation) await this.cache.set(frequency, station);
    return station;
  }

  /** A catalog read through `cache`: concurrent callers share it; a failed read is not kept, nor one an invalidation overtook (it may predate the change). */
  private cachedLoad<T>(cache: LRUCache<string, Promise<T>>, key: string, read: () => Promise<T>): Promise<T> {
    let load = cache.get(key);
    if (!load) {
      const generation = this.generation;
      load = read();
      cache.set(key, load);
      const drop = () => void (cache.get(key) === load && cache.delete(key));
      load.then(() => generation !== this.generation && drop(), drop);
    }
    return load;
  }

  private forget(): void {
    this.generation++;
    this.stations = undefined;
    this.loading.clear();
    this.incoming.clear();
    this.artists.clear();
  }
}
