/**
 * Which client-claimed passport events move a public board, and about which entity: what one user may add
 * to one board row is bounded per entity (features/limits/ingestLimits.ts). Pure.
 *
 * | event type                   | entity (payload)           | boards it moves                         |
 * |------------------------------|----------------------------|-----------------------------------------|
 * | player.track_played          | trackId                    | tracks.plays, artists.plays             |
 * | concierto.event_attended     | eventId                    | events.attendance, events.engagement    |
 * | treasury.purchase_completed  | artistId, eventId or self  | revenue, events.revenue, spent (per currency), events.engagement |
 * | treasury.money_earned        | artistId, eventId or self  | earned, artists.earned, events.earned (per currency)            |
 *
 * `concierto.vote_cast` is not claimable at all: votes are cast through the concierto vote route, which
 * records the event itself (one vote per user and event, weight by policy). Nor is a purchase once the
 * payment webhook is configured ({@link serverOnlyTypes}).
 */
import type { PassportEvent } from '../passport/events.js';

/** Event types only the server records; HTTP ingest refuses them with this advice. */
export const SERVER_ONLY_TYPES: Readonly<Record<string, string>> = Object.freeze({
  'concierto.vote_cast':
    'votes are cast with POST /api/concierto/events/:eventId/votes (one per user and event); the server records concierto.vote_cast itself',
  'social.link_shared': 'share links are made with POST /api/links; the server records social.link_shared itself',
  'social.link_opened': 'opens are counted when someone follows a share link (GET /l/:linkId); the server records social.link_opened itself',
});

/**
 * The server-only types of a server whose purchases come from the payment provider's signed webhook
 * (PAYMENT_WEBHOOK_SECRET set): a purchase is then recorded only from a verified provider event, so the
 * revenue boards and KPIs no longer rest on what a client claims. Without the webhook, purchases may
 * still be claimed (bounded per user and entity, as before).
 */
export function serverOnlyTypes(verifiedPurchases: boolean): Readonly<Record<string, string>> {
  if (!verifiedPurchases) return SERVER_ONLY_TYPES;
  return Object.freeze({
    ...SERVER_ONLY_TYPES,
    'treasury.purchase_completed':
      "purchases are recorded from the payment provider's signed webhook (POST /api/payments/webhook); the server records treasury.purchase_completed itself",
    'treasury.money_earned':
      "money earned is recorded from the payment provider's signed payouts (POST /api/payments/webhook, payout.paid); the server records treasury.money_earned itself",
  });
}

/** How a claimed event is bounded: per entity per hour, or (attendance) per entity per day. */
export type ClaimWindow = 'hour' | 'day';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

/** The board entity a client-claimed event adds to, with the window its bound counts in; null when it moves no board row. */
export function claimedEntity(event: Pick<PassportEvent, 'eventType' | 'payload'>): { entity: string; window: ClaimWindow } | null {
  const p = (event.payload ?? {}) as Record<string, unknown>;
  switch (event.eventType) {
    case 'player.track_played': {
      const entity = str(p.trackId);
      return entity ? { entity, window: 'hour' } : null;
    }
    case 'concierto.event_attended': {
      const entity = str(p.eventId);
      return entity ? { entity, window: 'day' } : null;
    }
    case 'treasury.purchase_completed':
    case 'treasury.money_earned':
      // Without an artist or event it still moves the user's own spent / earned row.
      return { entity: str(p.artistId) ?? str(p.eventId) ?? 'self', window: 'hour' };
    default:
      return null;
  }
}
