import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The demo catalog: enough artists to fill the band and make every badge reachable (Galaxy Master is 50 stars). */
export interface DemoArtist {
  frequency: number;
  name: string;
  genres: string[];
  /** First year of the artist's career; orders ancestor / peer / influenced. */
  since: number;
  /** The decades the artist is known for; "–present" only for artists still active. */
  era: string;
  origin: string;
  sceneType: SceneType;
}

/** `shrine_original` is Fela's Afrika Shrine of the 1970s, `shrine` the New Afrika Shrine his sons run. */
export type SceneType = 'lagos_street' | 'shrine' | 'shrine_original' | 'jazz_club' | 'studio' | 'club' | 'desert' | 'harbour' | 'township' | 'cathedral';

/** The demo catalog's data (demoArtists.json beside this file): pure data, as the influence dataset. */
export const DEMO_CATALOG_FILE = path.resolve(import.meta.dirname, 'demoArtists.json');
const data = JSON.parse(readFileSync(DEMO_CATALOG_FILE, 'utf8')) as {
  artists: DemoArtist[];
  relationships: Array<[source: string, target: string, type: string, description: string]>;
};

// 104.2–105.4 stay empty: a swipe from 99.9 by 850/200 lands at 104.15 → 105.5.
export const DEMO_ARTISTS: DemoArtist[] = data.artists;

/**
 * Named and documented relationships (the description says where); the rest are derived from genres and eras.
 * Each artist keeps its `DEFAULT_MAX_ORBS` (8) strongest as orbs.
 */
export const SEED_RELATIONSHIPS = data.relationships;
