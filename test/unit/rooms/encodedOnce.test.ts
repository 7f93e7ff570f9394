import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { ClientState } from '@colyseus/core';
import { uWebSocketClient } from '@colyseus/uwebsockets-transport';
import { sendEncodedOnce } from '../../../rooms/colyseusInternals.js';

/** A joined client of the real uWS transport over a stand-in socket that keeps every frame written. */
function joinedClient(id: string) {
  const frames: Uint8Array[] = [];
  const ws = { send: (frame: Uint8Array) => void frames.push(frame), cork: (cb: () => void) => cb() };
  // The transport wraps each socket in an emitter holding it as `ws` (uWebSocketWrapper, not exported).
  const client = new uWebSocketClient(id, Object.assign(new EventEmitter(), { ws }) as never);
  client.state = ClientState.JOINED;
  return { client, frames };
}

describe('sendEncodedOnce: a payload sent again and again is encoded once (uWS transport)', () => {
  it('writes the bytes client.send writes, and the same frame for every later send of that payload', () => {
    const journal = { stars: [{ id: 's1', artist: { name: 'Fela Kuti' } }], stats: { totalStars: 1 } };
    const a = joinedClient('a');
    const b = joinedClient('b');
    const plain = joinedClient('plain');
    plain.client.send('journal', journal);
    sendEncodedOnce(a.client, 'journal', journal);
    sendEncodedOnce(a.client, 'journal', journal);
    sendEncodedOnce(b.client, 'journal', journal);
    assert.deepEqual(Buffer.from(a.frames[0]!), Buffer.from(plain.frames[0]!), 'the frame client.send builds');
    assert.equal(a.frames[1], a.frames[0], 'encoded once: the kept frame again');
    assert.equal(b.frames[0], a.frames[0], 'and for another client');
  });

  it('encodes anew for another type or another payload object, and falls back to send without enqueueRaw', () => {
    const payload = { n: 1 };
    const { client, frames } = joinedClient('c');
    sendEncodedOnce(client, 'journal', payload);
    sendEncodedOnce(client, 'search', payload);
    sendEncodedOnce(client, 'search', { n: 1 });
    assert.equal(frames.length, 3);
    assert.notDeepEqual(Buffer.from(frames[1]!), Buffer.from(frames[0]!), 'the type is part of the frame');
    assert.notEqual(frames[2], frames[1]);
    assert.deepEqual(Buffer.from(frames[2]!), Buffer.from(frames[1]!));
    const sent: Array<[string, unknown]> = [];
    sendEncodedOnce({ send: (type, p) => void sent.push([type, p]) }, 'journal', payload);
    assert.deepEqual(sent, [['journal', payload]]);
    sendEncodedOnce(undefined, 'journal', payload); // a client gone: nothing to do
  });
});
