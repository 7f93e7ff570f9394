import { Migration } from '@mikro-orm/migrations';

/**
 * Votes held by a device before it signs up, keyed by the SHA-256 of its secret; linked to the user at sign-in
 * (`counted`, or `superseded` when the user had voted). `recorded_at` says the passport event committed, so a crash
 * in between is finished at the next sign-in.
 */
export class Migration032HeldVotes extends Migration {
  override name = 'Migration032HeldVotes';

  override up(): void {
    this.addSql(`CREATE TABLE held_votes (
      vote_id uuid PRIMARY KEY,
      secret_hash text NOT NULL CHECK (secret_hash ~ '^[0-9a-f]{64}$'),
      event_id text NOT NULL REFERENCES concierto_events (id) ON DELETE CASCADE,
      option_id text NOT NULL,
      weight integer NOT NULL CHECK (weight > 0),
      held_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      user_id uuid REFERENCES users (id) ON DELETE CASCADE,
      linked_at timestamptz,
      outcome text CHECK (outcome IN ('counted', 'superseded')),
      recorded_at timestamptz,
      UNIQUE (secret_hash, event_id),
      FOREIGN KEY (event_id, option_id) REFERENCES concierto_event_options (event_id, option_id),
      CHECK ((user_id IS NULL) = (outcome IS NULL))
    )`);
    this.addSql(`CREATE INDEX held_votes_unrecorded ON held_votes (user_id) WHERE outcome = 'counted' AND recorded_at IS NULL`);
    this.addSql('CREATE INDEX held_votes_expiry ON held_votes (expires_at)');
  }

  override down(): void {
    this.addSql('DROP TABLE IF EXISTS held_votes');
  }
}
