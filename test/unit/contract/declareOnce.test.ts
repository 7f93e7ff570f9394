/**
 * A route is declared once: the router and the OpenAPI document are both made from the route files'
 * declarations (src/http/operations.ts), so leaving one declaration out removes the route from the
 * server and from the document together. Built here from the real declaration lists, one left out.
 */
import assert from 'node:assert/strict';
import pino from 'pino';
import { ROUTE_DECLARATIONS, operationsOf } from '../../../src/http/operations.js';
import { mount, type AnyDeclaration } from '../../../src/http/route.js';
import { adminGate, requestAuth } from '../../../src/http/authGates.js';
import { AccessTokens } from '../../../features/auth/tokens.js';
import { buildRouter } from '../../support/httpRouter.js';
import { openApiDocument } from '../../../contract/openapi.js';
import type { Logger } from '../../../src/logger.js';
import { jsonOf } from '../../support/http.js';

const silent = pino({ level: 'silent' }) as unknown as Logger;
const gates = { auth: requestAuth(new AccessTokens('declare-once-test-secret-0123456789', 900)), admin: adminGate(undefined) };

type Declarations = ReadonlyArray<readonly AnyDeclaration[]>;

/** The router and the document from the same declarations, as the server and codegen make them. */
function build(declarations: Declarations) {
  // The handlers are not reached past their own validation here, so they need no services.
  const router = buildRouter(
    declarations.flatMap((list) => mount(list, gates)),
    silent,
  );
  const doc = openApiDocument(operationsOf(declarations)) as { paths: Record<string, Record<string, { operationId: string }>> };
  return { router, doc };
}

const without = (operationId: string): Declarations => ROUTE_DECLARATIONS.map((list) => list.filter((d) => d.operationId !== operationId));

describe('a route declared once: router and document from the same declarations', () => {
  it('GET /api/search is served and documented; without its declaration it is neither', async () => {
    const all = build(ROUTE_DECLARATIONS);
    const served = await all.router.handler(new Request('http://localhost/api/search'));
    assert.equal(served.status, 400, 'the search route answers (q is missing)');
    assert.equal((await jsonOf(served)).error, 'VALIDATION_FAILED');
    assert.equal(all.doc.paths['/api/search']?.get?.operationId, 'search');

    const less = build(without('search'));
    const gone = await less.router.handler(new Request('http://localhost/api/search'));
    assert.equal(gone.status, 404);
    assert.deepEqual(await jsonOf(gone), { error: 'NOT_FOUND', message: 'no route for GET /api/search' });
    assert.equal(less.doc.paths['/api/search'], undefined);
    assert.ok(less.doc.paths['/api/recommendations']?.get, 'the other operations stay');
  });

  it('one method of a path goes, the other stays (PUT /api/mediaid/me without GET)', async () => {
    const less = build(without('myMediaId'));
    assert.deepEqual(Object.keys(less.doc.paths['/api/mediaid/me']), ['put']);
    assert.equal((await less.router.handler(new Request('http://localhost/api/mediaid/me'))).status, 404);
  });

  it('every declared operation is in the document once, under its path and method', () => {
    const { doc } = build(ROUTE_DECLARATIONS);
    for (const op of operationsOf()) assert.equal(doc.paths[op.path]?.[op.method.toLowerCase()]?.operationId, op.operationId);
  });
});
