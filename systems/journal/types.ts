/** Inputs of the constellation journal (seed 000 step 8): plain data, loaded by features/journal. */

export interface Vec3 {
  x: number;
  y: number;
  z: number;
}

/** The artist's current catalog data, as a star shows it. */
export interface JournalArtist {
  id: string;
  name: string;
  genres: readonly string[];
  /** Catalog era label ("1970s–present"); the journal groups by its decade. */
  era: string;
  /** "City, Country"; the region is the part after the last comma. */
  origin: string;
  /** Station frequency (MHz), null when the artist is not on air. */
  frequency: number | null;
  thumbnail: string;
}

/** One captured star, in capture order. */
export interface JournalStarInput {
  id: string;
  artist: JournalArtist;
  position: Vec3;
  /** ISO 8601 instant of the capture. */
  capturedAt: string;
}

/** One connection line between two stars, by artist id. */
export interface JournalConnectionInput {
  from: string;
  to: string;
  strength: number;
  type: 'discovery_path' | 'genre_similarity';
}
