/**
 * City-to-city tournaments: the cities named in the entity id ("Lagos vs Accra vs Nairobi", 2 to `maxCities`, or
 * "all cities" for the most engaged) compete on the city board's engagement over the range, against the range before.
 */
import { percentOf } from '../numbers.js';
import { normalizeCity } from '../text.js';
import type { ReportData } from './reportData.js';

/** Lower-cased for matching, with the spelling the id used. */
export type TournamentField = { kind: 'named'; cities: string[]; names: string[] } | { kind: 'all' };

/** In words the operator can act on. */
export class TournamentIdError extends Error {}

const SEPARATOR = /(?:^|\s+)vs\.?(?:\s+|$)/i;
export const ALL_CITIES = /^all(\s+cities)?$/i;

/** Names normalised as ingest stores them, matched without case; duplicates refused. */
export function parseTournament(entityId: string, maxCities: number): TournamentField {
  const id = entityId.trim();
  if (ALL_CITIES.test(id)) return { kind: 'all' };
  const names = id.split(SEPARATOR).map(normalizeCity);
  const cities = names.map((c) => c.toLowerCase());
  if (cities.length < 2) throw new TournamentIdError('name the competing cities with " vs " between them, e.g. "Lagos vs Accra", or "all cities"');
  if (cities.length > maxCities) throw new TournamentIdError(`a tournament has at most ${maxCities} cities (REPORT_TOURNAMENT_MAX_CITIES)`);
  if (cities.some((c) => c === '')) throw new TournamentIdError('a city name is empty: write "Lagos vs Accra"');
  if (new Set(cities).size !== cities.length) throw new TournamentIdError('a city is named twice');
  return { kind: 'named', cities, names };
}

/**
 * A city as the rollups spell it (first seen), else as the id named it; `share` percent, one decimal; `rank` competition
 * ranking ("1224"), null without engagement; `movement` positive = up, null when either rank is missing; `winner`
 * null when no city has engagement or first place is shared.
 */
export type Standings = Pick<NonNullable<ReportData['tournament']>, 'rows' | 'winner' | 'total'>;

function ranks(scores: Map<string, number>): Map<string, number | null> {
  const sorted = [...scores.values()].filter((v) => v > 0).sort((a, b) => b - a);
  const out = new Map<string, number | null>();
  for (const [city, v] of scores) out.set(city, v > 0 ? sorted.indexOf(v) + 1 : null);
  return out;
}

/** Maps keyed by lower-cased city (absent cities score 0). Ordered by rank, then name. */
export function standings(cities: string[], current: Map<string, number>, previous: Map<string, number>, names: Map<string, string>): Standings {
  const now = new Map(cities.map((c) => [c, current.get(c) ?? 0]));
  const before = new Map(cities.map((c) => [c, previous.get(c) ?? 0]));
  const rankNow = ranks(now);
  const rankBefore = ranks(before);
  const total = [...now.values()].reduce((a, b) => a + b, 0);
  const rows = cities.map((c): Standings['rows'][number] => {
    const rank = rankNow.get(c) ?? null;
    const previousRank = rankBefore.get(c) ?? null;
    return {
      city: names.get(c) ?? c,
      engagement: now.get(c) ?? 0,
      share: percentOf(now.get(c) ?? 0, total) ?? 0,
      rank,
      previousEngagement: before.get(c) ?? 0,
      previousRank,
      movement: rank !== null && previousRank !== null ? previousRank - rank : null,
    };
  });
  rows.sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.city.localeCompare(b.city));
  const leaders = rows.filter((r) => r.rank === 1);
  return { rows, winner: leaders.length === 1 ? leaders[0].city : null, total };
}
