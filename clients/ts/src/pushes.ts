/**
 * Messages the session room pushes that the generated contract (messages.ts) does not describe yet, typed
 * here from the server's shapes (features/discovery/Recommendations.ts; docs/PROTOCOL.md "Search and
 * recommendations"), so every pushed message has a typed handler and the SDK never warns about one.
 */

/** One recommended artist. */
export interface RecommendedArtist {
  artist: { id: string; name: string; thumbnail: string; station: number | null; genres: string[]; era: string };
  score: number;
  reason: string;
  source: string;
  /** "Connected to {star}" when an orb of one of the user's stars points here. */
  connectionText: string | null;
}

/** `recommendations`: a fresh list after captures (also the answer to GET /api/recommendations). */
export interface RecommendationsMessage {
  recommendations: RecommendedArtist[];
  generatedAt: string;
  /** Artists not in the previous list. */
  newArtistIds: string[];
}

/** `suggestions`: artists to try after zooming into one (tap → tune to `artist.station`). */
export interface SuggestionsMessage {
  artistId: string;
  recommendations: RecommendedArtist[];
}
