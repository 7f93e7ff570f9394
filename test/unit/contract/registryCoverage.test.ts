import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOM_MESSAGES } from '../../../contract/registry.js';
import { messageSchemas } from '../../../rooms/session/messages.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');

/**
 * Messages the session room takes or sends that the contract does not describe yet: the generated TS and
 * Swift types lack them. This list only shrinks: a new message must enter the registry, and an entry added
 * to the registry must leave here.
 */
const NOT_YET_IN_CONTRACT = { send: ['journal', 'search'], receive: ['journal', 'search', 'state_json'] };

/** Message types the session room sends, read from its source (`send`, `sendToClient`, `broadcast` with a literal type). */
function typesTheRoomSends(): string[] {
  const files = execFileSync('git', ['ls-files', 'rooms/session'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter((f) => f.endsWith('.ts'));
  const types = new Set<string>();
  for (const file of files) for (const m of fs.readFileSync(path.join(ROOT, file), 'utf8').matchAll(/\b(?:send|sendToClient|broadcast)\(\s*'([a-z_]+)'/g)) types.add(m[1]!);
  return [...types].sort();
}

describe('contract registry covers the session room', () => {
  const registered = (direction: 'send' | 'receive') => new Set(ROOM_MESSAGES.filter((m) => m.room === 'session' && m.direction === direction).map((m) => m.type));

  it('every message type the room handles (its input schemas) is in the registry, or listed as not yet', () => {
    const missing = Object.keys(messageSchemas).filter((t) => !registered('send').has(t) && !NOT_YET_IN_CONTRACT.send.includes(t));
    assert.deepEqual(missing, [], 'add them to ROOM_MESSAGES in contract/registry.ts and run npm run codegen');
  });

  it('every message type the room sends is in the registry, or listed as not yet', () => {
    const sent = typesTheRoomSends();
    assert.ok(sent.includes('welcome') && sent.includes('captured'), `the source scan finds the room's sends: ${sent.join(', ')}`);
    const missing = sent.filter((t) => !registered('receive').has(t) && !NOT_YET_IN_CONTRACT.receive.includes(t));
    assert.deepEqual(missing, [], 'add them to ROOM_MESSAGES in contract/registry.ts and run npm run codegen');
  });

  it('the not-yet list holds only what is really missing (it shrinks as the contract grows)', () => {
    assert.deepEqual(NOT_YET_IN_CONTRACT.send.filter((t) => registered('send').has(t)), []);
    assert.deepEqual(NOT_YET_IN_CONTRACT.receive.filter((t) => registered('receive').has(t)), []);
    assert.deepEqual(NOT_YET_IN_CONTRACT.receive.filter((t) => !typesTheRoomSends().includes(t)), [], 'a type the room no longer sends leaves the list');
  });
});
