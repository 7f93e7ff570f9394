/**
 * The HTTP contract and the edge agree: the app is started in this process (its real composition root,
 * src/app.ts, on a fresh database and a free port) and every route it serves must be a declared operation
 * (src/http/*Routes.ts) or a page declared with the reason the document leaves it out (`page()`); every
 * operation must still be served. Adding a route without a declaration, or removing one, fails here.
 */
import assert from 'node:assert/strict';
import pino from 'pino';
import { startApp, type RunningApp } from '../../../src/app.js';
import { loadConfig } from '../../../src/config/config.js';
import type { ServedRoute } from '../../../src/wire/server.js';
import { routerPath } from '../../../contract/http.js';
import { HTTP_OPERATIONS } from '../../../contract/registry.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { TEST_AUTH_SECRET } from '../../support/auth.js';

const key = (r: { method: string; path: string }): string => `${r.method} ${r.path}`;

/** What the contract names, in the router's form (`:id`), each once: the operations, and the pages served with their reason. */
function contractRoutes(pages: readonly ServedRoute[] = []): Map<string, string> {
  const out = new Map<string, string>();
  const add = (k: string, what: string) => {
    assert.ok(!out.has(k), `${k} is in the contract twice (${out.get(k)} and ${what})`);
    out.set(k, what);
  };
  // An operation served by another route's pattern (a `.pdf` form) adds no route of its own; that route must be served.
  for (const op of HTTP_OPERATIONS) if (!op.servedBy) add(key({ method: op.method, path: routerPath(op.path) }), `operation ${op.operationId}`);
  for (const page of pages) if (page.excluded) add(key(page), `a page: ${page.excluded}`);
  return out;
}

/** Served routes the contract lacks, and contract entries no route serves. */
export function contractGaps(served: readonly ServedRoute[], contract: Map<string, string>): { undescribed: string[]; unserved: string[] } {
  const servedKeys = new Set(served.map(key));
  return { undescribed: [...servedKeys].filter((k) => !contract.has(k)), unserved: [...contract.keys()].filter((k) => !servedKeys.has(k)) };
}

describe('the HTTP contract covers every route the app serves', function () {
  this.timeout(60_000);
  let db: TestDatabase | undefined;
  let app: RunningApp | undefined;

  before(async () => {
    db = await createTestDatabase();
    // ADMIN_TOKEN set so the admin surfaces are as in production; no Redis, port 0: nothing shared with other tests.
    // ASSET_ARTWORK off, as test servers run: the demo artwork would be drawn for ~50 s of CPU next to the other test files.
    const env = {
      DATABASE_URL: db.url,
      PORT: '0',
      HOST: '127.0.0.1',
      TRANSPORT: 'ws',
      AUTH_SECRET: TEST_AUTH_SECRET,
      ADMIN_TOKEN: 'route-coverage-admin-token-0123456789',
      ASSET_ARTWORK: 'false',
    };
    app = await startApp(loadConfig(env), pino({ level: 'silent' }));
  });

  after(async () => {
    const failed = (await app?.stop()) ?? [];
    await db?.drop();
    assert.deepEqual(failed, [], 'the app stopped cleanly');
  });

  it('the app serves the routes this test expects to find (the list is the router’s, not empty)', () => {
    const served = new Set(app!.routes.map(key));
    for (const k of ['POST /api/auth/device', 'GET /health', 'GET /api/ops/overview', 'PUT /api/mediaid/me', 'GET /monitor/**']) assert.ok(served.has(k), k);
    assert.equal(served.size, app!.routes.length, 'no route is registered twice');
  });

  it('every served route is an HTTP operation or excluded with a reason', () => {
    const { undescribed } = contractGaps(app!.routes, contractRoutes(app!.routes));
    assert.deepEqual(undescribed, [], 'declare them in their route file (src/http/route.ts; a page with page() and its reason), then npm run codegen');
  });

  it('every HTTP operation and exclusion is still served', () => {
    const { unserved } = contractGaps(app!.routes, contractRoutes(app!.routes));
    assert.deepEqual(unserved, [], 'remove them from the contract (or fix the path), then npm run codegen');
  });

  it('a route without an entry and an entry without a route are both reported (the check can fail)', () => {
    const contract = contractRoutes(app!.routes);
    const withNewRoute = [...app!.routes, { method: 'GET' as const, path: '/api/not-in-the-contract' }];
    assert.deepEqual(contractGaps(withNewRoute, contract).undescribed, ['GET /api/not-in-the-contract']);
    const withoutSearch = app!.routes.filter((r) => key(r) !== 'GET /api/search');
    assert.deepEqual(contractGaps(withoutSearch, contract).unserved, ['GET /api/search']);
    contract.delete('GET /api/search');
    assert.deepEqual(contractGaps(app!.routes, contract).undescribed, ['GET /api/search']);
  });

  it('an operation served by another route names a route the app serves', () => {
    const served = new Set(app!.routes.map(key));
    const aliases = HTTP_OPERATIONS.filter((op) => op.servedBy);
    assert.ok(aliases.length > 0, 'the .pdf report forms are declared');
    for (const op of aliases) assert.ok(served.has(key({ method: op.method, path: op.servedBy! })), `${op.operationId}: ${op.servedBy}`);
  });

  it('operation ids are unique, pages give a reason', () => {
    const ids = HTTP_OPERATIONS.map((op) => op.operationId);
    assert.deepEqual(
      ids.filter((id, i) => ids.indexOf(id) !== i),
      [],
    );
    for (const page of app!.routes.filter((r) => r.excluded !== undefined)) assert.ok(page.excluded!.length > 10, key(page));
  });
});
