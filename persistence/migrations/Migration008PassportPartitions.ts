import { Migration } from '@mikro-orm/migrations';

const COLUMNS = 'id, event_id, event_type, event_category, user_id, session_id, device_id, occurred_at, received_at, entity_type, entity_id, payload, source';

/**
 * `passport_entries` partitioned by month of `received_at`, so retention drops whole months. Idempotency moves to
 * `passport_event_ids`: a partitioned unique index must include the key, and a retry received in another month would
 * be stored twice. Rows left uncovered land in `passport_entries_default`.
 */
export class Migration008PassportPartitions extends Migration {
  override name = 'Migration008PassportPartitions';

  override up(): void {
    this.addSql('ALTER TABLE passport_entries RENAME TO passport_entries_legacy');
    this.addSql('ALTER TABLE passport_entries_legacy DROP CONSTRAINT passport_entries_event_id_key, DROP CONSTRAINT passport_entries_pkey');
    this.addSql('DROP INDEX passport_entries_user_time, passport_entries_type_time, passport_entries_received_brin');
    this.addSql(`CREATE TABLE passport_entries (
      id bigint GENERATED ALWAYS AS IDENTITY,
      event_id uuid NOT NULL,
      event_type text NOT NULL,
      event_category text NOT NULL,
      user_id uuid,
      session_id text,
      device_id text,
      occurred_at timestamptz NOT NULL,
      received_at timestamptz NOT NULL,
      entity_type text,
      entity_id text,
      payload jsonb NOT NULL DEFAULT '{}',
      source text NOT NULL CHECK (source IN ('room', 'http', 'gravity', 'offline_sync')),
      CONSTRAINT passport_entries_pkey PRIMARY KEY (id, received_at)
    ) PARTITION BY RANGE (received_at)`);
    this.addSql('CREATE TABLE passport_entries_default PARTITION OF passport_entries DEFAULT');
    // Months from the oldest stored row (or now) to three months ahead; the job keeps extending it.
    this.addSql(`DO $$
      DECLARE m date := date_trunc('month', COALESCE((SELECT min(received_at) FROM passport_entries_legacy), now()) AT TIME ZONE 'UTC')::date;
      DECLARE last date := (date_trunc('month', now() AT TIME ZONE 'UTC') + interval '3 months')::date;
      BEGIN
        WHILE m <= last LOOP
          EXECUTE format('CREATE TABLE %I PARTITION OF passport_entries FOR VALUES FROM (%L) TO (%L)',
            'passport_entries_y' || to_char(m, 'YYYY') || 'm' || to_char(m, 'MM'), m::timestamp AT TIME ZONE 'UTC', (m + interval '1 month')::timestamp AT TIME ZONE 'UTC');
          m := (m + interval '1 month')::date;
        END LOOP;
      END $$`);
    this.addSql('CREATE INDEX passport_entries_user_time ON passport_entries (user_id, occurred_at DESC)');
    this.addSql('CREATE INDEX passport_entries_type_time ON passport_entries (event_type, occurred_at)');
    this.addSql('CREATE INDEX passport_entries_received_brin ON passport_entries USING brin (received_at)');
    this.addSql(`INSERT INTO passport_entries (${COLUMNS}) OVERRIDING SYSTEM VALUE SELECT ${COLUMNS} FROM passport_entries_legacy ORDER BY id`);
    this.addSql(`SELECT setval(pg_get_serial_sequence('passport_entries', 'id'), COALESCE((SELECT max(id) FROM passport_entries_legacy), 0) + 1, false)`);

    this.addSql(`CREATE TABLE passport_event_ids (
      event_id uuid PRIMARY KEY,
      received_at timestamptz NOT NULL
    )`);
    this.addSql('CREATE INDEX passport_event_ids_received_brin ON passport_event_ids USING brin (received_at)');
    this.addSql('INSERT INTO passport_event_ids (event_id, received_at) SELECT event_id, received_at FROM passport_entries_legacy');
    this.addSql('DROP TABLE passport_entries_legacy');

    // Rows deleted (or truncated) release their event ids, so a replay of a deleted event is stored again.
    this.addSql(`CREATE FUNCTION passport_release_event_ids() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN DELETE FROM passport_event_ids d USING released r WHERE d.event_id = r.event_id; RETURN NULL; END $$`);
    this.addSql(`CREATE TRIGGER passport_entries_release_ids AFTER DELETE ON passport_entries
      REFERENCING OLD TABLE AS released FOR EACH STATEMENT EXECUTE FUNCTION passport_release_event_ids()`);
    this.addSql(`CREATE FUNCTION passport_release_all_event_ids() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN TRUNCATE passport_event_ids; RETURN NULL; END $$`);
    this.addSql(
      'CREATE TRIGGER passport_entries_release_all AFTER TRUNCATE ON passport_entries FOR EACH STATEMENT EXECUTE FUNCTION passport_release_all_event_ids()',
    );
  }
}
