/**
 * Adding to the contract stays a few files: in a copy of the tracked tree, each throwaway addition makes its
 * hand edits (at most three files), then the copy must type-check, regenerate (`npm run codegen`) and pass the
 * addition's own test and checks. A change that makes an addition need one more hand-edited file (a name spelled
 * out again somewhere, an example kept by hand) fails here. docs/DEVELOPMENT.md gives the same recipes in prose.
 *
 * To add a kind of addition (a GET route, …): one more entry in ADDITIONS; every addition shares one copy and
 * one type-check.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { adminDatabaseUrl } from '../../support/postgres.js';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../../..');

/** One hand edit: `change` gets the file's text ('' for a new file) and returns the new text. */
interface Edit {
  file: string;
  change: (text: string) => string;
}

interface Addition {
  name: string;
  edits: Edit[];
  /** Test files of the copy to run once it is regenerated (the addition's own test, and the checks it must still pass). */
  tests: string[];
  /** What the regenerated copy must show. */
  verify: (copy: string) => Promise<void>;
}

/** `text` with `insert` before the first `anchor`; a missing anchor names the edit to update. */
function insertBefore(text: string, anchor: string, insert: string): string {
  const at = text.indexOf(anchor);
  assert.ok(at >= 0, `throwaway edit: "${anchor}" is gone; update this test's edit to the file's new shape`);
  return text.slice(0, at) + insert + text.slice(at);
}

const read = (copy: string, file: string) => fs.readFile(path.join(copy, file), 'utf8');

