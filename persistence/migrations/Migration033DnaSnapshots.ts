import { Migration } from '@mikro-orm/migrations';

/**
 * DNA evolution (seed 002 "DNA evolution tracking over time"): a copy of a user's mirrored DNA
 * (`dna_profiles`) taken at each manual recompute and, at most once per DNA_HISTORY_MIN_INTERVAL_SEC, when
 * the mirroring evolves it. At most DNA_HISTORY_MAX_PER_USER rows are kept per user (older ones are deleted
 * as new ones come), none older than DNA_HISTORY_RETENTION_DAYS (the cleanup job).
 */
export class Migration033DnaSnapshots extends Migration {
  override name = 'Migration033DnaSnapshots';

  override up(): void {
    this.addSql(`CREATE TABLE dna_snapshots (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      taken_at timestamptz NOT NULL,
      trigger text NOT NULL CHECK (trigger IN ('recompute', 'mirroring')),
      dims smallint NOT NULL,
      cultural real[] NOT NULL,
      behavioral real[] NOT NULL,
      economic real[] NOT NULL,
      spatial real[] NOT NULL,
      ref_at timestamptz NOT NULL,
      signals bigint NOT NULL,
      through_id bigint NOT NULL
    )`);
    this.addSql('CREATE INDEX dna_snapshots_user_time ON dna_snapshots (user_id, taken_at DESC, id DESC)');
    this.addSql('CREATE INDEX dna_snapshots_time ON dna_snapshots (taken_at)');
  }

  override down(): void {
    this.addSql('DROP TABLE IF EXISTS dna_snapshots');
  }
}
