/**
 * Deterministic synthetic catalogs for load tests. Synthetic artists take the dial's free slots; the rest are
 * reached through orbs, as in a real catalog. Each gets three orbs to artists of its main genre.
 */
import { AppError } from '../../systems/errors.js';
import { mulberry32, type Rng } from '../../systems/constellation/constellation.js';
import { relationshipFor } from '../../systems/catalog/catalogRules.js';
import { artistRow, describeEdge, orbRows, slugify, type CatalogArtist, type CatalogRows, type Edge } from './buildCatalog.js';
import { DEMO_ARTISTS, type SceneType } from './demoArtists.js';
import { sceneFor } from './scenes.js';

/** A target without a dial station is placed far from a source without one (0): two such artists are never peers. */
const OFF_DIAL_TARGET_STATION = 100;

export const MAX_SYNTHETIC_ARTISTS = 200_000;
const ORBS_PER_ARTIST = 3;
const BAND = { low: 88.1, high: 107.9 };
/** A swipe from 99.9 by 850/200 lands at 104.15 → 105.5: nothing may sit in between. */
const KEEP_EMPTY = { low: 104.2, high: 105.4 };

const GENRES =
  'Afrobeats, Afrobeat, Highlife, Amapiano, Reggae, Dancehall, Hip Hop, R&B, Soul, Funk, Jazz, Afro-jazz, Gqom, Juju, Fuji, World, House, Alté'.split(', ');
const FIRST = 'Ade Kola Amara Zola Kwame Nia Tunde Sipho Ama Femi Lerato Chidi Ayo Thandi Kofi Zainab Bayo Naledi Eko Wale'.split(' ');
const LAST = 'Okafor Mensah Dlamini Adeyemi Diallo Banda Nwosu Boateng Khumalo Traoré Obi Asante Ndlovu Keita Eze Owusu'.split(' ');
const ORIGINS = [
  'Lagos, Nigeria',
  'Accra, Ghana',
  'Johannesburg, South Africa',
  'Nairobi, Kenya',
  'Dakar, Senegal',
  'Kinshasa, DR Congo',
  'Kingston, Jamaica',
  'London, United Kingdom',
  'Abidjan, Côte d’Ivoire',
  'Durban, South Africa',
];
const SCENES: SceneType[] = ['lagos_street', 'shrine', 'shrine_original', 'jazz_club', 'studio', 'club', 'desert', 'harbour', 'township', 'cathedral'];

export class SyntheticCatalogError extends AppError<'SYNTHETIC_CATALOG_INVALID'> {
  constructor(message: string) {
    super('SYNTHETIC_CATALOG_INVALID', message);
  }
}

export interface SyntheticOptions {
  artists: number;
  seed?: number;
}

interface SynthArtist extends CatalogArtist {
  index: number;
  origin: string;
  sceneType: SceneType;
}

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];

/** The dial's 0.1 MHz slots the demo catalog leaves free (outside the empty stretch), ascending. */
export function freeStationSlots(): number[] {
  const taken = new Set(DEMO_ARTISTS.map((a) => Math.round(a.frequency * 10)));
  const slots: number[] = [];
  for (let tenths = Math.round(BAND.low * 10); tenths <= Math.round(BAND.high * 10); tenths++) {
    const f = tenths / 10;
    if (!taken.has(tenths) && (f < KEEP_EMPTY.low || f > KEEP_EMPTY.high)) slots.push(f);
  }
  return slots;
}

function synthArtists(count: number, rng: Rng): SynthArtist[] {
  const slots = freeStationSlots();
  // Spread the on-air artists over the whole band: every k-th synthetic artist gets the next slot.
  const stride = Math.max(1, Math.floor(count / slots.length));
  let nextSlot = 0;
  return Array.from({ length: count }, (_, index) => {
    const main = pick(rng, GENRES);
    const extra = rng() < 0.6 ? [pick(rng, GENRES)].filter((g) => g !== main) : [];
    const onAir = index % stride === 0 && nextSlot < slots.length;
    return {
      index,
      name: `${pick(rng, FIRST)} ${pick(rng, LAST)} ${String(index + 1).padStart(6, '0')}`,
      genres: [main, ...extra],
      since: 1950 + Math.floor(rng() * 75),
      frequency: onAir ? slots[nextSlot++] : null,
      origin: pick(rng, ORIGINS),
      sceneType: pick(rng, SCENES),
    };
  });
}

/** Three orb targets per artist among those sharing its main genre (demo artists included). */
function edgesOf(artist: SynthArtist, byGenre: Map<string, CatalogArtist[]>, rng: Rng): Edge[] {
  const pool = byGenre.get(artist.genres[0]) ?? [];
  const chosen = new Set<CatalogArtist>();
  for (let tries = 0; chosen.size < Math.min(ORBS_PER_ARTIST, pool.length - 1) && tries < 20; tries++) {
    const target = pick(rng, pool);
    if (target !== artist) chosen.add(target);
  }
  return [...chosen].map((target) => {
    const type = relationshipFor(artist.since, target.since, Math.abs((target.frequency ?? OFF_DIAL_TARGET_STATION) - (artist.frequency ?? 0)));
    return { source: artist, target, type, description: describeEdge(artist, target, type), confidence: 0.5 };
  });
}

/** @throws SyntheticCatalogError naming the allowed range. */
export function validateSyntheticOptions({ artists, seed = 1 }: SyntheticOptions): void {
  if (!Number.isInteger(artists) || artists < 1 || artists > MAX_SYNTHETIC_ARTISTS) {
    throw new SyntheticCatalogError(`artists must be a whole number from 1 to ${MAX_SYNTHETIC_ARTISTS}, got ${artists}`);
  }
  if (!Number.isInteger(seed)) throw new SyntheticCatalogError(`seed must be a whole number, got ${seed}`);
}

/** Rows for `artists` synthetic artists (scenes, artists, orbs); same seed, same rows. */
export function buildSyntheticCatalog(options: SyntheticOptions): CatalogRows {
  validateSyntheticOptions(options);
  const { artists: count, seed = 1 } = options;
  const rng = mulberry32(seed);
  const artists = synthArtists(count, rng);
  const byGenre = new Map<string, CatalogArtist[]>();
  for (const a of [...DEMO_ARTISTS, ...artists]) {
    for (const g of a.genres) {
      const list = byGenre.get(g);
      if (list) list.push(a);
      else byGenre.set(g, [a]);
    }
  }
  return {
    scenes: artists.map((a) => sceneFor(slugify(a.name), a.name, a.sceneType)),
    artists: artists.map((a) => artistRow(a, 'synthetic')),
    orbs: artists.flatMap((a) => orbRows(edgesOf(a, byGenre, rng))),
  };
}
