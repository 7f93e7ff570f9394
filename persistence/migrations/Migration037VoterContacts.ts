import { Migration } from '@mikro-orm/migrations';

/** A pre-signup voter's contact, one per device and event, kept only with marketing consent (the CHECK) until the voter deletes it. */
export class Migration037VoterContacts extends Migration {
  override name = 'Migration037VoterContacts';

  override up(): void {
    this.addSql(`CREATE TABLE voter_contacts (
      secret_hash text NOT NULL,
      event_id text NOT NULL REFERENCES concierto_events (id) ON DELETE CASCADE,
      email text NOT NULL,
      name text,
      phone text,
      marketing_consent boolean NOT NULL CHECK (marketing_consent),
      consented_at timestamptz NOT NULL,
      PRIMARY KEY (secret_hash, event_id)
    )`);
    this.addSql('CREATE INDEX voter_contacts_event ON voter_contacts (event_id, consented_at)');
  }

  override down(): void {
    this.addSql('DROP TABLE IF EXISTS voter_contacts');
  }
}
