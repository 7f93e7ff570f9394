/**
 * `reply(client, type, payload)` checks the payload against the reply's zod schema at compile time:
 * the `@ts-expect-error` lines below must stay errors, or `npm run typecheck` fails on them. At run
 * time it sends what it was given, and every send of the session and coliseum rooms goes through it.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { broadcastReply, reply } from '../../../rooms/session/replies.js';
import { reply as coliseumReply } from '../../../rooms/coliseum/replies.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');

function sink() {
  const sent: Array<[string, unknown]> = [];
  return {
    sent,
    send: (type: string, payload?: unknown) => void sent.push([type, payload]),
    broadcast: (type: string, payload?: unknown) => void sent.push([`*${type}`, payload]),
  };
}

/** Only type-checked (never called): payloads that do not match their schema. */
export function wrongPayloadsDoNotCompile(client: ReturnType<typeof sink>): void {
  // @ts-expect-error a badge outside the BadgeName enum
  reply(client, 'badge', { badge: 'Explorer' });
  // @ts-expect-error `frequency` is a number
  reply(client, 'locked', { frequency: '99.9', artistId: 'a', haptic: [] });
  // @ts-expect-error a search reply needs `results`
  reply(client, 'search', { query: 'fela', totalResults: 0, searchTimeMs: 1 });
  // @ts-expect-error no such reply type
  reply(client, 'journals', {});
  // @ts-expect-error the journal's statistics are required
  reply(client, 'journal', { stars: [], connections: [], clusters: [], insights: [] });
  // @ts-expect-error state_json carries JSON text
  broadcastReply(client, 'state_json', { station: {} });
  // @ts-expect-error the coliseum has no BAD_INPUT code
  coliseumReply(client, 'error', { code: 'BAD_INPUT', message: 'm', for: 'x' });
}

describe('typed replies', () => {
  it('sends the type and payload as given; readonly data is accepted; a missing client is a no-op', () => {
    const client = sink();
    const haptic = Object.freeze([Object.freeze({ type: 'transient' as const, time: 0, intensity: 1 })]);
    reply(client, 'locked', { frequency: 99.9, artistId: 'artist_wizkid', haptic });
    broadcastReply(client, 'state_json', '{}');
    reply(undefined, 'badge', { badge: 'First Star' });
    assert.deepEqual(client.sent, [
      ['locked', { frequency: 99.9, artistId: 'artist_wizkid', haptic }],
      ['*state_json', '{}'],
    ]);
  });

  it('the rooms send only through reply() / broadcastReply()', () => {
    const files = execFileSync('git', ['ls-files', 'rooms/session', 'rooms/coliseum'], { cwd: ROOT, encoding: 'utf8' })
      .split('\n')
      .filter((f) => f.endsWith('.ts'));
    const raw: string[] = [];
    for (const file of files) {
      fs.readFileSync(path.join(ROOT, file), 'utf8')
        .split('\n')
        .forEach((line, i) => /(\.send|\bbroadcast)\(\s*['"`\w]/.test(line) && !line.trim().startsWith('*') && raw.push(`${file}:${i + 1}: ${line.trim()}`));
    }
    assert.deepEqual(raw, [], "use reply(client, type, payload) from the room's replies.ts so the payload is type-checked");
  });
});
