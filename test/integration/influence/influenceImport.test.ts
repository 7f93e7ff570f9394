import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import pino from 'pino';
import { useTestDatabase } from '../../support/db.js';
import { scriptCommand } from '../../support/serverBuild.js';
import { CatalogRepository } from '../../../persistence/catalog/CatalogRepository.js';
import { InfluenceRepository } from '../../../persistence/influence/InfluenceRepository.js';
import { CatalogGenreSource, DatasetSource } from '../../../persistence/influence/sources.js';
import { ImportedRelationsRepository, ImportedSource } from '../../../persistence/influence/ImportedRelations.js';
import { buildInfluenceGraph } from '../../../features/influence/buildInfluenceGraph.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const FIXTURES = path.join(ROOT, 'test/fixtures/influence');
const silent = pino({ level: 'silent' });

/** Runs `npm run influence:import` (the script itself, transpiled once per run or through tsx) and collects its output. */
function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const [command, ...script] = scriptCommand('scripts/influence-import.ts');
    const child = spawn(command, [...script, ...args], { cwd: ROOT, env: { ...process.env, DATABASE_URL: '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('influence imports: MusicBrainz and Last.fm exports feed the influence builder (seed 000 step 11.a)', function () {
  this.timeout(60_000);
  const database = useTestDatabase();
  const signal = new AbortController().signal;
  const sources = () => {
    const imported = new ImportedRelationsRepository(database().sql);
    return [new DatasetSource(), new CatalogGenreSource(database().sql), new ImportedSource(imported, 'musicbrainz'), new ImportedSource(imported, 'lastfm')];
  };
  const build = (nowMs: number) =>
    buildInfluenceGraph(
      {
        repo: new InfluenceRepository(database().sql),
        sources: sources(),
        invalidateStations: async () => undefined,
        artistsPerRun: 100,
        refreshDays: 7,
        maxOrbs: 8,
      },
      { nowMs, signal, log: silent },
    );
  const orb = async (source: string, target: string) =>
    (
      await database().sql.query<{ n: number }>(`SELECT source_count AS n FROM influence_orbs WHERE source_artist_id = ? AND target_artist_id = ?`, [
        source,
        target,
      ])
    )[0]?.n ?? null;

  before(async () => {
    await new CatalogRepository(database().orm).ensureDemoCatalog();
    assert.equal((await build(Date.now())).rows, 54, 'a first build from the local sources');
  });

  it('refuses bad arguments with exit 2 and the usage, and writes nothing', async () => {
    for (const args of [
      ['--source', 'spotify', 'x.json'],
      ['--source', 'lastfm'],
      ['--source', 'lastfm', 'x.json'],
      ['--source', 'lastfm', '--bogus', 'x.json'],
    ]) {
      const run = await cli(args);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, /usage: npm run influence:import/);
    }
    const missing = await cli(['--source', 'lastfm', '--dry-run', path.join(FIXTURES, 'nope.json')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /ENOENT/);
    const [{ n }] = await database().sql.query<{ n: number }>('SELECT count(*)::int AS n FROM influence_imports');
    assert.equal(n, 0);
  });

  it('imports both providers, marks the catalog artists they describe due, and the next build counts them as sources', async () => {
    const url = database().url;
    const burnaFelaBefore = await orb('artist_burna_boy', 'artist_fela_kuti');
    assert.equal(await orb('artist_tems', 'artist_lauryn_hill'), null, 'no Tems → Lauryn Hill orb from the local sources');

    const mb = await cli([
      '--source',
      'musicbrainz',
      '--database-url',
      url,
      path.join(FIXTURES, 'musicbrainz-burna-boy.json'),
      path.join(FIXTURES, 'musicbrainz-dump.jsonl'),
    ]);
    assert.equal(mb.code, 3, `two lines of the dump are refused, the rest imported: ${mb.stderr}`);
    const [single, dump] = mb.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual([single.artists, single.relations, single.markedDue, single.refused], [1, 2, 1, 0]);
    assert.deepEqual([dump.artists, dump.relations, dump.markedDue, dump.refused], [2, 4, 2, 2]);
    const fm = await cli(['--source', 'lastfm', path.join(FIXTURES, 'lastfm-similar-burna-boy.json')], { DATABASE_URL: url });
    assert.equal(fm.code, 0, fm.stderr);
    assert.deepEqual(JSON.parse(fm.stdout).relations, 5);
    const bad = await cli(['--source', 'lastfm', '--database-url', url, path.join(FIXTURES, 'lastfm-error.json')]);
    assert.equal(bad.code, 3);
    assert.match(JSON.parse(bad.stdout).problems[0].message, /Last\.fm error response \(error 6\)/);

    const imported = new ImportedRelationsRepository(database().sql);
    assert.deepEqual(await imported.relationsFor('musicbrainz', 'burna boy'), [
      { name: 'Bob Marley', confidence: 1 },
      { name: 'Fela Kuti', confidence: 1 },
    ]);
    assert.deepEqual(
      (await imported.relationsFor('lastfm', 'Burna Boy')).map((r) => [r.name, r.confidence]),
      [
        ['Wizkid', 1],
        ['Davido', 0.912345],
        ['Tems', 0.74],
        ['Rema', 0.68],
        ['An Artist Not In The Catalog', 0.5],
      ],
    );
    const due = await database().sql.query<{ id: string }>('SELECT id FROM artists WHERE influence_graph_updated_at IS NULL ORDER BY id');
    assert.deepEqual(
      due.map((r) => r.id),
      ['artist_burna_boy', 'artist_fela_kuti', 'artist_tems'],
    );

    // Re-importing the same export replaces, never duplicates.
    assert.equal((await cli(['--source', 'lastfm', '--database-url', url, path.join(FIXTURES, 'lastfm-similar-burna-boy.json')])).code, 0);
    const [{ n }] = await database().sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM influence_imports WHERE provider = 'lastfm'`);
    assert.equal(n, 5);

    const rebuilt = await build(Date.now() + 1000);
    assert.equal(rebuilt.rows, 3, 'only the artists the imports describe are rebuilt');
    assert.deepEqual(rebuilt.details!.sources, ['dataset', 'catalog_genres', 'musicbrainz', 'lastfm']);
    assert.equal(await orb('artist_burna_boy', 'artist_fela_kuti'), burnaFelaBefore! + 1, 'MusicBrainz agrees with the dataset: one more source');
    assert.ok((await orb('artist_tems', 'artist_lauryn_hill')) !== null, 'the MusicBrainz dump gave Tems a Lauryn Hill orb');
  });
});
