/**
 * The generated contract (clients/contract/*.json, clients/ts/src/messages.ts, clients/swift/DeepStreamRealtime/…/messages/)
 * is what the generator produces now, describes every registry entry, and its references resolve.
 * Swift cannot be compiled here: the Swift output is checked as a snapshot plus its key declarations.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { asyncApiDocument, jsonSchemaDocument, openApiDocument } from '../../../contract/documents.js';
import { HTTP_OPERATIONS, ROOM_MESSAGES } from '../../../contract/registry.js';
import { errorCodesOf } from '../../../contract/http.js';
import { STATUS_BY_CODE } from '../../../systems/httpContract.js';
import { swiftTypes, typeScriptTypes } from '../../../contract/types.js';
import { CONTRACT_FILES, ROOT, SWIFT_MESSAGES } from '../../../scripts/codegen.js';

const committed = (file: string) => fs.readFile(path.join(ROOT, 'clients', file), 'utf8');

/** Every `$ref` in `doc` that does not point at an existing node of `doc`. */
function danglingRefs(doc: unknown): string[] {
  const out: string[] = [];
  const resolve = (ref: string) =>
    ref
      .slice(2)
      .split('/')
      .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && (!value.startsWith('#/') || resolve(value) === undefined)) out.push(value);
      else walk(value);
    }
  };
  walk(doc);
  return out;
}

describe('client contract codegen', function () {
  this.timeout(60_000);
  let swift: string;
  let ts: string;

  before(async () => {
    [swift, ts] = await Promise.all([swiftTypes(), typeScriptTypes()]);
  });

  it('the committed contract files are what the generator produces now (run `npm run codegen` when this fails)', async () => {
    for (const { file, make } of CONTRACT_FILES) assert.equal(await committed(file), await make(), `clients/${file} is stale`);
  });

  it('Swift snapshot: Codable structs for every message, typed haptics, milestones and offline operations', async () => {
    assert.equal(await committed(SWIFT_MESSAGES), swift);
    for (const m of ROOM_MESSAGES)
      assert.match(
        swift,
        new RegExp(`public (struct ${m.title}: Codable, Equatable, Sendable \\{|typealias ${m.title} = String$)`, 'm'),
        `${m.title} in Swift`,
      );
    for (const decl of [
      /public let haptic: \[HapticEvent\]/,
      /public struct HapticEvent: Codable/,
      /public enum HapticType: String, Codable/,
      /public let nextMilestone: NextMilestone\?/,
      /public struct NextMilestone: Codable/,
      /public let badgesEarned: \[BadgeName\]/,
      /case constellationBuilder = "Constellation Builder"/,
      /public let operations: \[Operation\]/,
      /case captureStar = "capture_star"/,
      /public let flyAway: FlyAway\?/,
      /public struct SignedIn: Codable/,
      /public struct SessionJoinOptions: Codable/,
    ]) {
      assert.match(swift, decl);
    }
    assert.doesNotMatch(swift, /JSONAny|JSONNull\b/, 'no untyped values in the message types');
  });

  it('TypeScript types: haptic, nextMilestone and sync_offline are typed (no unknown)', () => {
    assert.match(ts, /haptic: +HapticEvent\[\];/);
    assert.match(ts, /nextMilestone: +NextMilestone \| null;/);
    assert.match(ts, /operations:\s+\[Operation, \.\.\.Operation\[\]\];/);
    assert.match(ts, /export type OperationType = "capture_star" \| "orb_interaction" \| "station_visit";/);
    const locked = ts.slice(ts.indexOf('export interface LockedMessage'), ts.indexOf('}', ts.indexOf('export interface LockedMessage')));
    assert.doesNotMatch(locked, /unknown|any/);
  });

  it('JSON Schema: one $defs entry per registry message and HTTP body; every $ref resolves', () => {
    const doc = jsonSchemaDocument() as { $defs: Record<string, unknown>; 'x-room-messages': Array<{ $ref: string }> };
    for (const m of ROOM_MESSAGES) assert.ok(doc.$defs[m.title], m.title);
    for (const op of HTTP_OPERATIONS) if (op.request?.title) assert.ok(doc.$defs[op.request.title], op.request.title);
    assert.equal(doc['x-room-messages'].length, ROOM_MESSAGES.length);
    assert.deepEqual(danglingRefs(doc), []);
  });

  it('AsyncAPI 3.1: an operation per room message (server receives client→server, sends server→client); refs resolve', () => {
    const doc = asyncApiDocument() as { asyncapi: string; operations: Record<string, { action: string }> };
    assert.equal(doc.asyncapi, '3.1.0');
    assert.equal(Object.keys(doc.operations).length, ROOM_MESSAGES.length);
    assert.equal(doc.operations.session_send_swipe.action, 'receive');
    assert.equal(doc.operations.session_receive_locked.action, 'send');
    assert.deepEqual(danglingRefs(doc), []);
  });

  it('OpenAPI 3.1: every HTTP operation with its body, answers and security; refs resolve', () => {
    const doc = openApiDocument() as { openapi: string; paths: Record<string, Record<string, { operationId: string; security?: unknown[] }>> };
    assert.equal(doc.openapi, '3.1.0');
    for (const op of HTTP_OPERATIONS) assert.equal(doc.paths[op.path]?.[op.method.toLowerCase()]?.operationId, op.operationId);
    assert.ok(doc.paths['/event'].post.security?.length, '/event needs a token');
    assert.deepEqual(doc.paths['/api/auth/device'].post.security, [], 'public: an empty security list');
    assert.deepEqual(danglingRefs(doc), []);
  });

  it('OpenAPI: security follows each operation’s auth, and its error codes answer with the status of the one error table', () => {
    const doc = openApiDocument() as { paths: Record<string, Record<string, { security: unknown[]; responses: Record<string, { description: string }> }>> };
    const expected: Record<string, unknown[]> = {
      none: [],
      'optional-user': [{}, { accessToken: [] }],
      user: [{ accessToken: [] }],
      admin: [{ adminToken: [] }],
      'user-or-admin': [{ accessToken: [] }, { adminToken: [] }],
    };
    for (const op of HTTP_OPERATIONS) {
      const operation = doc.paths[op.path][op.method.toLowerCase()];
      assert.deepEqual(operation.security, expected[op.auth], op.operationId);
      for (const code of errorCodesOf(op))
        assert.match(operation.responses[String(STATUS_BY_CODE[code])]?.description ?? '', new RegExp(`\\b${code}\\b`), `${op.operationId}: ${code}`);
    }
    const vote = doc.paths['/api/concierto/events/{eventId}/votes'].post.responses;
    assert.equal(vote['409'].description, 'ALREADY_VOTED or EVENT_NOT_ACTIVE');
    assert.equal(vote['401'].description, 'UNAUTHORIZED', 'a user route answers 401 for a missing or bad token');
  });
});
