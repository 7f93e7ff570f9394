import { Migration } from '@mikro-orm/migrations';

/**
 * MediaID DNA and Coliseum reports. `dna_profiles` holds `real[]`: pgvector is not installed here, so cosine runs in
 * the process. Partial expression indexes let a report read only its artist's or event's rows.
 */
export class Migration013MediaIdDna extends Migration {
  override name = 'Migration013MediaIdDna';

  override up(): void {
    this.addSql(`CREATE TABLE media_ids (
      user_id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
      display_name text,
      email text,
      interests text[] NOT NULL DEFAULT '{}',
      genre_preferences text[] NOT NULL DEFAULT '{}',
      content_flags jsonb NOT NULL DEFAULT '{}',
      location_code text,
      privacy_settings jsonb NOT NULL DEFAULT '{"shareLocation": false, "allowMatching": true}',
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    this.addSql('CREATE UNIQUE INDEX media_ids_email ON media_ids (lower(email)) WHERE email IS NOT NULL');
    this.addSql('CREATE INDEX media_ids_display_name ON media_ids (lower(display_name) text_pattern_ops) WHERE display_name IS NOT NULL');
    this.addSql('CREATE INDEX media_ids_email_prefix ON media_ids (lower(email) text_pattern_ops) WHERE email IS NOT NULL');
    this.addSql(`CREATE TABLE dna_profiles (
      user_id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
      dims smallint NOT NULL,
      cultural real[] NOT NULL,
      behavioral real[] NOT NULL,
      economic real[] NOT NULL,
      spatial real[] NOT NULL,
      ref_at timestamptz NOT NULL,
      signals bigint NOT NULL DEFAULT 0,
      through_id bigint NOT NULL DEFAULT 0,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    this.addSql(`CREATE TABLE coliseum_reports (
      id uuid PRIMARY KEY,
      report_type text NOT NULL CHECK (report_type IN ('artist', 'event', 'city', 'campaign')),
      entity_id text NOT NULL,
      entity_name text NOT NULL,
      time_range text NOT NULL,
      start_date timestamptz NOT NULL,
      end_date timestamptz NOT NULL,
      report_data jsonb NOT NULL,
      format text NOT NULL DEFAULT 'json' CHECK (format = 'json'),
      generated_by text NOT NULL,
      share_token text UNIQUE,
      share_expires_at timestamptz,
      generation_ms integer NOT NULL,
      generated_at timestamptz NOT NULL DEFAULT now()
    )`);
    this.addSql('CREATE INDEX coliseum_reports_entity ON coliseum_reports (report_type, entity_id, generated_at DESC)');
    this.addSql(`CREATE INDEX passport_entries_artist_time ON passport_entries ((payload->>'artistId'), occurred_at) WHERE (payload->>'artistId') IS NOT NULL`);
    this.addSql(`CREATE INDEX passport_entries_event_time ON passport_entries ((payload->>'eventId'), occurred_at) WHERE (payload->>'eventId') IS NOT NULL`);
  }
}
