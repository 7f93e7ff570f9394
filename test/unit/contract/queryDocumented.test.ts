/**
 * What a route reads and answers is what the OpenAPI document says. A handler reads its query only through
 * its declaration (`ctx.query`, typed by the schema: a name it does not declare does not compile), so this
 * test holds the rest: no route file reads the raw query, every declared parameter is listed under its
 * operation in the document, and every operation's answers are typed (a titled schema, bytes of a media
 * type, or no body), the handler's answer checked against them by the type checker.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { openApiDocument } from '../../../contract/openapi.js';
import { operationsOf } from '../../../src/http/operations.js';
import { reply, routeOf } from '../../../src/http/route.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const HTTP = path.join(ROOT, 'src/http');
/** The framework parses the query for the declarations; the monitor passes its own query on to @colyseus/monitor. */
const READS_THE_QUERY = ['route.ts', 'edge.ts', 'opsMonitorRoutes.ts'];
const RAW_QUERY = /\.query\.get\(|searchParams|request\.query\b|new URLSearchParams/;

type Operation = { operationId: string; parameters?: Array<{ name: string; in: string }>; responses: Record<string, { content?: Record<string, unknown> }> };
const doc = openApiDocument() as { paths: Record<string, Record<string, Operation>> };
const documented = (path: string, method: string) => doc.paths[path]?.[method.toLowerCase()];

describe('the document lists every query parameter the server reads, and types every answer', () => {
  it('no route file reads the raw query: handlers read the parameters their declaration names', () => {
    const reading = fs
      .readdirSync(HTTP)
      .filter((f) => f.endsWith('.ts') && !READS_THE_QUERY.includes(f))
      .flatMap((f) =>
        fs
          .readFileSync(path.join(HTTP, f), 'utf8')
          .split('\n')
          .map((line, i) => [`${f}:${i + 1}`, line] as const)
          .filter(([, line]) => RAW_QUERY.test(line))
          .map(([at, line]) => `${at} ${line.trim()}`),
      );
    assert.deepEqual(reading, [], "declare the parameter in the route's `query` schema and read ctx.query");
  });

  it('every declared query and path parameter is in the document under its operation, and nothing else', () => {
    let withQuery = 0;
    for (const op of operationsOf()) {
      const listed = (documented(op.path, op.method)?.parameters ?? []).map((p) => `${p.in} ${p.name}`).sort();
      const pathParams = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => `path ${m[1]}`);
      const queryParams = Object.keys(op.query?.shape ?? {}).map((name) => `query ${name}`);
      assert.deepEqual(listed, [...pathParams, ...queryParams].sort(), `${op.operationId} (${op.method} ${op.path})`);
      if (queryParams.length) withQuery++;
    }
    const gets = operationsOf().filter((op) => op.method === 'GET');
    console.log(`      ${withQuery} operations document a query (${gets.filter((op) => op.query).length} of ${gets.length} GETs)`);
    // The reads the first declarations left undocumented: search, the inbox, a station, the KPIs, ops history, logs and users.
    for (const id of ['search', 'notifications', 'stationAt', 'opsMetrics', 'opsHistory', 'opsLogs', 'opsFindUsers'])
      assert.ok(operationsOf().find((op) => op.operationId === id)?.query, `${id} declares its query`);
  });

  it('every operation is typed: each answer a titled schema with named fields, bytes of a media type, or no body (204)', () => {
    const untyped: string[] = [];
    for (const op of operationsOf())
      for (const [status, answer] of Object.entries(op.responses)) {
        const fields = answer.schema instanceof z.ZodObject ? Object.keys(answer.schema.shape).length : answer.schema ? 1 : 0;
        const typed = answer.schema ? Boolean(answer.title) && fields > 0 : answer.contentType !== undefined || status === '204';
        if (!typed) untyped.push(`${op.operationId} ${status}`);
        const content = documented(op.path, op.method)?.responses[status]?.content;
        if (status !== '204') assert.ok(content && Object.keys(content).length > 0, `${op.operationId} ${status}: the document shows its body`);
      }
    assert.deepEqual(untyped, []);
    console.log(`      ${operationsOf().length} of ${operationsOf().length} operations typed`);
  });

  it('a handler answering what its declaration does not say does not compile (checked by npm run typecheck)', () => {
    const route = routeOf<object>('health');
    const answer = z.object({ count: z.number() }).meta({ title: 'Counted' });
    const declared = route('GET /counted', {
      operationId: 'counted',
      tag: 'health',
      summary: 'A count.',
      auth: 'none',
      query: z.object({ limit: z.coerce.number() }),
      responses: { 200: { description: 'The count.', schema: answer } },
      // @ts-expect-error -- `count` is declared a number
      handler: async () => ({ count: 'three' }),
    });
    route('GET /counted', {
      ...declared,
      // @ts-expect-error -- 201 is not a declared status
      handler: async () => reply(201, { count: 3 }),
    });
    route('GET /counted', {
      ...declared,
      // @ts-expect-error -- `offset` is not a declared query parameter
      handler: async ({ query }) => ({ count: query.offset }),
    });
    assert.equal(declared.operationId, 'counted');
  });
});
