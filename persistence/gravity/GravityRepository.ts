/**
 * The gravity graph and track directory. Neighbours are one primary-key range and a top-N sort: no index on the
 * weight keeps the builder's updates HOT (BENCHMARKS.md "Gravity"). The directory is cached, misses included.
 */
import { LRUCache } from 'lru-cache';
import { affectedRows, type Sql } from '../db.js';
import { currentWeight } from '../../systems/gravity/gravity.js';
import { halfLifeMs } from '../../systems/mediaid/dna.js';

/** One outgoing edge, weight as it stands now (decayed). */
export interface NeighbourRow {
  trackId: string;
  artistId: string | null;
  weight: number;
  transitions: number;
}

export interface GravityReadOptions {
  halfLifeDays: number;
  /** Tracks whose artist is remembered in process (GRAVITY_TRACK_CACHE_ENTRIES), misses too. */
  directoryEntries: number;
  /** How long a remembered lookup holds (GRAVITY_TRACK_CACHE_TTL_MS): a track added since is found after it. */
  directoryTtlMs: number;
}

export class GravityRepository {
  private readonly artists: LRUCache<string, { artistId: string | null }>;
  private readonly halfLife: number;

  constructor(
    private readonly sql: Sql,
    options: GravityReadOptions,
  ) {
    this.halfLife = halfLifeMs(options.halfLifeDays);
    this.artists = new LRUCache({
      max: options.directoryEntries,
      ttl: options.directoryTtlMs,
      ttlAutopurge: false,
    });
  }

  /** The strongest `limit` positive edges out of `trackId`, strongest first, weights decayed to `nowMs`. */
  async neighbours(trackId: string, limit: number, nowMs: number): Promise<NeighbourRow[]> {
    const rows = await this.sql.query<{ track_id: string; artist_id: string | null; weight: number; transitions: number }>(
      `SELECT g.to_track AS track_id, t.artist_id, g.weight, g.transitions
         FROM (SELECT to_track, weight, transitions FROM gravity_edges WHERE from_track = ? AND weight > 0 ORDER BY weight DESC LIMIT ?) g
         LEFT JOIN tracks t ON t.id = g.to_track
        ORDER BY g.weight DESC, g.to_track`,
      [trackId, limit],
    );
    return rows.map((r) => ({
      trackId: r.track_id,
      artistId: r.artist_id,
      weight: currentWeight(Number(r.weight), nowMs, this.halfLife),
      transitions: Number(r.transitions),
    }));
  }

  /** Each candidate's edge weight over the strongest edge out of `fromTrack` (decay cancels out), for those with an edge. */
  async gravityScores(fromTrack: string, candidates: readonly string[]): Promise<Map<string, number>> {
    if (candidates.length === 0) return new Map();
    const rows = await this.sql.query<{ to_track: string; weight: number; top: number | null }>(
      `SELECT g.to_track, g.weight, (SELECT max(weight) FROM gravity_edges WHERE from_track = ?) AS top
         FROM gravity_edges g WHERE g.from_track = ? AND g.weight > 0 AND g.to_track IN (SELECT jsonb_array_elements_text(?::jsonb))`,
      [fromTrack, fromTrack, JSON.stringify(candidates)],
    );
    return new Map(rows.map((r) => [r.to_track, r.top && r.top > 0 ? Math.min(1, Number(r.weight) / Number(r.top)) : 0]));
  }

  /** The artist of a track, or null when the track or its artist is unknown (cached, misses too). */
  async artistOf(trackId: string): Promise<string | null> {
    const hit = this.artists.get(trackId);
    if (hit) return hit.artistId;
    const [row] = await this.sql.query<{ artist_id: string | null }>(`SELECT artist_id FROM tracks WHERE id = ?`, [trackId]);
    const artistId = row?.artist_id ?? null;
    this.artists.set(trackId, { artistId });
    return artistId;
  }

  /** Deletes edges whose weight has decayed below `minWeight` (they no longer move any ranking). */
  async pruneWeakEdges(nowMs: number, minWeight: number): Promise<number> {
    const storedMin = minWeight / currentWeight(1, nowMs, this.halfLife);
    return affectedRows(this.sql, `DELETE FROM gravity_edges WHERE weight < ?`, [storedMin]);
  }

  /** Forgets sessions idle since before `cutoff` (their next event starts a fresh run). */
  async forgetIdleSessions(cutoff: Date): Promise<number> {
    return affectedRows(this.sql, `DELETE FROM gravity_sessions WHERE updated_at < ?`, [cutoff]);
  }
}
