/**
 * Rolls the schema back for a release rollback: `DATABASE_URL=… npx tsx scripts/migrate-down.ts <last migration to keep>`
 * (e.g. `Migration036Baseline`) runs the `down()` of every later migration, newest first, and prints
 * them. Stop the servers first and take a backup: a `down()` that drops a column or table drops its data.
 */
import { createOrm } from '../persistence/orm.js';
import { migrationsList } from '../persistence/migrations/index.js';

export async function migrateDown(url: string, keep: string): Promise<string[]> {
  if (!migrationsList.some((m) => m.name === keep)) throw new Error(`no migration named ${keep}; known: ${migrationsList.map((m) => m.name).join(', ')}`);
  const orm = await createOrm({ url });
  try {
    const reverted = await orm.migrator.down({ to: keep });
    return reverted.map((m) => m.name);
  } finally {
    await orm.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [keep] = process.argv.slice(2);
  const url = process.env.DATABASE_URL;
  if (!keep || !url) {
    process.stderr.write('usage: DATABASE_URL=postgres://… npx tsx scripts/migrate-down.ts <last migration to keep>\n');
    process.exit(64);
  }
  const reverted = await migrateDown(url, keep);
  process.stdout.write(reverted.length ? `reverted: ${reverted.join(', ')}\n` : 'nothing to revert\n');
}
