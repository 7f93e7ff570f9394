/**
 * What one passport event adds to a user's DNA: cultural (artists, genres, events), behavioral (the kind of
 * interaction), economic (money, votes), spatial (where). Weights follow the gravity layer's order: a like or a
 * capture is deliberate (3), a completed play more than a started one, a skip pushes away.
 */
import { locationTokens, normToken, type DnaDomain, type MediaIdInputs, type Signal } from './dna.js';

const ONE_VOTE = 1;

/** The payload as stored, plus the referenced artist's genres. */
export interface MirrorEvent {
  eventType: string;
  payload: Record<string, unknown>;
  occurredAtMs: number;
  artistGenres?: readonly string[];
}

export const ARTIST_WEIGHTS: Readonly<Record<string, number>> = Object.freeze({
  'player.track_played': 1,
  'player.play_10s': 1,
  'player.track_completed': 1.5,
  'player.like': 3,
  'player.radio_next': 0.5,
  'player.track_skipped': -1,
  'station.visited': 0.5,
  'orb.tapped': 0.5,
  'constellation.captured': 3,
  'concierto.vote_cast': 2,
});

/** Session bookkeeping and sensors count little. */
const BEHAVIOR_WEIGHT = (type: string): number => (type.startsWith('session.') || type.startsWith('sensor.') || type === 'station.swiped' ? 0.2 : 0.5);

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 && v.length <= 200 ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The orb's target for a tap, the voted artist for a vote. */
export function artistOf(eventType: string, payload: Record<string, unknown>): string | null {
  if (eventType === 'orb.tapped') return str(payload.toArtistId);
  if (eventType === 'concierto.vote_cast') return str(payload.voteFor);
  return str(payload.artistId);
}

/** log2(1 + dollars): $10 ~3.5, $100 ~6.7 (spending is compressive). */
export const moneyWeight = (amountCents: number): number => Math.log2(1 + Math.max(0, amountCents) / 100);

/** Unknown or bookkeeping-only events add behavioral signals only. */
export function eventSignals(e: MirrorEvent): Signal[] {
  const out: Signal[] = [];
  const push = (domain: DnaDomain, token: string, weight: number) => weight !== 0 && out.push({ domain, token, weight });
  const p = e.payload;
  push('behavioral', `event:${e.eventType}`, BEHAVIOR_WEIGHT(e.eventType));
  if (e.eventType === 'session.started') push('behavioral', `hour:${Math.floor(new Date(e.occurredAtMs).getUTCHours() / 3) * 3}`, 0.5);
  const artist = artistOf(e.eventType, p);
  const w = ARTIST_WEIGHTS[e.eventType];
  if (artist && w !== undefined) {
    push('cultural', `artist:${normToken(artist)}`, w);
    for (const g of e.artistGenres ?? []) push('cultural', `genre:${normToken(g)}`, w / 2);
  }
  const event = str(p.eventId);
  if (event) push('cultural', `event:${normToken(event)}`, e.eventType === 'concierto.event_attended' ? 2 : e.eventType === 'concierto.event_viewed' ? 0.5 : 1);
  const city = str(p.city);
  if (city) for (const t of locationTokens(city)) push('spatial', t, 1);
  const cents = num(p.amountCents);
  if (e.eventType === 'treasury.money_spent' || e.eventType === 'treasury.purchase_completed') {
    const what = str(p.reason) ?? str(p.productId) ?? 'purchase';
    push('economic', `spend:${normToken(what)}`, moneyWeight(cents ?? 0));
    const currency = str(p.currency);
    if (currency) push('economic', `currency:${normToken(currency)}`, 0.5);
  } else if (e.eventType === 'treasury.money_earned') {
    push('economic', 'earn', moneyWeight(cents ?? 0));
  } else if (e.eventType === 'concierto.vote_cast') {
    push('economic', 'vote', num(p.weight) ?? ONE_VOTE);
  }
  return out;
}

/** Its id (like a strong play) and its genres. */
export function artistSignals(artistId: string, genres: readonly string[]): Signal[] {
  return [
    { domain: 'cultural', token: `artist:${normToken(artistId)}`, weight: 3 },
    ...genres.map((g): Signal => ({ domain: 'cultural', token: `genre:${normToken(g)}`, weight: 1 })),
  ];
}

/** Its id, the artists voted for in it, the cities it was attended from. */
export function concertSignals(
  eventId: string,
  artists: ReadonlyArray<{ artistId: string; votes: number }>,
  cities: ReadonlyArray<{ city: string; count: number }>,
): Signal[] {
  const out: Signal[] = [{ domain: 'cultural', token: `event:${normToken(eventId)}`, weight: 3 }];
  for (const a of artists) out.push({ domain: 'cultural', token: `artist:${normToken(a.artistId)}`, weight: Math.log2(1 + a.votes) });
  for (const c of cities) for (const t of locationTokens(c.city)) out.push({ domain: 'spatial', token: t, weight: Math.log2(1 + c.count) });
  return out;
}

/** Never set: no bases, location private, matching allowed. */
export const EMPTY_INPUTS: MediaIdInputs = Object.freeze({
  interests: [],
  genrePreferences: [],
  contentFlags: {},
  locationCode: null,
  privacy: { shareLocation: false, allowMatching: true },
}) as MediaIdInputs;
