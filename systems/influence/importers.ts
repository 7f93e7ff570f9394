/**
 * Readers of the relationship sources' export formats: one record in, the artist and its relations out, or a coded
 * error. MusicBrainz: an artist with `inc=artist-rels&fmt=json` (also a line of the JSON dump); "influenced by"
 * relations either way at 1.0 (explicit). Last.fm: an `artist.getSimilar` response, each at its `match`.
 */
import { AppError } from '../errors.js';
import type { SourceRelation } from './influence.js';

export const IMPORT_PROVIDERS = ['musicbrainz', 'lastfm'] as const;
export type ImportProvider = (typeof IMPORT_PROVIDERS)[number];

/** An explicit relationship. */
export const MUSICBRAINZ_CONFIDENCE = 1.0;
export const MUSICBRAINZ_INFLUENCE_TYPE = 'influenced by';
/** The catalog's names are far shorter. */
export const MAX_NAME_CHARS = 200;
/** The first ones; the rest counted as skipped. Last.fm's own limit is 100. */
export const MAX_RELATIONS_PER_ARTIST = 100;

export interface ImportedArtist {
  name: string;
  /** MusicBrainz MBID, when given. */
  externalId: string | null;
  relations: SourceRelation[];
  /** By reason (other relation types, bad names, over the bound). */
  skipped: Record<string, number>;
}

export class ImportFormatError extends AppError<'IMPORT_INVALID'> {
  constructor(message: string) {
    super('IMPORT_INVALID', message);
  }
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Trimmed, inner whitespace collapsed, at most MAX_NAME_CHARS. */
function cleanName(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const name = raw.normalize('NFC').replace(/\s+/g, ' ').trim();
  return name.length > 0 && name.length <= MAX_NAME_CHARS && ![...name].some((c) => c.charCodeAt(0) < 0x20) ? name : null;
}

function count(skipped: Record<string, number>, reason: string): void {
  skipped[reason] = (skipped[reason] ?? 0) + 1;
}

/** The first relation per target name, at most MAX_RELATIONS_PER_ARTIST. */
function bounded(relations: SourceRelation[], skipped: Record<string, number>): SourceRelation[] {
  const seen = new Set<string>();
  const out: SourceRelation[] = [];
  for (const r of relations) {
    const key = r.name.toLowerCase();
    if (seen.has(key)) count(skipped, 'duplicate');
    else if (out.length >= MAX_RELATIONS_PER_ARTIST) count(skipped, 'over_limit');
    else {
      seen.add(key);
      out.push(r);
    }
  }
  return out;
}

/** Forward "influenced by" names an influence, backward one it influenced: the builder types the pair by era. */
export function musicBrainzArtist(record: unknown): ImportedArtist {
  if (!isObject(record)) throw new ImportFormatError('a MusicBrainz artist must be a JSON object like {"id": "…", "name": "…", "relations": [ … ]}');
  if (typeof record.error === 'string') throw new ImportFormatError(`this is a MusicBrainz error response, not an artist: ${record.error.slice(0, 200)}`);
  const name = cleanName(record.name);
  if (!name) throw new ImportFormatError(`a MusicBrainz artist needs a "name" of 1–${MAX_NAME_CHARS} characters`);
  if (record.relations !== undefined && !Array.isArray(record.relations))
    throw new ImportFormatError(`"relations" of ${name} must be an array (fetch the artist with inc=artist-rels)`);
  const skipped: Record<string, number> = {};
  const relations: SourceRelation[] = [];
  for (const rel of (record.relations as unknown[] | undefined) ?? []) {
    if (!isObject(rel)) count(skipped, 'not_an_object');
    else if (rel['target-type'] !== 'artist' || !isObject(rel.artist)) count(skipped, 'not_an_artist');
    else if (rel.type !== MUSICBRAINZ_INFLUENCE_TYPE) count(skipped, 'other_type');
    else {
      const target = cleanName(rel.artist.name);
      if (!target) count(skipped, 'bad_name');
      else relations.push({ name: target, confidence: MUSICBRAINZ_CONFIDENCE });
    }
  }
  const externalId = typeof record.id === 'string' && record.id.length <= 64 ? record.id : null;
  return { name, externalId, relations: bounded(relations, skipped), skipped };
}

/** A number or numeric string in 0..1 (Last.fm writes "0.823"), else null. */
function matchOf(raw: unknown): number | null {
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*\d+(\.\d+)?(e-?\d+)?\s*$/i.test(raw) ? Number(raw) : NaN;
  return Number.isFinite(value) && value >= 0 && value <= 1 ? value : null;
}

/** The artist is `@attr.artist`; an error response (`{"error": 6, …}`) is refused with Last.fm's message. */
export function lastfmSimilar(response: unknown): ImportedArtist {
  if (!isObject(response))
    throw new ImportFormatError(
      'a Last.fm artist.getSimilar response must be a JSON object like {"similarartists": {"artist": [ … ], "@attr": {"artist": "…"}}}',
    );
  if (response.error !== undefined)
    throw new ImportFormatError(
      `this is a Last.fm error response (error ${String(response.error).slice(0, 10)}): ${String(response.message ?? '').slice(0, 200)}`,
    );
  const similar = response.similarartists;
  if (!isObject(similar)) throw new ImportFormatError('no "similarartists" object: export artist.getSimilar with format=json');
  const attr = similar['@attr'];
  const name = isObject(attr) ? cleanName(attr.artist) : null;
  if (!name) throw new ImportFormatError(`"similarartists.@attr.artist" must name the artist (1–${MAX_NAME_CHARS} characters)`);
  // A single similar artist comes as an object, not a one-element array.
  const list = Array.isArray(similar.artist)
    ? similar.artist
    : isObject(similar.artist)
      ? [similar.artist]
      : similar.artist === undefined || similar.artist === ''
        ? []
        : null;
  if (list === null) throw new ImportFormatError(`"similarartists.artist" of ${name} must be an array`);
  const skipped: Record<string, number> = {};
  const relations: SourceRelation[] = [];
  for (const entry of list) {
    if (!isObject(entry)) {
      count(skipped, 'not_an_object');
      continue;
    }
    const target = cleanName(entry.name);
    const match = matchOf(entry.match);
    if (!target) count(skipped, 'bad_name');
    else if (match === null) count(skipped, 'bad_match');
    else relations.push({ name: target, confidence: match });
  }
  return { name, externalId: null, relations: bounded(relations, skipped), skipped };
}

export const READERS: Record<ImportProvider, (record: unknown) => ImportedArtist> = { musicbrainz: musicBrainzArtist, lastfm: lastfmSimilar };
