import { Migration } from '@mikro-orm/migrations';

/**
 * Concierto events and one vote per user per event. The vote's passport event takes the vote's id, so a retried vote is
 * one event. The passport becomes append-only: a trigger refuses UPDATE and DELETE (retention drops whole partitions).
 */
export class Migration016ConciertoVotes extends Migration {
  override name = 'Migration016ConciertoVotes';

  override up(): void {
    this.addSql(`CREATE TABLE concierto_events (
      id text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_.:-]{1,64}$'),
      title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
      starts_at timestamptz NOT NULL,
      ends_at timestamptz NOT NULL,
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK (ends_at > starts_at)
    )`);
    this.addSql(`CREATE TABLE concierto_event_options (
      event_id text NOT NULL REFERENCES concierto_events (id) ON DELETE CASCADE,
      option_id text NOT NULL CHECK (option_id ~ '^[A-Za-z0-9_.:-]{1,64}$'),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      PRIMARY KEY (event_id, option_id)
    )`);
    this.addSql(`CREATE TABLE event_votes (
      event_id text NOT NULL REFERENCES concierto_events (id) ON DELETE CASCADE,
      user_id uuid NOT NULL REFERENCES users (id),
      option_id text NOT NULL,
      weight integer NOT NULL CHECK (weight > 0),
      vote_id uuid NOT NULL UNIQUE,
      cast_at timestamptz NOT NULL,
      PRIMARY KEY (event_id, user_id),
      FOREIGN KEY (event_id, option_id) REFERENCES concierto_event_options (event_id, option_id)
    )`);
    this.addSql(`CREATE FUNCTION passport_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- Retention's one exception: it moves rows the default partition caught into their month's new partition
        -- and expires old ones there, inside a transaction that says so (PassportPartitions, SET LOCAL).
        IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'passport_entries_default' AND current_setting('passport.retention', true) = 'on' THEN
          RETURN OLD;
        END IF;
        RAISE EXCEPTION 'passport_entries is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege',
          HINT = 'events are corrected by appending new events; retention drops whole monthly partitions';
      END $$`);
    this.addSql(`CREATE TRIGGER passport_entries_append_only BEFORE UPDATE OR DELETE ON passport_entries
      FOR EACH ROW EXECUTE FUNCTION passport_refuse_change()`);
  }
}
