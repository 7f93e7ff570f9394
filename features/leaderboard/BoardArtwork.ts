/**
 * Artwork for the jumbotron's rows: the thumbnail the asset pipeline made of an artist (for a track, of its
 * artist; for an orb transition, of the artist it led to), looked up in one query per tick that meets new
 * entities and cached, bounded (LRU), for `ttlMs` so an image uploaded later shows within it. A row whose
 * entity has no processed image gets none, and the page draws its initials.
 */
import type { Logger } from 'pino';
import { LRUCache } from 'lru-cache';
import type { LeaderboardLookups } from '../../persistence/leaderboard/lookups.js';
import { familyRuleOf, PAIR_SEPARATOR, ruleOfBoard } from '../../systems/leaderboard/countingRules.js';
import { leaderboardDefinition } from '../../systems/leaderboard/leaderboards.js';

export interface BoardArtworkOptions {
  lookups: Pick<LeaderboardLookups, 'artworkOf'>;
  log: Logger;
  /** Entities remembered (with or without artwork). */
  size: number;
  /** How long an answer is trusted: an image processed meanwhile shows after at most this. */
  ttlMs: number;
}

/** A cached "no artwork" (lru-cache holds no undefined values). */
const NONE = '';

type Kind = 'artist' | 'track';

export class BoardArtwork {
  private readonly cache: LRUCache<string, string>;

  constructor(private readonly options: BoardArtworkOptions) {
    this.cache = new LRUCache({ max: options.size, ttl: options.ttlMs });
  }

  /** Sets `image` on the rows of `leaderboard` whose entity has artwork; best effort (a failed lookup leaves them without). */
  async decorate(leaderboard: string, rows: Array<{ entityId: string; image?: string }>): Promise<void> {
    const pictured = subjectOf(leaderboard);
    if (!pictured || rows.length === 0) return;
    const subjects = rows.map((r) => pictured(r.entityId));
    const missing = { artist: new Set<string>(), track: new Set<string>() };
    for (const s of subjects) if (s && this.cache.get(cacheKey(s)) === undefined) missing[s.kind].add(s.id);
    if ((missing.artist.size > 0 || missing.track.size > 0) && this.options.lookups.artworkOf) {
      try {
        const found = await this.options.lookups.artworkOf([...missing.artist], [...missing.track]);
        for (const id of missing.artist) this.cache.set(cacheKey({ kind: 'artist', id }), found.artists.get(id) ?? NONE);
        for (const id of missing.track) this.cache.set(cacheKey({ kind: 'track', id }), found.tracks.get(id) ?? NONE);
      } catch (err) {
        this.options.log.warn({ err: (err as Error).message }, 'board artwork lookup failed; rows show initials until the next tick');
      }
    }
    rows.forEach((row, i) => {
      const s = subjects[i];
      const image = s ? this.cache.get(cacheKey(s)) : undefined;
      if (image) row.image = image;
    });
  }
}

const cacheKey = (s: { kind: Kind; id: string }): string => `${s.kind}:${s.id}`;

/** What a board's row is a picture of, by its counting rule (a trending board by its base's): undefined for none. */
function subjectOf(leaderboard: string): ((entityId: string) => { kind: Kind; id: string } | undefined) | undefined {
  const board = leaderboardDefinition(leaderboard)?.base ?? leaderboard;
  switch ((ruleOfBoard(board) ?? familyRuleOf(board))?.naming) {
    case 'artist':
      return (id) => ({ kind: 'artist', id });
    case 'track':
      return (id) => ({ kind: 'track', id });
    case 'transition':
      return (id) => {
        const to = id.slice(id.indexOf(PAIR_SEPARATOR) + 1);
        return to && id.includes(PAIR_SEPARATOR) ? { kind: 'artist', id: to } : undefined;
      };
    default:
      return undefined;
  }
}
