export interface Vec3 {
  x: number;
  y: number;
  z: number;
}

export interface JournalArtist {
  id: string;
  name: string;
  genres: readonly string[];
  /** "1970s–present"; the journal groups by decade. */
  era: string;
  /** "City, Country". */
  origin: string;
  /** MHz; null off air. */
  frequency: number | null;
  thumbnail: string;
}

export interface JournalStarInput {
  id: string;
  artist: JournalArtist;
  position: Vec3;
  capturedAt: string;
}

/** By artist id. */
export interface JournalConnectionInput {
  from: string;
  to: string;
  strength: number;
  type: 'discovery_path' | 'genre_similarity';
}
