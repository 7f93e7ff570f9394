import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOM_MESSAGES, type RoomMessage } from '../../../contract/registry.js';
import { SESSION_MESSAGES } from '../../../rooms/session/protocol.js';
import { SESSION_MESSAGE_TYPES } from '../../../clients/ts/src/SessionClient.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');

/** Message types the session room sends, read from its source (`reply`, `broadcastReply`, `send`, `sendToClient`, `broadcast` with a literal type). */
function typesTheRoomSends(dir = 'rooms/session'): string[] {
  const files = execFileSync('git', ['ls-files', dir], { cwd: ROOT, encoding: 'utf8' })
    .split('\n')
    .filter((f) => f.endsWith('.ts'));
  const types = new Set<string>();
  for (const file of files)
    for (const m of fs
      .readFileSync(path.join(ROOT, file), 'utf8')
      .matchAll(/\b(?:(?:send|sendToClient|broadcast)\(|(?:reply|broadcastReply)\([^,()]+,)\s*'([a-z_]+)'/g))
      types.add(m[1]!);
  return [...types].sort();
}

/** The room's types a registry lacks, per direction. */
function missingFrom(messages: ReadonlyArray<Pick<RoomMessage, 'room' | 'direction' | 'type'>>): { send: string[]; receive: string[] } {
  const registered = (direction: 'send' | 'receive') => new Set(messages.filter((m) => m.room === 'session' && m.direction === direction).map((m) => m.type));
  return {
    send: Object.keys(SESSION_MESSAGES).filter((t) => !registered('send').has(t)),
    receive: typesTheRoomSends().filter((t) => !registered('receive').has(t)),
  };
}

describe('contract registry covers the session room', () => {
  it('every message type the room handles (its input schemas) is in the registry', () => {
    assert.deepEqual(missingFrom(ROOM_MESSAGES).send, [], 'add them to ROOM_MESSAGES in contract/registry.ts and run npm run codegen');
  });

  it('every message type the room sends is in the registry', () => {
    const sent = typesTheRoomSends();
    for (const t of ['welcome', 'captured', 'journal', 'search', 'state_json'])
      assert.ok(sent.includes(t), `the source scan finds the room's sends: ${sent.join(', ')}`);
    assert.deepEqual(missingFrom(ROOM_MESSAGES).receive, [], 'add them to ROOM_MESSAGES in contract/registry.ts and run npm run codegen');
  });

  it('removing any one entry is noticed', () => {
    for (const entry of ROOM_MESSAGES.filter((m) => m.room === 'session')) {
      const missing = missingFrom(ROOM_MESSAGES.filter((m) => m !== entry));
      assert.ok(missing[entry.direction].includes(entry.type), `${entry.direction} ${entry.type}`);
    }
  });

  it('the TS client (clients/ts SessionClient) handles every type the registry says the session room sends', () => {
    const pushed = ROOM_MESSAGES.filter((m) => m.room === 'session' && m.direction === 'receive').map((m) => m.type);
    assert.deepEqual([...SESSION_MESSAGE_TYPES].sort(), [...pushed].sort(), 'an unhandled pushed type makes @colyseus/sdk warn in every app');
  });

  it('the coliseum room: every type it sends is in the registry, and it takes no messages', () => {
    const sent = typesTheRoomSends('rooms/coliseum');
    assert.deepEqual(sent, ['error'], `the source scan finds the coliseum's sends: ${sent.join(', ')}`);
    const registered = ROOM_MESSAGES.filter((m) => m.room === 'coliseum');
    assert.deepEqual(
      sent.filter((t) => !registered.some((m) => m.direction === 'receive' && m.type === t)),
      [],
    );
    assert.deepEqual(
      registered.filter((m) => m.direction === 'send'),
      [],
      'spectators send nothing (every message is refused READ_ONLY)',
    );
  });
});
