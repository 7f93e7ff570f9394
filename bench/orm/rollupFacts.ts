/**
 * The coliseum rollup's facts in JavaScript, for the EntityManager version of the rollup: the same
 * table as persistence/leaderboard/rollups.ts (ROLLUP_SQL), event by event, bucketed by
 * systems/passport/periods.ts. The bench checks both versions leave identical coliseum_metrics rows.
 */
import { bucketStart, PERIODS, type Period } from '../../systems/passport/periods.js';

export interface RollupEvent {
  eventType: string;
  eventCategory: string;
  occurredAtMs: number;
  payload: Record<string, unknown>;
  userCity: string | null;
}

export interface Fact {
  entityType: string;
  entityId: string;
  metric: string;
  period: Period | string;
  bucketStart: number;
  value: number;
}

const ENGAGEMENT_CATEGORIES = new Set(['station', 'orb', 'constellation', 'player', 'concierto', 'treasury', 'social']);

/** payload->>'key': text, or null for a missing key or JSON null. */
function text(payload: Record<string, unknown>, key: string): string | null {
  const v = payload[key];
  if (v === undefined || v === null) return null;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function factsOf(e: RollupEvent): Array<[entityType: string, entityId: string, metric: string, amount: number]> {
  const p = e.payload;
  const out: Array<[string, string, string, number]> = [];
  const artist = text(p, 'artistId');
  if ((e.eventType === 'station.visited' || e.eventType === 'station.locked') && artist !== null) out.push(['artist', artist, 'station_visits', 1]);
  if (e.eventType === 'constellation.captured' && artist !== null) out.push(['artist', artist, 'captures', 1]);
  if (e.eventType === 'player.track_played') {
    if (artist !== null) out.push(['artist', artist, 'plays', 1]);
    const track = text(p, 'trackId');
    if (track !== null) out.push(['track', track, 'plays', 1]);
  }
  const from = text(p, 'fromArtistId');
  const to = text(p, 'toArtistId');
  if (e.eventType === 'orb.tapped' && from !== null && to !== null) out.push(['orb_transition', `${from}>${to}`, 'transitions', 1]);
  const eventId = text(p, 'eventId');
  const voteFor = text(p, 'voteFor');
  if (e.eventType === 'concierto.vote_cast' && eventId !== null && voteFor !== null)
    out.push(['vote_option', `${eventId}>${voteFor}`, 'votes', typeof p.weight === 'number' ? Math.round(p.weight) : 1]);
  if (e.eventType === 'concierto.event_attended' && eventId !== null) out.push(['concierto_event', eventId, 'attendance', 1]);
  const city = text(p, 'city') || e.userCity;
  if (city && ENGAGEMENT_CATEGORIES.has(e.eventCategory)) out.push(['city', city, 'engagement', 1]);
  return out;
}

/** One fact per (event fact, period): what the SQL groups and sums. */
export function* rollupFacts(events: Iterable<RollupEvent>): Generator<Fact> {
  for (const e of events) {
    for (const [entityType, entityId, metric, value] of factsOf(e)) {
      for (const period of PERIODS) yield { entityType, entityId, metric, period, bucketStart: bucketStart(period, e.occurredAtMs), value };
    }
  }
}
