/**
 * `npm run catalog:synth -- --artists 10000 [--seed 1] [--database-url postgres://…]`
 * Loads a deterministic synthetic catalog (plus the demo one) for load tests. Uses DATABASE_URL when
 * --database-url is not given; migrates first. Exit 0 loaded or already there, 2 bad arguments, 1 error.
 */
import { createOrm, migrate } from '../persistence/orm.js';
import { sqlFor } from '../persistence/db.js';
import { CatalogRepository } from '../persistence/catalog/CatalogRepository.js';
import { loadSyntheticCatalog } from '../persistence/catalog/loadSynthetic.js';
import { MAX_SYNTHETIC_ARTISTS, SyntheticCatalogError, validateSyntheticOptions } from '../persistence/catalog/synthCatalog.js';

const USAGE = `usage: npm run catalog:synth -- --artists N [--seed S] [--database-url URL]
  --artists N          synthetic artists, 1–${MAX_SYNTHETIC_ARTISTS} (default 10000)
  --seed S             generator seed (default 1); same seed and count, same catalog
  --database-url URL   Postgres to load into (default env DATABASE_URL)`;

function parse(argv: string[]): { artists: number; seed: number; url: string } {
  const o = { artists: 10_000, seed: 1, url: process.env.DATABASE_URL ?? '' };
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--help') throw new SyntheticCatalogError(USAGE);
    if (value === undefined) throw new SyntheticCatalogError(`${flag} needs a value\n${USAGE}`);
    if (flag === '--artists') o.artists = Number(value);
    else if (flag === '--seed') o.seed = Number(value);
    else if (flag === '--database-url') o.url = value;
    else throw new SyntheticCatalogError(`unknown option ${flag}\n${USAGE}`);
    i++;
  }
  validateSyntheticOptions({ artists: o.artists, seed: o.seed });
  if (!o.url) throw new SyntheticCatalogError(`no database: pass --database-url postgres://… or set DATABASE_URL\n${USAGE}`);
  return o;
}

async function main(): Promise<void> {
  const o = parse(process.argv.slice(2));
  const orm = await createOrm({ url: o.url });
  try {
    await migrate(orm);
    const sql = sqlFor(orm);
    const started = performance.now();
    const result = await loadSyntheticCatalog(sql, new CatalogRepository(orm), { artists: o.artists, seed: o.seed });
    const secs = ((performance.now() - started) / 1000).toFixed(1);
    process.stdout.write(
      result.loaded
        ? `loaded ${result.artists} artists (${result.onAir} on air) and ${result.orbs} orbs in ${secs} s\n`
        : `already loaded (${o.artists} artists, seed ${o.seed}); nothing to do\n`,
    );
  } finally {
    await orm.close(true);
  }
}

main().catch((err: Error) => {
  process.stderr.write(`catalog:synth: ${err.message}\n`);
  process.exit(err instanceof SyntheticCatalogError ? 2 : 1);
});