/** A client message that locks the dial with a method of its own: the row with its handler, its pure function, its test. */
const lockingMessage: Addition = {
  name: 'a room message that locks the dial with its own method',
  edits: [
    {
      file: 'systems/session/momentum.ts',
      change: (text) =>
        `${text.replace("export const LOCK_METHODS = ['swipe', 'tune'", "export const LOCK_METHODS = ['swipe', 'tune', 'surprise'")}
/** A station-ish frequency from a seed: anywhere on the band, the same for the same seed. */
export function surpriseFrequency(seed: number): number {
  return 87.5 + ((seed * 7919) % 206) / 10;
}
`,
    },
    {
      file: 'rooms/session/protocol.ts',
      change: (text) =>
        insertBefore(
          `import { surpriseFrequency } from '../../systems/session/momentum.js';\nimport { lockNearest } from './dialInputs.js';\n${text}`,
          '\n  swipe: on({',
          `
  surprise: on({
    title: 'SurpriseMessage',
    summary: 'Lock on a station picked from a seed; \`locked\` follows.',
    example: { seed: 42 },
    input: sequenced(z.object({ seed: z.number().int().min(0).max(1_000_000) })),
    replies: ['locked'],
    port: 'dial',
    handle: (s, msg, dial) => lockNearest(s, dial, 'surprise', surpriseFrequency(msg.seed)),
  }),`,
        ),
    },
    {
      file: 'test/unit/rooms/surprise.test.ts',
      change: () => `import assert from 'node:assert/strict';
import { pino } from 'pino';
import { SessionState } from '../../../schema/SessionState.js';
import type { Outcome, SessionView } from '../../../rooms/session/outcome.js';
import { SESSION_MESSAGES } from '../../../rooms/session/protocol.js';
import { SessionSimulation } from '../../../rooms/session/SessionSimulation.js';
import { validateEvent } from '../../../systems/passport/index.js';

describe('surprise', () => {
  it('locks on the station nearest its frequency, with its own method the passport accepts', () => {
    const state = new SessionState();
    const s = { sim: new SessionSimulation(state, [88.1, 95.3, 104.1], 95.3, 0), state, log: pino({ level: 'silent' }) } as unknown as SessionView;
    const dial = { now: () => 5, stations: { stationAt: async () => null, stationForArtist: async () => null } };
    const outcome = SESSION_MESSAGES.surprise.handle(s, { seed: 0 }, dial) as Outcome;
    assert.deepEqual(outcome.lock, { method: 'surprise', frequency: 88.1 });
    const visit = { eventType: 'station.visited', payload: { artistId: 'a', frequency: 88.1, method: 'surprise' } };
    assert.equal(validateEvent(visit, { source: 'room', receivedAtMs: 0, newId: () => 'id' }).ok, true);
  });
});
`,
    },
  ],
  tests: ['test/unit/rooms/surprise.test.ts', 'test/unit/rooms/sessionProtocol.test.ts', 'test/unit/contract/protocolExamples.test.ts'],
  async verify(copy) {
    const protocol = await read(copy, 'docs/PROTOCOL.md');
    assert.match(protocol, /\| `surprise` \| `SurpriseMessage` \| `\{ seed: int, seq\?: int \}` \|/, 'the message table lists it');
    assert.match(protocol, /```json contract:SurpriseMessage\n\{"seed":42\}\n```/, 'its example is shown');
    const asyncapi = JSON.parse(await read(copy, 'clients/contract/asyncapi.json')) as { components: { messages: Record<string, unknown> } };
    assert.ok(JSON.stringify(asyncapi.components.messages).includes('SurpriseMessage'), 'AsyncAPI has the message');
    assert.match(await read(copy, 'clients/ts/src/messages.ts'), /export interface SurpriseMessage \{/);
    const openapi = await read(copy, 'clients/contract/openapi.json');
    assert.match(openapi, /"offline_cache",\s*"surprise"|"surprise",\s*"orb"/, 'the passport ingest accepts visits by the new method');
  },
};

/** A GET on an existing feature: the declaration in its route file (query, answer), the feature's method, its test. */
const getRoute: Addition = {
  name: 'a GET route on an existing feature, with a query parameter',
  edits: [
    {
      file: 'features/catalog/StationService.ts',
      change: (text) =>
        insertBefore(
          text,
          '\n  listStations(): Promise<StationListing[]> {',
          `
  /** The \`count\` stations nearest \`frequency\` on the dial, nearest first. */
  async nearest(frequency: number, count: number): Promise<StationListing[]> {
    const byDistance = [...(await this.listStations())].sort((a, b) => Math.abs(a.frequency - frequency) - Math.abs(b.frequency - frequency));
    return byDistance.slice(0, count);
  }
`,
        ),
    },
    {
      file: 'src/http/catalogRoutes.ts',
      change: (text) =>
        insertBefore(
          text,
          "\n  route('POST /api/admin/catalog/invalidate', {\n    operationId: 'invalidateCatalog',",
          `
  route('GET /api/stations/{frequency}/near', {
    operationId: 'stationsNear',
    tag: 'catalog',
    summary: 'The stations nearest a frequency on the dial (query \`count\` 1–10, default 3).',
    auth: 'none',
    params: z.object({ frequency }),
    query: z.object({ count: intQuery(1, 10, 3) }),
    responses: { 200: { description: 'Nearest first.', schema: stationListSchema } },
    handler: async ({ params, query }, { stations }) => ({ stations: await stations.nearest(params.frequency, query.count) }),
  }),`,
        ).replace('import { mount, reply, routeOf', 'import { intQuery, mount, reply, routeOf'),
    },
    {
      file: 'test/integration/catalog/stationsNear.test.ts',
      change: () => `import assert from 'node:assert/strict';
import { CatalogRepository } from '../../../persistence/catalog/CatalogRepository.js';
import { StationCache } from '../../../persistence/catalog/StationCache.js';
import { StationService } from '../../../features/catalog/StationService.js';
import { catalogRoutes } from '../../../src/http/catalogRoutes.js';
import { requestAuth } from '../../../src/http/authGates.js';
import { AccessTokens } from '../../../features/auth/tokens.js';
import { localBackplane } from '../../support/backplanes.js';
import { buildRouter } from '../../support/httpRouter.js';
import { useTestDatabase } from '../../support/db.js';

describe('GET /api/stations/{frequency}/near', function () {
  this.timeout(30_000);
  const db = useTestDatabase();

  it('answers the nearest stations, and a count out of range is a 400 naming it', async () => {
    const repo = new CatalogRepository(db().orm);
    await repo.ensureDemoCatalog();
    const cache = new StationCache(localBackplane(), { ttlMs: 60_000, maxEntries: 10, onError: () => undefined, now: Date.now });
    const auth = requestAuth(new AccessTokens('throwaway-route-test-secret-0123456789', 900));
    const router = buildRouter(catalogRoutes(new StationService(repo, cache), auth));
    const near = await router.handler(new Request('http://localhost/api/stations/99.9/near?count=2'));
    assert.equal(near.status, 200);
    const { stations } = (await near.json()) as { stations: Array<{ frequency: number }> };
    assert.equal(stations.length, 2);
    assert.equal(stations[0]!.frequency, 99.9);
    const bad = await router.handler(new Request('http://localhost/api/stations/99.9/near?count=99'));
    assert.deepEqual([bad.status, ((await bad.json()) as { details: Array<{ field: string }> }).details[0]!.field], [400, 'count']);
  });
});
`,
    },
  ],
  tests: ['test/integration/catalog/stationsNear.test.ts', 'test/unit/contract/queryDocumented.test.ts'],
  async verify(copy) {
    const openapi = JSON.parse(await read(copy, 'clients/contract/openapi.json')) as {
      paths: Record<string, Record<string, { operationId: string; parameters: Array<{ name: string; in: string }>; responses: Record<string, unknown> }>>;
    };
    const near = openapi.paths['/api/stations/{frequency}/near']?.get;
    assert.equal(near?.operationId, 'stationsNear', 'the document has the route');
    assert.deepEqual(
      near!.parameters.map((p) => `${p.in} ${p.name}`),
      ['path frequency', 'query count'],
      'with its path and query parameters',
    );
    assert.match(JSON.stringify(near!.responses['200']), /StationList/, 'and its typed answer');
  },
};

const ADDITIONS: Addition[] = [lockingMessage, getRoute];

const GENERATED = [/^clients\//, /^docs\/PROTOCOL\.md$/, /^docs\/CONFIG\.md$/];

async function digests(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const entry of await fs.readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.relative(dir, path.join(entry.parentPath, entry.name));
    if (file.startsWith('node_modules')) continue;
    out.set(
      file,
      createHash('sha1')
        .update(await fs.readFile(path.join(dir, file)))
        .digest('hex'),
    );
  }
  return out;
}

describe('throwaway additions in a copy of the tree need at most 3 hand-edited files', function () {
  this.timeout(600_000);
  let copy: string;
  let changed: string[];

  before(async () => {
    copy = await fs.mkdtemp(path.join(os.tmpdir(), 'ds-throwaway-'));
    const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
    for (const file of tracked) await fs.cp(path.join(ROOT, file), path.join(copy, file)).catch(() => undefined); // a file deleted in the worktree stays out
    await fs.symlink(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'));
    const start = await digests(copy);
    for (const addition of ADDITIONS)
      for (const edit of addition.edits) {
        const file = path.join(copy, edit.file);
        await fs.mkdir(path.dirname(file), { recursive: true });
        await fs.writeFile(file, edit.change(await fs.readFile(file, 'utf8').catch(() => '')));
      }
    await run(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', 'tsconfig.json'], { cwd: copy }).catch((err) => {
      throw new Error(`the copy does not type-check with only the additions' edits:\n${err.stdout}`);
    });
    await run(process.execPath, ['--import', 'tsx', 'scripts/codegen.ts'], { cwd: copy });
    const end = await digests(copy);
    changed = [...end.keys()].filter((f) => start.get(f) !== end.get(f)).sort();
  });

  after(() => fs.rm(copy, { recursive: true, force: true }));

  it('each addition edits at most 3 files, and nothing else changes by hand (only generated files)', () => {
    for (const a of ADDITIONS) assert.ok(a.edits.length <= 3, `${a.name}: ${a.edits.length} files`);
    const edited = new Set(ADDITIONS.flatMap((a) => a.edits.map((e) => e.file)));
    assert.deepEqual(
      changed.filter((f) => !edited.has(f) && !GENERATED.some((g) => g.test(f))),
      [],
    );
  });

  for (const addition of ADDITIONS) {
    it(`${addition.name}: derived everywhere, and its test and the contract's pass`, async () => {
      await addition.verify(copy);
      await run(
        process.execPath,
        [path.join(ROOT, 'node_modules/mocha/bin/mocha.js'), '--no-config', '--import=tsx', '--timeout', '60000', ...addition.tests],
        // The parent's Postgres (TEST_DATABASE_URL, or this process's embedded one, stopped by its root hook): the copy's
        // mocha runs without the hooks, so an embedded server of its own would keep it alive until the timeout.
        { cwd: copy, env: { ...process.env, TEST_DATABASE_URL: await adminDatabaseUrl() } },
      ).catch((err) => {
        throw new Error(`${addition.name}: tests fail in the copy:\n${err.stdout}\n${err.stderr}`);
      });
    });
  }
});
