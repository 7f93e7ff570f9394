import { Migration } from '@mikro-orm/migrations';

/**
 * The gravity layer (seed 001) and the influence graph builder's bookkeeping (seed 000 steps 9.4, 11).
 *
 * - `tracks`: what a track id is, and its artist when known (gravity plays then count for the artist).
 * - `gravity_edges`: track → track, weight stored epoch-scaled (systems/gravity/gravity.ts: decay without
 *   rewriting rows), transitions counted; read by `GET /tracks/:id/gravity_neighbors` as a primary-key
 *   range. No index on the weight and fillfactor 80: the builder rewrites weights constantly, and with
 *   no indexed column changing those updates are HOT (42k → 73k events/s without it: docs/benchmarks-archive.md
 *   "Gravity edge builder").
 * - `gravity_sessions`: each session's current track and the track it came from, so a transition that
 *   spans two builder batches is still one transition.
 * Track ids are text: `POST /event` sends UUIDs, the passport's `player.*` events may carry any id.
 */
export class Migration006Gravity extends Migration {
  override name = 'Migration006Gravity';

  override up(): void {
    this.addSql(`CREATE TABLE tracks (
      id text PRIMARY KEY,
      artist_id text REFERENCES artists(id) ON DELETE SET NULL,
      title text NOT NULL DEFAULT '',
      duration_ms integer,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    this.addSql('CREATE INDEX tracks_artist ON tracks (artist_id)');
    this.addSql(`CREATE TABLE gravity_edges (
      from_track text NOT NULL,
      to_track text NOT NULL,
      weight double precision NOT NULL,
      transitions integer NOT NULL DEFAULT 0,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (from_track, to_track)
    ) WITH (fillfactor = 80)`);
    this.addSql(`CREATE TABLE gravity_sessions (
      session_id text PRIMARY KEY,
      current_track text NOT NULL,
      from_track text,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    this.addSql('CREATE INDEX gravity_sessions_updated ON gravity_sessions (updated_at)');

    // Step 9.4 popularity and step 11.a/h: which artists the influence builder visits next.
    this.addSql(`ALTER TABLE artists
      ADD COLUMN popularity_score double precision NOT NULL DEFAULT 0,
      ADD COLUMN popularity_updated_at timestamptz,
      ADD COLUMN influence_graph_updated_at timestamptz,
      ADD COLUMN total_influences integer NOT NULL DEFAULT 0`);
    this.addSql('CREATE INDEX artists_influence_due ON artists (influence_graph_updated_at NULLS FIRST, popularity_score DESC)');
    this.addSql(`ALTER TABLE influence_orbs
      ADD COLUMN source_count integer NOT NULL DEFAULT 1,
      ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now()`);
  }
}
