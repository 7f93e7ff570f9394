import { Migration } from '@mikro-orm/migrations';

/**
 * DNA history: a copy of `dna_profiles` at each recompute and at most once per DNA_HISTORY_MIN_INTERVAL_SEC of
 * mirroring, bounded by DNA_HISTORY_MAX_PER_USER and DNA_HISTORY_RETENTION_DAYS.
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
