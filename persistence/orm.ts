import { MikroORM } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { migrationsList } from './migrations/index.js';
import { entities } from './entities/index.js';

/** The pool of command-line scripts (catalog, imports, rollback), which do not size it; the server's is DB_POOL_MAX. */
const SCRIPT_POOL_MAX = 10;

export type Orm = MikroORM;

export interface OrmOptions {
  url: string;
  poolMax?: number;
}

/** Connects MikroORM with every entity listed explicitly (no glob discovery). */
export async function createOrm(options: OrmOptions): Promise<Orm> {
  return MikroORM.init({
    clientUrl: options.url,
    entities,
    extensions: [Migrator],
    migrations: { migrationsList, snapshot: false, snapshotOnMigrate: false, transactional: true, allOrNothing: true, silent: true },
    pool: { min: 0, max: options.poolMax ?? SCRIPT_POOL_MAX },
    // No JIT: it compiles per execution, and a statement over a batch's recordset is estimated at 100 rows a input (a
    // recompute's sources read took ~180 ms of compiling against ~15 ms of work). Every statement here is short.
    driverOptions: { options: '-c jit=off' },
    debug: false,
    allowGlobalContext: false,
  });
}

/** Applies pending migrations; safe to call on every boot. */
export async function migrate(orm: Orm): Promise<string[]> {
  const applied = await orm.migrator.up();
  return applied.map((m) => m.name);
}
