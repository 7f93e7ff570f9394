/** Provider events as received; the unique provider event id makes the webhook idempotent. */
import type { Sql } from '../db.js';

export interface PaymentRecord {
  eventId: string;
  eventType: string;
  userId: string;
  amountCents: number;
  /** Lower-case ISO 4217. */
  currency: string;
  passportEventId: string;
  /** The event's object as the provider sent it (bounded by the route's body limit). */
  payload: Record<string, unknown>;
  createdAt: Date;
}

export class PaymentStore {
  constructor(private readonly sql: Sql) {}

  /** Stores the event; false when its id was stored before (a redelivery or a replay), which changes nothing. */
  async record(row: PaymentRecord): Promise<boolean> {
    const inserted = await this.sql.query<{ event_id: string }>(
      `INSERT INTO payment_events (event_id, event_type, user_id, amount_cents, currency, passport_event_id, payload, created_at)
       VALUES (?, ?, ?::uuid, ?, ?, ?::uuid, ?::jsonb, ?)
       ON CONFLICT (event_id) DO NOTHING
       RETURNING event_id`,
      [row.eventId, row.eventType, row.userId, row.amountCents, row.currency, row.passportEventId, JSON.stringify(row.payload), row.createdAt.toISOString()],
    );
    return inserted.length === 1;
  }
}
