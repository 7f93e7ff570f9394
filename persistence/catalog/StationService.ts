import type { StationCache } from '../cache/StationCache.js';
import type { CatalogRepository, StationListing, StationRecord } from './CatalogRepository.js';

/** Read-through station snapshots (cache first, then Postgres), and the dial's station list. */
export class StationService {
  private stations: StationListing[] | undefined;

  constructor(
    private readonly repository: CatalogRepository,
    private readonly cache: StationCache,
  ) {
    // Another process may change the catalog: its invalidation reaches this cache, and the list with it.
    cache.onInvalidated(() => (this.stations = undefined));
  }

  async stationAt(frequency: number): Promise<StationRecord | null> {
    const cached = await this.cache.get(frequency);
    if (cached) return cached;
    const station = await this.repository.stationAt(frequency);
    if (station) await this.cache.set(frequency, station);
    return station;
  }

  /** Station of an artist reached through an orb: by frequency when it has one, so the cache serves it. */
  async stationForArtist(artistId: string, frequency: number | null): Promise<StationRecord | null> {
    if (frequency !== null) {
      const station = await this.stationAt(frequency);
      if (station && station.artist.id === artistId) return station;
    }
    return this.repository.stationForArtist(artistId);
  }

  /** Sorted frequencies; loaded once and reloaded after {@link invalidate}. */
  async listStations(): Promise<StationListing[]> {
    this.stations ??= await this.repository.listStations();
    return this.stations;
  }

  /** The catalog changed: drop the cached snapshots and the station list, in every process sharing the cache. */
  async invalidate(): Promise<void> {
    this.stations = undefined;
    await this.cache.invalidateAll();
  }
}
